/**
 * Golden SQL of every BigQuery materialization × strategy, from the planner, each statement
 * analysed by ZetaSQL; and a run against the local BigQuery whose target/run/** (the statements
 * that ran) is pinned too. UPDATE_GOLDEN=1 npm test regenerates test/golden/bigquery/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExistingRelation, MaterializationPlan } from '../../src/adapters/adapter.js';
import { createBigqueryDialect } from '../../src/adapters/bigquery/dialect.js';
import { createBigqueryPlanner } from '../../src/adapters/bigquery/planner.js';
import { asScript } from '../../src/adapters/statements.js';
import type { SourceTable } from '../../src/project/types.js';
import { resolveConfig } from '../helpers/configs.js';
import { expectGolden } from '../helpers/golden.js';
import { startFakeGcp } from './fake-gcp-server.js';
import { runAgainst, smallProject } from './helpers.js';
import { codesSeed, plannedModel, SRC, SRC_COLUMNS, TARGET_TABLE } from './planner-fixtures.js';
import { type Analyzer, type CatalogTable, startAnalyzer } from './zetasql-analyzer.js';

const planner = createBigqueryPlanner(createBigqueryDialect({ project: 'p' }), 'p');
const SELECT = "select\n    id,\n    day,\n    ts,\n    amount\nfrom `p.ds.src`\nwhere day >= DATE '2024-01-01'";
const TARGET = TARGET_TABLE;
const TEMP: CatalogTable = { ...SRC, name: 'tsdbt_tmp_target' };
const COLUMNS = SRC_COLUMNS;
const TABLE: ExistingRelation = { kind: 'table', columns: COLUMNS, layout: '{"partition":null,"cluster":[]}', rows: 10 };

const model = (raw: Record<string, unknown>) =>
  plannedModel(raw, { select: SELECT, description: 'Daily amounts', columns: { amount: { description: 'Amount in euros' } } });

const partitioned = { partition_by: { field: 'day', data_type: 'date' }, cluster_by: ['id'] };
const incremental = (raw: Record<string, unknown>) => model({ materialized: 'incremental', ...raw });

/** Each case: its plan, and the columns the existing table has (for the catalog it is analysed in). */
const CASES: Array<[string, () => MaterializationPlan, CatalogTable['columns']?]> = [
  ['view', () => planner.view(model({ materialized: 'view' }), undefined)],
  ['view-with-column-docs-replacing-a-table', () => planner.view(model({ materialized: 'view', persist_docs: { columns: true } }), TABLE)],
  ['table', () => planner.table(model({ materialized: 'table' }), undefined)],
  [
    'table-partitioned-clustered-with-options',
    () =>
      planner.table(
        model({
          materialized: 'table',
          ...partitioned,
          require_partition_filter: true,
          partition_expiration_days: 30,
          labels: { domain: 'energy' },
          persist_docs: { relation: true, columns: true },
        }),
        undefined,
      ),
  ],
  ['table-replacing-a-view', () => planner.table(model({ materialized: 'table' }), { kind: 'view' })],
  ['table-repartitioned', () => planner.table(model({ materialized: 'table', ...partitioned }), TABLE)],
  ['incremental-merge', () => planner.incremental(incremental({ unique_key: 'id' }), TABLE, undefined)],
  [
    'incremental-merge-update-and-exclude-columns',
    () =>
      planner.incremental(incremental({ unique_key: ['id', 'day'], merge_update_columns: ['ts', 'amount'], merge_exclude_columns: ['ts'] }), TABLE, undefined),
  ],
  ['incremental-delete+insert', () => planner.incremental(incremental({ incremental_strategy: 'delete+insert', unique_key: 'id' }), TABLE, undefined)],
  [
    'incremental-insert_overwrite-static',
    () => planner.incremental(incremental({ incremental_strategy: 'insert_overwrite', ...partitioned, partitions: ["DATE '2024-01-01'"] }), TABLE, undefined),
  ],
  [
    'incremental-insert_overwrite-dynamic',
    () => planner.incremental(incremental({ incremental_strategy: 'insert_overwrite', ...partitioned }), TABLE, undefined),
  ],
  ['incremental-append', () => planner.incremental(incremental({ incremental_strategy: 'append' }), TABLE, undefined)],
  [
    'incremental-append_new_columns',
    () =>
      planner.incremental(
        incremental({ unique_key: 'id', on_schema_change: 'append_new_columns' }),
        { ...TABLE, columns: COLUMNS.filter((c) => c.name !== 'amount') },
        COLUMNS,
      ),
    SRC.columns.filter((c) => c.name !== 'amount'),
  ],
  [
    'incremental-sync_all_columns',
    () =>
      planner.incremental(
        incremental({ unique_key: 'id', on_schema_change: 'sync_all_columns' }),
        { ...TABLE, columns: [...COLUMNS.filter((c) => c.name !== 'amount'), { name: 'legacy', type: 'STRING' }] },
        COLUMNS,
      ),
    [...SRC.columns.filter((c) => c.name !== 'amount'), { name: 'legacy', type: 'STRING' }],
  ],
];

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await startAnalyzer();
});
afterAll(() => analyzer?.close());

/**
 * Every statement analysed against the catalog. Script control statements, and those that read a
 * script variable (DECLAREd earlier in the same job), are not analysable one by one; the table's
 * schema changes are, but the statements after them would see the table as altered.
 */
async function expectValid(plan: MaterializationPlan, catalog: CatalogTable[]): Promise<void> {
  for (const { sql } of plan.statements) {
    if (/^(DECLARE|SET|BEGIN|COMMIT) /.test(sql) || sql.includes('tsdbt_partitions')) continue;
    if (/^(MERGE|INSERT) /.test(sql)) catalog = catalog.map((t) => (t.name === TARGET.name ? TARGET : t));
    const result = await analyzer.analyze(sql, catalog);
    expect(result.ok ? 'ok' : `${result.message}\n${sql}`).toBe('ok');
  }
}

describe('BigQuery planner goldens', () => {
  it.each(CASES)('%s', async (name, plan, existingColumns) => {
    const planned = plan();
    expectGolden(`bigquery/plans/${name}.sql`, `${asScript(planned.statements).text}\n`);
    await expectValid(planned, [SRC, existingColumns ? { name: TARGET.name, columns: existingColumns } : TARGET, TEMP]);
  });

  it('seed', async () => {
    const seed = codesSeed();
    const [plan, ...more] = planner.seed(seed, undefined, 'code,n,day\n01,1,2024-01-01\n02,,2024-01-02\n');
    expect(more).toEqual([]);
    expectGolden('bigquery/plans/seed.sql', `${asScript(plan!.statements).text}\n`);
    await expectValid(plan!, [
      {
        name: 'p.ds.codes',
        columns: [
          { name: 'code', type: 'STRING' },
          { name: 'n', type: 'INT64' },
          { name: 'day', type: 'DATE' },
        ],
      },
    ]);
  });

  it('external table of a lake source', async () => {
    const source = {
      uniqueId: 'source.demo.lake.events',
      sourceName: 'lake',
      name: 'events',
      identifier: 'events',
      schema: 'lake',
      description: 'Raw events',
      columns: {},
      config: {},
      external: { location: 'events/*.csv', format: 'csv', options: { delim: ';', header: true, encoding: 'latin-1', nullstr: 'NA' } },
    } as unknown as SourceTable;
    const [external] = planner.sources([source], 'gs://lake-bucket/raw');
    expectGolden('bigquery/plans/external-table.sql', `${asScript(external!.plan.statements).text}\n`);
    const result = await analyzer.analyze(external!.plan.statements[0]!.sql, []);
    expect(result.ok ? 'ok' : result.message).toBe('ok');
  });
});

describe('BigQuery microbatch goldens', () => {
  const INTERVALS: CatalogTable = {
    name: 'p.tsdbt_state.intervals',
    columns: [
      { name: 'unique_id', type: 'STRING' },
      { name: 'batch_start', type: 'TIMESTAMP' },
      { name: 'batch_end', type: 'TIMESTAMP' },
      { name: 'row_count', type: 'INT64' },
      { name: 'checksum', type: 'STRING' },
      { name: 'invocation_id', type: 'STRING' },
      { name: 'loaded_at', type: 'TIMESTAMP' },
    ],
  };
  const record = {
    table: { relationName: 'tsdbt_state.intervals', schema: 'tsdbt_state', identifier: 'intervals' },
    uniqueId: 'model.demo.target',
    start: '2024-01-04T00:00:00.000Z',
    end: '2024-01-05T00:00:00.000Z',
    checksum: 'abc123',
    invocationId: 'inv-1',
  };
  const microbatchModel = () => {
    const { config } = resolveConfig(
      { materialized: 'incremental', incremental_strategy: 'microbatch', event_time: 'ts', batch_size: 'day', begin: '2024-01-01' },
      'bigquery',
    );
    return { ...model({ materialized: 'table' }), config, engineOptions: undefined } as ReturnType<typeof model>;
  };
  const microbatch = planner.microbatch!;

  it('a batch: the slice deleted, the rows inserted and the interval recorded in one transaction', async () => {
    const plan = microbatch.batch(microbatchModel(), TABLE, record, { replace: false });
    expectGolden('bigquery/plans/microbatch-batch.sql', `${asScript(plan.statements).text}\n`);
    await expectValid(plan, [SRC, TARGET, TEMP, INTERVALS]);
  });

  it('the first batch creates the table', async () => {
    const plan = microbatch.batch(microbatchModel(), undefined, record, { replace: true });
    expectGolden('bigquery/plans/microbatch-first-batch.sql', `${asScript(plan.statements).text}\n`);
    await expectValid(plan, [SRC, TARGET, INTERVALS]);
  });

  it('the state table and its read', async () => {
    const statements = [...microbatch.intervalsTable(record.table), { sql: microbatch.readIntervals(record.table, record.uniqueId) }];
    expectGolden('bigquery/plans/microbatch-intervals.sql', `${asScript(statements).text}\n`);
    for (const { sql } of statements) {
      const result = await analyzer.analyze(sql, [INTERVALS]);
      expect(result.ok ? 'ok' : `${result.message}\n${sql}`).toBe('ok');
    }
  });
});

describe('target/run of a build against the local BigQuery', () => {
  it('holds exactly the statements that ran, pinned per model', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    try {
      const result = await runAgainst(fake, project.dir, ['build']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      for (const model of ['staging/stg_events', 'marts/daily', 'marts/events_incr']) {
        const ran = project.read(`target/run/demo/models/${model}.sql`);
        expectGolden(`bigquery/run/${model}.sql`, ran);
        // The file is the jobs' statements as they were sent.
        const job = fake.realJobs().find((j) => j.labels.tsdbt_model === model.split('/')[1]);
        expect(ran).toBe(`${job!.query.replace(/;\n(?=ALTER|CREATE|DROP|MERGE|INSERT)/g, ';\n\n').replace(/;$/, '')};\n`);
      }
    } finally {
      await fake.close();
    }
  });
});
