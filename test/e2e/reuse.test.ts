import { beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, queryDuckdb, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const SOURCES = `version: 2
sources:
  - name: lake
    tables:
      - name: sales
        external: {location: lake/sales.csv}
  - name: warehouse
    schema: main
    tables:
      - name: loaded_elsewhere
models:
  - name: totals
    columns:
      - name: region
        data_tests: [not_null, unique]
  - name: positive
    data_tests:
      - dbt_utils.expression_is_true: {expression: "amount > 0"}
`;

const FILES = {
  'lake/sales.csv': 'region,amount\nnorth,10\nsouth,5\nnorth,1\n',
  'seeds/labels.csv': 'region,label\nnorth,Nord\nsouth,Sud\n',
  'models/sources.yml': SOURCES,
  'models/totals.sql': `select s.region, l.label, sum(amount) as amount from {{source "lake" "sales"}} as s join {{ref "labels"}} as l using (region) group by all\n`,
  'models/positive.sql': 'select * from {{ref "totals"}}\n',
  'models/today.sql': 'select current_date as day, count(*) as n from {{ref "totals"}}\n',
  'models/after_today.sql': 'select * from {{ref "today"}}\n',
  'models/outside.sql': 'select * from {{source "warehouse" "loaded_elsewhere"}}\n',
  'project.yml':
    'name: demo\nprofile: demo\non-run-start: ["create table if not exists main.loaded_elsewhere as select 1 as x"]\nmodels:\n  demo:\n    +materialized: table\n',
};

type Results = { results: Array<{ unique_id: string; status: string; message: string }> };

function statuses(project: TmpProject): Record<string, string> {
  const run = project.json('target/run_results.json') as Results;
  // model.demo.x, seed.demo.x, test.demo.x.<hash>: by name.
  return Object.fromEntries(run.results.map((r) => [r.unique_id.split('.')[2]!, r.status]));
}

const built = (project: TmpProject) => queryDuckdb<{ unique_id: string }>(project.dbPath, 'select unique_id from tsdbt_state.builds order by 1');

describe('state-aware runs: what did not change is reused', () => {
  let project: TmpProject;

  beforeAll(async () => {
    project = createTmpProject(FILES);
    const first = await runTsdbt(project.dir, ['build']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
  });

  it('a second build reuses every model, seed and passing test whose inputs did not change, and says so', async () => {
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.code).toBe(0);
    const s = statuses(project);
    expect(s.totals).toBe('reused');
    expect(s.positive).toBe('reused');
    expect(s.labels).toBe('reused');
    expect(s.not_null_totals_region).toBe('reused');
    expect(s.unique_totals_region).toBe('reused');
    expect(second.stdout).toMatch(/REUSE +table +main\.totals +reused/);
    expect(second.stdout).toMatch(/│ REUSE +│ \d+/);
    const run = project.json('target/run_results.json') as Results;
    expect(run.results.find((r) => r.unique_id === 'model.demo.totals')?.message).toBe('reused: nothing it reads changed since its last build');
    if (schemasPresent) expect(artifactViolations('run-results_v6.json', run)).toEqual([]);
    // The table is still the first build's (not dropped, not rebuilt).
    expect(await queryDuckdb(project.dbPath, 'select region, amount::int as amount from main.totals order by 1')).toEqual([
      { region: 'north', amount: 11 },
      { region: 'south', amount: 5 },
    ]);
  });

  it('a model reading the clock, or a table loaded by something else, runs every time, and so does what reads it', async () => {
    await runTsdbt(project.dir, ['build']);
    const s = statuses(project);
    expect(s.today).toBe('success');
    expect(s.after_today).toBe('success');
    expect(s.outside).toBe('success');
    expect((await built(project)).map((r) => r.unique_id)).toContain('model.demo.today');
  });

  it('a changed lake file runs what reads it, downstream included; the rest is reused', async () => {
    project.write('lake/sales.csv', 'region,amount\nnorth,10\nsouth,7\n');
    await runTsdbt(project.dir, ['build']);
    const s = statuses(project);
    expect([s.totals, s.positive, s.not_null_totals_region]).toEqual(['success', 'success', 'pass']);
    expect(s.labels).toBe('reused');
    expect(await queryDuckdb(project.dbPath, 'select amount::int as amount from main.totals order by region')).toEqual([{ amount: 10 }, { amount: 7 }]);
  });

  it('a changed seed or model SQL runs it and its children', async () => {
    project.write('seeds/labels.csv', 'region,label\nnorth,N\nsouth,S\n');
    await runTsdbt(project.dir, ['build']);
    expect(statuses(project)).toMatchObject({ labels: 'success', totals: 'success', positive: 'success' });
    project.write('models/positive.sql', 'select * from {{ref "totals"}} where amount > 0\n');
    await runTsdbt(project.dir, ['build']);
    expect(statuses(project)).toMatchObject({ labels: 'reused', totals: 'reused', positive: 'success' });
  });

  it('a failing test is run again on the next build even when nothing changed', async () => {
    project.write('models/positive.sql', 'select region, -amount as amount from {{ref "totals"}}\n');
    const failing = await runTsdbt(project.dir, ['build']);
    expect(failing.code).toBe(1);
    const again = await runTsdbt(project.dir, ['build']);
    expect(again.code).toBe(1);
    const s = statuses(project);
    expect(s.positive).toBe('reused');
    expect(Object.entries(s).filter(([name]) => name.includes('expression_is_true'))).toEqual([[expect.stringContaining('positive'), 'fail']]);
  });

  it('--no-reuse and --full-refresh build everything', async () => {
    project.write('models/positive.sql', 'select * from {{ref "totals"}}\n');
    await runTsdbt(project.dir, ['build']);
    for (const flag of ['--no-reuse', '--full-refresh']) {
      const run = await runTsdbt(project.dir, ['build', flag]);
      expect(run.code).toBe(0);
      const s = statuses(project);
      expect(Object.values(s)).not.toContain('reused');
      expect([s.labels, s.totals, s.not_null_totals_region]).toEqual(['success', 'success', 'pass']);
    }
  });
});
