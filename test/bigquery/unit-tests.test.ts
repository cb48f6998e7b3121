/**
 * Unit tests of BigQuery models, offline: on a bigquery target the model's BigQuery SQL runs on
 * GoogleSQL's reference engine over the fixtures (never on DuckDB's rendering, never as a job).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zetasqlUnavailable } from '../../src/adapters/bigquery/zetasql-service.js';
import { runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';
import { startFakeGcp, type FakeGcpServer } from './fake-gcp-server.js';
import { GUARD, guardViolations, runAgainst, smallProject } from './helpers.js';

const unavailable = zetasqlUnavailable();
if (unavailable) console.warn(`SKIPPED: BigQuery unit tests on the reference engine (${unavailable})`);

const repo = fileURLToPath(new URL('../..', import.meta.url));
let fake: FakeGcpServer;
beforeAll(async () => {
  fake = await startFakeGcp();
});
afterAll(async () => fake?.close());

type Results = { results: Array<{ unique_id: string; status: string; message: string; compiled_code?: string }> };

/** A model ranking a nullable column, and a unit test expecting DuckDB's order (NULLs last). */
const RANKED_MODEL = 'select id, rank() over (order by v) as r from {{ref "daily"}}\n';
const NULLS_RANK_LAST = `  - name: nulls_rank_last
    model: ranked
    given:
      - input: ref('daily')
        rows: [{id: 1, v: 10}, {id: 2, v: null}]
    expect:
      rows: [{id: 1, r: 1}, {id: 2, r: 2}]
`;

const HIDE_ZETASQL = fileURLToPath(new URL('./hide-zetasql.cjs', import.meta.url));

describe('unit tests on a bigquery target without the reference engine', () => {
  it("run on DuckDB's rendering and say once how to run them on BigQuery's SQL", async () => {
    const project = smallProject({
      'models/marts/ranked.sql': RANKED_MODEL,
      'models/marts/_unit.yml': `version: 2
unit_tests:
${NULLS_RANK_LAST}  - name: ranks_from_one
    model: ranked
    given:
      - input: ref('daily')
        rows: [{id: 1, v: 10}]
    expect:
      rows: [{id: 1, r: 1}]
`,
    });
    const result = await runAgainst(fake, project.dir, ['test', '--select', 'ranked'], { NODE_OPTIONS: `--require ${GUARD} --require ${HIDE_ZETASQL}` });
    expect(result.stderr).not.toMatch(STACK_LINE);
    // DuckDB ranks the NULL last, as the test expects.
    expect(result.code).toBe(0);
    const notes = result.stdout.split('\n').filter((line) => line.includes("unit tests run on DuckDB's rendering of the models"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('npm install -D @fivetrandevelopers/zetasql, about 340 MB');
  }, 120_000);
});

describe.skipIf(unavailable)('unit tests on a bigquery target', () => {
  it("run the reference project's unit tests on the models' BigQuery SQL, and pass", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-bq-unit-'));
    try {
      for (const path of ['models', 'macros', 'seeds', 'snapshots', 'tests', 'lake', 'project.yml', 'profiles.yml']) {
        if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
      }
      const result = await runAgainst(fake, dir, ['test', '--target', 'prod', '--select', 'test_type:unit']);
      expect(guardViolations(result)).toEqual([]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain("DuckDB's rendering");
      const run = JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')) as Results;
      expect(run.results.length).toBe(5);
      expect(run.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
      // The SQL that ran is BigQuery's (the compiled models' helpers), not DuckDB's.
      const sql = run.results.map((r) => r.compiled_code ?? '').join('\n');
      expect(sql).toMatch(/TIMESTAMP\(|DATETIME_DIFF|SAFE_CAST/);
      expect(sql).not.toMatch(/TRY_CAST|strptime\(/);
      // Nothing ran as a BigQuery job but the dry runs that read the inputs' columns.
      expect(fake.jobs.filter((job) => !job.dryRun)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("fail where BigQuery's semantics differ from DuckDB's: a NULL ranks first", async () => {
    const project = smallProject({
      'models/marts/ranked.sql': RANKED_MODEL,
      'models/marts/_unit.yml': `version: 2
unit_tests:
${NULLS_RANK_LAST}`,
    });
    const onBigquery = await runAgainst(fake, project.dir, ['test', '--select', 'ranked']);
    expect(onBigquery.stderr).not.toMatch(STACK_LINE);
    expect(onBigquery.code).toBe(1);
    const run = project.json<Results>('target/run_results.json');
    const result = run.results.find((r) => r.unique_id.endsWith('nulls_rank_last'))!;
    expect(result.status).toBe('fail');
    expect(result.message).toContain('actual rows differ from expected: 2 missing, 2 unexpected');
    expect(result.message).toContain('+ unexpected id=2, r=1');
    expect(result.message).toContain('- missing    id=2, r=2');
    // The same test on DuckDB passes: NULLs rank last there.
    project.write('profiles.yml', 'demo:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n');
    const onDuckdb = await runTsdbt(project.dir, ['test', '--select', 'ranked']);
    expect(onDuckdb.code).toBe(0);
  }, 120_000);

  it('count duplicates: two expected identical rows need two actual ones', async () => {
    const project = smallProject({
      'models/marts/copied.sql': 'select id from {{ref "daily"}}\n',
      'models/marts/_unit.yml': `version: 2
unit_tests:
  - name: duplicates_count
    model: copied
    given:
      - input: ref('daily')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1}, {id: 1}]
`,
    });
    const result = await runAgainst(fake, project.dir, ['test', '--select', 'copied']);
    expect(result.code).toBe(1);
    const run = project.json<Results>('target/run_results.json');
    expect(run.results[0]!.message).toContain('1 missing, 0 unexpected');
  }, 120_000);
});
