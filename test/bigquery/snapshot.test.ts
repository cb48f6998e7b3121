/**
 * BigQuery snapshots: the planner's statements for a first run and for later runs (strategies,
 * hard_deletes, new columns, renamed meta columns) pinned as golden files and each analysed by
 * ZetaSQL against the tables it reads; then `tsdbt snapshot` against the local BigQuery sends
 * exactly those jobs, one per run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column, ExistingRelation, MaterializationPlan, PlannedSnapshot } from '../../src/adapters/adapter.js';
import { createBigqueryDialect } from '../../src/adapters/bigquery/dialect.js';
import { createBigqueryPlanner } from '../../src/adapters/bigquery/planner.js';
import { asScript } from '../../src/adapters/statements.js';
import { resolveConfig } from '../helpers/configs.js';
import { expectGolden } from '../helpers/golden.js';
import type { TmpProject } from '../helpers/tmp-project.js';
import { type FakeGcpServer, startFakeGcp } from './fake-gcp-server.js';
import { PROFILES, runAgainst } from './helpers.js';
import { type Analyzer, type CatalogTable, startAnalyzer } from './zetasql-analyzer.js';
import { createTmpProject } from '../helpers/tmp-project.js';

const planner = createBigqueryPlanner(createBigqueryDialect({ project: 'p' }), 'p');

const SOURCE: Column[] = [
  { name: 'id', type: 'INT64' },
  { name: 'name', type: 'STRING' },
  { name: 'updated_at', type: 'DATETIME' },
];
const SRC: CatalogTable = { name: 'p.crm.customers', columns: SOURCE };
const META: Column[] = [
  { name: 'dbt_scd_id', type: 'STRING' },
  { name: 'dbt_updated_at', type: 'DATETIME' },
  { name: 'dbt_valid_from', type: 'DATETIME' },
  { name: 'dbt_valid_to', type: 'DATETIME' },
];
const SELECT = 'select id, name, updated_at\nfrom `p.crm.customers`';

function plannedSnapshot(raw: Record<string, unknown>, select = SELECT): PlannedSnapshot {
  const { config, engineOptions } = resolveConfig(raw, 'bigquery', 'snapshot');
  if (config.materialized !== 'snapshot') throw new Error('not a snapshot config');
  return {
    uniqueId: 'snapshot.demo.history',
    name: 'history',
    file: 'snapshots/history.sql',
    schema: 'snapshots',
    identifier: 'history',
    relationName: '`p.snapshots.history`',
    config,
    engineOptions,
    sql: { text: select, lines: [] },
    description: 'Customers over time',
    columns: { name: { description: 'Their name' } },
  };
}

const table = (columns: Column[]): ExistingRelation => ({ kind: 'table', columns, layout: '{"partition":null,"cluster":[]}', rows: 3 });
const timestamp = { strategy: 'timestamp', unique_key: 'id', updated_at: 'updated_at' };
const check = { strategy: 'check', unique_key: 'id', check_cols: ['name'] };

/** Each case: the plan, the source's columns and the snapshot table's (none: the first run). */
const CASES: Array<[string, () => MaterializationPlan, Column[], Column[] | undefined]> = [
  ['first-timestamp', () => planner.snapshot(plannedSnapshot(timestamp), undefined, undefined), SOURCE, undefined],
  [
    'first-check-all-new_record-partitioned',
    () =>
      planner.snapshot(
        plannedSnapshot({
          strategy: 'check',
          unique_key: 'id',
          check_cols: 'all',
          hard_deletes: 'new_record',
          partition_by: { field: 'dbt_valid_from', data_type: 'timestamp', granularity: 'month' },
          cluster_by: ['id'],
          persist_docs: { relation: true, columns: true },
        }),
        undefined,
        undefined,
      ),
    SOURCE,
    undefined,
  ],
  ['changes-timestamp-ignore', () => planner.snapshot(plannedSnapshot(timestamp), table([...SOURCE, ...META]), SOURCE), SOURCE, [...SOURCE, ...META]],
  [
    'changes-timestamp-invalidate',
    () => planner.snapshot(plannedSnapshot({ ...timestamp, hard_deletes: 'invalidate' }), table([...SOURCE, ...META]), SOURCE),
    SOURCE,
    [...SOURCE, ...META],
  ],
  [
    // The check strategy's times are TIMESTAMPs; the query gains a column and new_record starts:
    // both are added after the changes are staged.
    'changes-check-new_record-new-column',
    () => {
      const metaTimes = META.map((c) => (c.type === 'DATETIME' ? { ...c, type: 'TIMESTAMP' } : c));
      const withCity = [...SOURCE, { name: 'city', type: 'STRING' }];
      return planner.snapshot(
        plannedSnapshot({ ...check, hard_deletes: 'new_record' }, `${SELECT.replace('updated_at', 'updated_at, city')}`),
        table([...SOURCE, ...metaTimes]),
        withCity,
      );
    },
    [...SOURCE, { name: 'city', type: 'STRING' }],
    [...SOURCE, ...META.map((c) => (c.type === 'DATETIME' ? { ...c, type: 'TIMESTAMP' } : c))],
  ],
  [
    'changes-composite-key-meta-names-valid_to_current',
    () =>
      planner.snapshot(
        plannedSnapshot({
          ...timestamp,
          unique_key: ['id', 'name'],
          hard_deletes: 'invalidate',
          snapshot_meta_column_names: { dbt_valid_from: 'valid_from', dbt_valid_to: 'valid_to' },
          dbt_valid_to_current: "DATETIME '9999-12-31 00:00:00'",
        }),
        table([...SOURCE, ...META.map((c) => ({ ...c, name: c.name.replace('dbt_valid_', 'valid_') }))]),
        SOURCE,
      ),
    SOURCE,
    [...SOURCE, ...META.map((c) => ({ ...c, name: c.name.replace('dbt_valid_', 'valid_') }))],
  ],
];

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await startAnalyzer();
});
afterAll(() => analyzer?.close());

async function expectValid(plan: MaterializationPlan, source: Column[], existing: Column[] | undefined): Promise<void> {
  const src = { name: SRC.name, columns: source };
  let target: CatalogTable | undefined = existing && { name: 'p.snapshots.history', columns: existing };
  let staged: CatalogTable | undefined;
  for (const { sql } of plan.statements) {
    const catalog = [src, ...(target ? [target] : []), ...(staged ? [staged] : [])];
    const result = await analyzer.analyze(sql, catalog);
    expect(result.ok ? 'ok' : `${result.message}\n${sql}`).toBe('ok');
    if (sql.startsWith('CREATE TEMP TABLE')) {
      // The staged changes' columns, from the SELECT alone, for the MERGE that reads them.
      const select = await analyzer.analyze(plan.dryRun!.sql, catalog);
      if (!select.ok) throw new Error(select.message);
      staged = { name: /CREATE TEMP TABLE (\w+)/.exec(sql)![1]!, columns: select.columns };
    }
    // Statements after the CREATE find the table (its columns do not matter to them).
    if (sql.startsWith('CREATE TABLE')) target = { name: 'p.snapshots.history', columns: source };
    const added = /^ALTER TABLE `[^`]+` ADD COLUMN (\w+) (\w+)$/.exec(sql);
    if (added && target) target = { ...target, columns: [...target.columns, { name: added[1]!, type: added[2]! }] };
  }
}

describe('BigQuery snapshot plans', () => {
  it.each(CASES)('%s', async (name, plan, source, existing) => {
    const planned = plan();
    expectGolden(`bigquery/plans/snapshot-${name}.sql`, `${asScript(planned.statements).text}\n`);
    await expectValid(planned, source, existing);
  });

  it('prices a later run by its staged changes alone', () => {
    const planned = planner.snapshot(plannedSnapshot(timestamp), table([...SOURCE, ...META]), SOURCE);
    expect(planned.verb).toBe('SNAPSHOT');
    expect(planned.dryRun!.sql.startsWith('WITH tsdbt_source AS (\nselect id, name, updated_at')).toBe(true);
    expect(planned.statements.map((s) => s.sql.split('\n')[0])).toEqual([
      'CREATE TEMP TABLE tsdbt_tmp_history AS (',
      'MERGE INTO `p.snapshots.history` AS tsdbt_dest',
    ]);
  });
});

const SNAPSHOT_YML = `version: 2
sources:
  - name: crm
    tables:
      - name: customers
snapshots:
  - name: customers_history
    relation: source('crm', 'customers')
    config:
      schema: snapshots
      strategy: timestamp
      unique_key: id
      updated_at: updated_at
      hard_deletes: invalidate
`;

const CREATE = `CREATE TABLE \`test-project.snapshots.customers_history\`
AS (
SELECT
  tsdbt_snapshot_source.*,
  TO_HEX(MD5(CONCAT(COALESCE(CAST(id AS STRING), ''), '|', COALESCE(CAST(updated_at AS STRING), '')))) AS dbt_scd_id,
  updated_at AS dbt_updated_at,
  updated_at AS dbt_valid_from,
  NULLIF(updated_at, updated_at) AS dbt_valid_to
FROM (
select * from \`test-project.crm.customers\`
) AS tsdbt_snapshot_source
)`;

describe('tsdbt snapshot against the local BigQuery', () => {
  let fake: FakeGcpServer;
  let project: TmpProject;
  let columns = SOURCE;
  beforeAll(async () => {
    fake = await startFakeGcp();
    fake.addDataset('test-project', 'crm');
    project = createTmpProject(
      { 'project.yml': 'name: demo\nprofile: demo\n', 'profiles.yml': PROFILES, 'snapshots/_snapshots.yml': SNAPSHOT_YML },
      { bare: true },
    );
    // The query's columns come from a dry run; the table the CREATE makes has the meta columns.
    fake.jobHandler = (job) =>
      job.dryRun && job.query.startsWith('select * from') ? { schema: columns.map((c) => ({ name: c.name, type: c.type })) } : undefined;
    fake.schemas.set('test-project.snapshots.customers_history', [...SOURCE, ...META]);
  });
  afterAll(() => fake.close());

  it('the first run creates the table with one CREATE TABLE job (never OR REPLACE)', async () => {
    const result = await runAgainst(fake, project.dir, ['snapshot']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The first run needs no dry run: the query's columns matter only to later runs.
    expect(fake.jobs.filter((j) => j.dryRun)).toEqual([]);
    const jobs = fake.realJobs();
    expect(jobs.map((j) => j.query)).toEqual([CREATE]);
    expect(jobs[0]!.labels.tsdbt_model).toBe('customers_history');
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/datasets') && r.body.datasetReference.datasetId === 'snapshots')).toBe(true);
    expect(project.read('target/run/demo/snapshots/_snapshots.yml/customers_history.sql')).toBe(`${CREATE};\n`);
    expect(result.stdout).toMatch(/OK\s+snapshot\s+`test-project\.snapshots\.customers_history`/);
  });

  it('a later run is one script: staged changes, the new column, one MERGE', async () => {
    fake.reset();
    columns = [...SOURCE, { name: 'city', type: 'STRING' }];
    fake.jobHandler = (job) =>
      job.dryRun && job.query.startsWith('select * from')
        ? { schema: columns.map((c) => ({ name: c.name, type: c.type })) }
        : job.query.includes('MERGE INTO')
          ? { numDmlAffectedRows: 2 }
          : undefined;
    const result = await runAgainst(fake, project.dir, ['snapshot']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const jobs = fake.realJobs();
    expect(jobs).toHaveLength(1);
    const script = jobs[0]!.query;
    expect(script.split(';\n').map((s) => s.split('\n')[0])).toEqual([
      'CREATE TEMP TABLE tsdbt_tmp_customers_history AS (',
      'ALTER TABLE `test-project.snapshots.customers_history` ADD COLUMN city STRING',
      'MERGE INTO `test-project.snapshots.customers_history` AS tsdbt_dest',
    ]);
    expect(script).toContain("WHEN NOT MATCHED AND tsdbt_src.tsdbt_change = 'insert'");
    expect(script).toContain("CURRENT_DATETIME('UTC')");
    expectGolden('bigquery/run/snapshots/customers_history-changes.sql', project.read('target/run/demo/snapshots/_snapshots.yml/customers_history.sql'));
    expect(result.stdout).toMatch(/OK\s+snapshot\s+`test-project\.snapshots\.customers_history`\s+2 rows/);
  });

  it('--dry-run prices the staged changes and writes nothing', async () => {
    fake.reset();
    const result = await runAgainst(fake, project.dir, ['snapshot', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fake.realJobs()).toEqual([]);
    expect(fake.jobs.map((j) => j.query.split('\n')[0])).toEqual(['select * from `test-project.crm.customers`', 'WITH tsdbt_source AS (']);
  });
});
