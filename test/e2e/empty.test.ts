/** `--empty`: every ref and source read as zero rows; the whole DAG's SQL and schemas checked on the engine. */
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

const FILES = {
  'seeds/codes.csv': 'code,label\n1,a\n2,b\n',
  'lake/events/e.csv': 'id;code;amount\n1;1;10\n2;2;20\n',
  'models/sources.yml': `version: 2
sources:
  - name: lake
    tables:
      - name: events
        external: {location: events/*.csv, format: csv, options: {delim: ";", header: true}}
models:
  - name: totals
    columns:
      - name: code
        data_tests: [not_null, unique]
`,
  'models/stg_events.sql': '{{config materialized="ephemeral"}}\nselect id, code, amount * 2 as amount from {{source "lake" "events"}}\n',
  'models/totals.sql':
    '{{config materialized="table"}}\nselect c.code, c.label, sum(e.amount) as amount\nfrom {{ref "stg_events"}} as e\njoin {{ref "codes"}} c on c.code = e.code\ngroup by all\n',
  'models/history.sql':
    '{{config materialized="incremental" unique_key="code"}}\nselect code, amount from {{ref "totals"}}\n{{#if (is_incremental)}}where amount > (select max(amount) from {{this}}){{/if}}\n',
};

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb, lake: lake}\n';

describe('build --empty', () => {
  it('creates every model with its columns and no rows, skips data tests with the reason, runs seeds', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    const result = await runTsdbt(project.dir, ['build', '--empty']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const db = project.path('target/dev.duckdb');
    expect(
      await queryDuckdb(db, "select column_name, data_type from information_schema.columns where table_name = 'totals' order by ordinal_position"),
    ).toEqual([
      { column_name: 'code', data_type: 'BIGINT' },
      { column_name: 'label', data_type: 'VARCHAR' },
      { column_name: 'amount', data_type: 'HUGEINT' },
    ]);
    expect(
      await queryDuckdb(
        db,
        'select (select count(*) from totals)::int as totals, (select count(*) from history)::int as history, (select count(*) from codes)::int as codes',
      ),
    ).toEqual([{ totals: 0, history: 0, codes: 2 }]);
    const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string; message: string }>;
    const tests = results.filter((r) => r.unique_id.startsWith('test.'));
    expect(tests.map((t) => t.status)).toEqual(['skipped', 'skipped']);
    expect(tests[0]!.message).toBe('skipped: --empty builds every model on zero rows, so data tests would test nothing');
    // The compiled SQL that ran reads zero rows of every parent; the ephemeral parent is emptied too.
    const compiled = project.read('target/compiled/demo/models/totals.sql');
    expect(compiled).toContain("from (select * from read_csv('");
    expect(compiled).toContain(' where false)');
    expect(compiled).toContain('join (select * from main.codes where false) c on');
  });

  it('skips snapshots, which would otherwise end every current version', async () => {
    const project = createTmpProject({
      ...FILES,
      'profiles.yml': PROFILES,
      'snapshots/codes_history.sql': '{{config strategy="check" unique_key="code" check_cols="all"}}\nselect * from {{ref "codes"}}\n',
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    const empty = await runTsdbt(project.dir, ['build', '--empty']);
    expect(empty.code).toBe(0);
    const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string; message: string }>;
    expect(results.find((r) => r.unique_id === 'snapshot.demo.codes_history')).toMatchObject({
      status: 'skipped',
      message: 'skipped: --empty reads zero rows, and a snapshot of zero rows would end every current version',
    });
    expect(await queryDuckdb(project.path('target/dev.duckdb'), 'select count(*)::int as n from codes_history where dbt_valid_to is null')).toEqual([{ n: 2 }]);
  });

  it('still fails on a model whose SQL the engine rejects, and an incremental run stays incremental', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES, 'models/bad.sql': 'select missing_column from {{ref "totals"}}\n' });
    expect((await runTsdbt(project.dir, ['seed'])).code).toBe(0);
    const result = await runTsdbt(project.dir, ['run', '--empty']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ERROR +view +main\.bad +Binder Error: Referenced column "missing_column" not found/);
    project.remove('models/bad.sql');
    expect((await runTsdbt(project.dir, ['run', '--full-refresh'])).code).toBe(0);
    expect((await runTsdbt(project.dir, ['run', '--empty', '--select', 'history'])).code).toBe(0);
    // An incremental run on zero new rows keeps the table's rows.
    expect(await queryDuckdb(project.path('target/dev.duckdb'), 'select count(*)::int as n from history')).toEqual([{ n: 2 }]);
  });
});
