/**
 * Guards that a sample of injected bugs once slipped past: duplicate rows in unit-test diffs,
 * the transaction around a replace, and secret masking. Each test fails when its guard is removed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeGcp } from '../bigquery/fake-gcp-server.js';
import { PROFILES, runAgainst, smallProject } from '../bigquery/helpers.js';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

describe('unit tests compare rows with their duplicates (EXCEPT ALL, not EXCEPT)', () => {
  it('fails when the model returns a row once that is expected twice, and the reverse', async () => {
    const project = createTmpProject({
      'models/dedup.sql': 'select distinct v from {{ref "raw"}}\n',
      'models/raw.sql': 'select 1 as v\n',
      'models/unit.yml': `version: 2
unit_tests:
  - name: keeps_duplicates
    model: dedup
    given:
      - input: ref('raw')
        rows: [{v: 1}, {v: 1}]
    expect:
      rows: [{v: 1}, {v: 1}]
  - name: expects_one
    model: raw_twice
    given: []
    expect:
      rows: [{v: 1}]
`,
      'models/raw_twice.sql': 'select 1 as v union all select 1\n',
    });
    const result = await runTsdbt(project.dir, ['test']);
    expect(result.code).toBe(1);
    const results = Object.fromEntries(project.json('target/run_results.json').results.map((r: { unique_id: string }) => [r.unique_id, r]));
    expect(results['unit_test.demo.dedup.keeps_duplicates']).toMatchObject({ status: 'fail', failures: 1 });
    expect(results['unit_test.demo.dedup.keeps_duplicates'].message).toContain('1 missing, 0 unexpected');
    expect(results['unit_test.demo.raw_twice.expects_one']).toMatchObject({ status: 'fail', failures: 1 });
    expect(results['unit_test.demo.raw_twice.expects_one'].message).toContain('0 missing, 1 unexpected');
  });
});

describe('a failed replace leaves the previous relation (the plan runs in one transaction)', () => {
  it('keeps the view when a view → table switch fails after its DROP VIEW ran', async () => {
    const project = createTmpProject({ 'models/m.sql': 'select 1 as x\n' });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    // The plan is DROP VIEW, then CREATE TABLE … AS (failing): without the transaction the view is gone.
    project.write('models/m.sql', '{{config materialized="table"}}\nselect x_typo as x\n');
    const failed = await runTsdbt(project.dir, ['run']);
    expect(failed.code).toBe(1);
    expect(project.read('target/run_results.json')).toContain('x_typo');
    expect(await queryDuckdb(project.dbPath, "select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'VIEW' }]);
    expect(await queryDuckdb(project.dbPath, 'select x from main.m')).toEqual([{ x: 1 }]);
  });

  it('keeps the table as it was when an incremental run fails after ALTER TABLE ADD COLUMN ran', async () => {
    const model = (select: string) => `{{config materialized="incremental" unique_key="id" on_schema_change="append_new_columns"}}\n${select}\n`;
    const project = createTmpProject({ 'models/inc.sql': model('select 1 as id, 10 as v') });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    // The new rows stage fine and `extra` is added; then the MERGE fails casting 'abc' into the INTEGER v.
    project.write('models/inc.sql', model("select 2 as id, 'abc' as v, 'x' as extra"));
    const failed = await runTsdbt(project.dir, ['run']);
    expect(failed.code).toBe(1);
    const columns = await queryDuckdb(project.dbPath, "select column_name from information_schema.columns where table_name = 'inc' order by ordinal_position");
    expect(columns).toEqual([{ column_name: 'id' }, { column_name: 'v' }]);
    expect(await queryDuckdb(project.dbPath, 'select id, v from main.inc')).toEqual([{ id: 1, v: 10 }]);
  });
});

describe('secrets are masked, at any depth', () => {
  const SECRET = 'S3cr3t-Planted-4242';

  /** Every file under a folder, as text. */
  const filesUnder = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });

  it('never prints or writes a secret of the profile, however deep (debug, build, JSON logs, artifacts)', async () => {
    const fake = await startFakeGcp();
    const key = JSON.stringify({ type: 'service_account', client_email: 'sa@p.iam.gserviceaccount.com', credentials: { private_key: SECRET } });
    const project = smallProject({
      'profiles.yml': PROFILES.replace(
        'method: service-account\n      keyfile: /nonexistent/key.json\n',
        `method: service-account-json\n      keyfile_json: ${key}\n`,
      ),
    });
    fake.jobHandler = (job) => (job.query === 'SELECT 1 AS ok' ? { schema: [{ name: 'ok', type: 'INTEGER' }], rows: [[1]] } : undefined);
    try {
      const debug = await runAgainst(fake, project.dir, ['debug']);
      expect(debug.stderr).toBe('');
      expect(debug.code).toBe(0);
      expect(debug.stdout).toContain('    keyfile_json: ****\n');
      const outputs = [
        debug,
        await runAgainst(fake, project.dir, ['build']),
        // The fake keeps no table schemas: rebuild rather than run incrementally.
        await runAgainst(fake, project.dir, ['build', '--full-refresh', '--log-format', 'json']),
        await runAgainst(fake, project.dir, ['debug', '--log-format', 'json']),
      ];
      for (const output of outputs) {
        expect(output.code, output.stdout + output.stderr).toBe(0);
        expect(`${output.stdout}${output.stderr}`).not.toContain(SECRET);
      }
      for (const file of filesUnder(project.path('target'))) expect(readFileSync(file, 'utf8'), file).not.toContain(SECRET);
      expect(filesUnder(project.path('target')).length).toBeGreaterThan(5);
    } finally {
      await fake.close();
    }
  });

  it('masks secret-looking keys nested in DuckDB settings, in debug, a failed build and its JSON log', async () => {
    const project = createTmpProject({
      'profiles.yml': `demo:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      settings: {threads: 1, s3_session_token: ${SECRET}}\n`,
      'models/m.sql': 'select 1 as x\n',
    });
    // httpfs (where DuckDB's s3 settings live) is not available offline: the connection fails, without the value.
    const debug = await runTsdbt(project.dir, ['debug']);
    expect(debug.stdout).toContain('"s3_session_token":"****"');
    const outputs = [debug, await runTsdbt(project.dir, ['build']), await runTsdbt(project.dir, ['build', '--log-format', 'json'])];
    for (const output of outputs) {
      expect(output.code).toBe(2);
      expect(`${output.stdout}${output.stderr}`).toContain('s3_session_token');
      expect(`${output.stdout}${output.stderr}`).not.toContain(SECRET);
    }
  });

  it('masks secret-looking --vars in run_results.json and never prints them', async () => {
    const project = createTmpProject({ 'models/m.sql': 'select {{var "n"}} as x\n' });
    const vars = `{n: 1, api_token: ${SECRET}, aws: {secret_access_key: ${SECRET}}}`;
    const outputs = [await runTsdbt(project.dir, ['build', '--vars', vars]), await runTsdbt(project.dir, ['build', '--vars', vars, '--log-format', 'json'])];
    for (const output of outputs) {
      expect(output.code, output.stderr).toBe(0);
      expect(`${output.stdout}${output.stderr}`).not.toContain(SECRET);
    }
    expect(project.json('target/run_results.json').args.vars).toEqual({ n: 1, api_token: '****', aws: { secret_access_key: '****' } });
    const files = filesUnder(project.path('target'));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(readFileSync(file).includes(SECRET), file).toBe(false);
  });
});
