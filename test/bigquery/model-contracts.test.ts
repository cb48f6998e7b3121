/**
 * Model contracts on BigQuery: the planner's contracted DDL pinned as golden files and analysed by
 * ZetaSQL; then the real CLI against the local BigQuery: the dry run of the SELECT is compared
 * with the contract before the one CREATE job (exact statements), a mismatch sends no job, and a
 * NULL in a NOT NULL column fails the job (the table of the previous run is left as it was).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaterializationPlan, PlannedModel } from '../../src/adapters/adapter.js';
import { createBigqueryDialect } from '../../src/adapters/bigquery/dialect.js';
import { createBigqueryPlanner } from '../../src/adapters/bigquery/planner.js';
import { asScript } from '../../src/adapters/statements.js';
import { resolveContract } from '../../src/compile/contract.js';
import type { ColumnInfo } from '../../src/project/types.js';
import { expectGolden } from '../helpers/golden.js';
import type { TmpProject } from '../helpers/tmp-project.js';
import { type FakeGcpServer, startFakeGcp } from './fake-gcp-server.js';
import { guardViolations, runAgainst, smallProject } from './helpers.js';
import { plannedModel, SRC, TARGET_TABLE } from './planner-fixtures.js';
import { type Analyzer, type CatalogTable, startAnalyzer } from './zetasql-analyzer.js';

const dialect = createBigqueryDialect({ project: 'p' });
const planner = createBigqueryPlanner(dialect, 'p');
const SELECT = "select\n    id,\n    day,\n    ts,\n    amount\nfrom `p.ds.src`\nwhere day >= DATE '2024-01-01'";
const PARENT: CatalogTable = { name: 'p.ds.parent', columns: [{ name: 'id', type: 'INT64' }] };

const column = (name: string, dataType: string, constraints?: unknown[]): ColumnInfo => ({
  name,
  description: name === 'amount' ? 'Amount in euros' : '',
  dataType,
  meta: {},
  tags: [],
  tests: [],
  constraints,
});

/** `p.ds.target` with this config and an enforced contract over the columns of `p.ds.src`, resolved as compile does. */
function contracted(raw: Record<string, unknown>, constraints: unknown[] = []): PlannedModel {
  const model = plannedModel(raw, { select: SELECT });
  const columns = {
    id: column('id', 'int', [{ type: 'not_null' }, { type: 'foreign_key', to: "ref('parent')", to_columns: ['id'] }]),
    day: column('day', 'date', [{ type: 'not_null' }]),
    ts: column('ts', 'timestamp_tz'),
    amount: column('amount', 'FLOAT64', [{ type: 'check', expression: 'amount >= 0' }]),
  };
  const result = resolveContract({
    nodeId: model.uniqueId,
    name: model.name,
    materialized: model.config.materialized,
    onSchemaChange: model.config.materialized === 'incremental' ? model.config.incremental.onSchemaChange : undefined,
    raw: { enforced: true },
    columns,
    constraints,
    locateConfig: () => ({ file: 'models/target.yml' }),
    locateProperty: () => ({ file: 'models/target.yml' }),
    dialect,
  });
  if (result.errors.length > 0) throw result.errors[0];
  const contract = result.contract!;
  for (const c of contract.constraints) if (c.to) c.toRelation = '`p.ds.parent`';
  return { ...model, config: { ...model.config, contract }, columns };
}

const CASES: Array<[string, () => MaterializationPlan]> = [
  ['contract-table', () => planner.table(contracted({}, [{ type: 'primary_key', columns: ['id', 'day'] }]), undefined)],
  [
    'contract-table-partitioned-documented-replacing-a-view',
    () =>
      planner.table(
        contracted({ partition_by: { field: 'day', data_type: 'date' }, cluster_by: ['id'], persist_docs: { relation: true, columns: true } }, [
          { type: 'primary_key', columns: ['id'] },
        ]),
        { kind: 'view' },
      ),
  ],
  // The first run of an incremental model creates its table as a table model does.
  [
    'contract-incremental-first-run',
    () => planner.table(contracted({ materialized: 'incremental', unique_key: 'id', on_schema_change: 'append_new_columns' }), undefined),
  ],
];

describe('BigQuery contracted DDL', () => {
  let analyzer: Analyzer;
  beforeAll(async () => {
    analyzer = await startAnalyzer();
  });
  afterAll(() => analyzer?.close());

  it.each(CASES)('%s', async (name, plan) => {
    const planned = plan();
    expectGolden(`bigquery/plans/${name}.sql`, `${asScript(planned.statements).text}\n`);
    for (const { sql } of planned.statements) {
      const catalog = /^ALTER /.test(sql) ? [SRC, PARENT, TARGET_TABLE] : [SRC, PARENT];
      const result = await analyzer.analyze(sql, catalog);
      expect(result.ok ? 'ok' : `${result.message}\n${sql}`).toBe('ok');
    }
  });

  it('writes the declared types, NOT NULL and the keys NOT ENFORCED; unique and check are left out', () => {
    const [create] = planner.table(
      contracted({}, [
        { type: 'primary_key', columns: ['id', 'day'] },
        { type: 'unique', columns: ['ts'] },
      ]),
      undefined,
    ).statements;
    expect(create!.sql).toBe(`CREATE OR REPLACE TABLE \`p.ds.target\`
(
  id INT64 NOT NULL,
  day DATE NOT NULL,
  ts TIMESTAMP,
  amount FLOAT64,
  FOREIGN KEY (id) REFERENCES \`p.ds.parent\` (id) NOT ENFORCED,
  PRIMARY KEY (id, day) NOT ENFORCED
)
AS (
SELECT id, day, ts, amount FROM (
${SELECT}
) AS tsdbt_contract
)`);
    // The model's SQL keeps its own lines inside the statement: engine line N maps back to it.
    expect(create!.embeds!.line).toBe(12);
  });
});

const CONTRACTED_SQL = `select
    event_id,
    day,
    count(*) as n
from {{ref "stg_events"}}
group by event_id, day
`;

const CONTRACTED_YML = `version: 2
models:
  - name: contracted
    config:
      contract: {enforced: true}
      partition_by: {field: day, data_type: date}
    constraints:
      - type: primary_key
        columns: [event_id, day]
        warn_unenforced: false
    columns:
      - name: event_id
        data_type: string
        constraints: [{type: not_null}]
      - name: day
        data_type: date
      - name: n
        data_type: int
        constraints: [{type: check, expression: "n > 0", warn_unsupported: false}]
`;

const CONTRACTED_DDL = `CREATE OR REPLACE TABLE \`test-project.marts.contracted\`
(
  event_id STRING NOT NULL,
  day DATE,
  n INT64,
  PRIMARY KEY (event_id, day) NOT ENFORCED
)
PARTITION BY day
AS (
SELECT event_id, day, n FROM (
select
    event_id,
    day,
    count(*) as n
from \`test-project.staging.stg_events\`
group by event_id, day
) AS tsdbt_contract
)`;

const DRY_RUN_SELECT = `select
    event_id,
    day,
    count(*) as n
from \`test-project.staging.stg_events\`
group by event_id, day`;

/** The dry run's schema of the contracted model's SELECT, as BigQuery's REST API names types. */
const schemaWith = (n: string) => [
  { name: 'event_id', type: 'STRING' },
  { name: 'day', type: 'DATE' },
  { name: 'n', type: n },
];

const INCREMENTAL_SQL = `{{config materialized="incremental" unique_key="event_id" on_schema_change="append_new_columns"}}
select event_id, max(day) as last_day
from {{ref "stg_events"}}
{{#if (is_incremental)}}where day > (select max(last_day) from {{this}}){{/if}}
group by event_id
`;

const INCREMENTAL_YML = `version: 2
models:
  - name: contracted_incr
    config: {contract: {enforced: true}}
    columns:
      - {name: event_id, data_type: string, constraints: [{type: not_null}]}
      - {name: last_day, data_type: date}
`;

describe('tsdbt build of a contracted model against the local BigQuery', () => {
  let fake: FakeGcpServer;
  let project: TmpProject;
  beforeAll(async () => {
    fake = await startFakeGcp();
    project = smallProject({
      'models/marts/contracted.sql': CONTRACTED_SQL,
      'models/marts/contracted.yml': CONTRACTED_YML,
      'models/marts/contracted_incr.sql': INCREMENTAL_SQL,
      'models/marts/contracted_incr.yml': INCREMENTAL_YML,
    });
  });
  afterAll(() => fake.close());

  it('dry-runs the SELECT, compares it with the contract, then creates the table with its column list', async () => {
    fake.jobHandler = (job) => (job.labels.tsdbt_model === 'contracted' && job.dryRun ? { schema: schemaWith('INTEGER') } : undefined);
    const result = await runAgainst(fake, project.dir, ['build', '--select', '+contracted']);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const jobs = fake.jobs.filter((j) => j.labels.tsdbt_model === 'contracted');
    expect(jobs.map((j) => [j.dryRun, j.query])).toEqual([
      [true, DRY_RUN_SELECT],
      [false, CONTRACTED_DDL],
    ]);
    expect(project.read('target/run/demo/models/marts/contracted.sql')).toBe(`${CONTRACTED_DDL};\n`);
    // The fake created the table from the statement's column list: REQUIRED where NOT NULL.
    expect(fake.tables.get('test-project.marts.contracted')!.resource.schema.fields).toEqual([
      { name: 'event_id', type: 'STRING', mode: 'REQUIRED' },
      { name: 'day', type: 'DATE' },
      { name: 'n', type: 'INTEGER' },
    ]);
  });

  it('a type mismatch in the dry run is an error naming the model file: no job is sent', async () => {
    fake.reset();
    fake.jobHandler = (job) => (job.labels.tsdbt_model === 'contracted' && job.dryRun ? { schema: schemaWith('FLOAT') } : undefined);
    const result = await runAgainst(fake, project.dir, ['build', '--select', 'contracted']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`ERROR in model contracted (models/marts/contracted.sql)
  model contracted does not match its contract (1 column):
    column | contract | model
    -------+----------+--------
    n      | INT64    | FLOAT64   data type differs`);
    expect(fake.jobs.filter((j) => j.labels.tsdbt_model === 'contracted').map((j) => j.dryRun)).toEqual([true]);
    expect(fake.tables.get('test-project.marts.contracted')!.resource.schema.fields).toHaveLength(3);
  });

  it('a NULL in a NOT NULL column fails the job: the previous table is left as it was', async () => {
    fake.reset();
    const before = JSON.stringify(fake.tables.get('test-project.marts.contracted')!.resource);
    fake.jobHandler = (job) =>
      job.labels.tsdbt_model !== 'contracted'
        ? undefined
        : job.dryRun
          ? { schema: schemaWith('INTEGER') }
          : { error: { reason: 'invalidQuery', message: 'Required field event_id cannot be null' } };
    const result = await runAgainst(fake, project.dir, ['build', '--select', 'contracted']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Required field event_id cannot be null');
    expect(result.stderr).toContain('the previous relation was left untouched');
    expect(fake.realJobs().map((j) => j.query)).toEqual([CONTRACTED_DDL]);
    expect(JSON.stringify(fake.tables.get('test-project.marts.contracted')!.resource)).toBe(before);
  });

  it('an incremental model: created with its column list, then each run checks the new rows with one dry run before the MERGE', async () => {
    fake.reset();
    const schema = [
      { name: 'event_id', type: 'STRING' },
      { name: 'last_day', type: 'DATE' },
    ];
    fake.jobHandler = (job) => (job.labels.tsdbt_model === 'contracted_incr' && job.dryRun ? { schema } : undefined);
    const first = await runAgainst(fake, project.dir, ['build', '--select', 'contracted_incr']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(fake.realJobs().map((j) => j.query.split('\n').slice(0, 5).join('\n'))).toEqual([
      'CREATE OR REPLACE TABLE `test-project.marts.contracted_incr`\n(\n  event_id STRING NOT NULL,\n  last_day DATE\n)',
    ]);

    fake.reset();
    const second = await runAgainst(fake, project.dir, ['build', '--select', 'contracted_incr']);
    expect(second.code).toBe(0);
    const jobs = fake.jobs.filter((j) => j.labels.tsdbt_model === 'contracted_incr');
    expect(jobs.map((j) => [j.dryRun, j.query.trim().split('\n')[0]])).toEqual([
      [true, 'select event_id, max(day) as last_day'],
      [false, 'MERGE INTO `test-project.marts.contracted_incr` AS tsdbt_dest'],
    ]);
    expect(jobs[0]!.query).toContain('where day > (select max(last_day) from `test-project.marts.contracted_incr`)');

    fake.reset();
    fake.jobHandler = (job) =>
      job.labels.tsdbt_model === 'contracted_incr' && job.dryRun ? { schema: [schema[0]!, { name: 'last_day', type: 'TIMESTAMP' }] } : undefined;
    const third = await runAgainst(fake, project.dir, ['build', '--select', 'contracted_incr']);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('    last_day | DATE     | TIMESTAMP   data type differs');
    expect(fake.realJobs()).toEqual([]);
  });
});
