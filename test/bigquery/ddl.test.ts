/**
 * The statements of every BigQuery materialization (table with partitioning and clustering,
 * view, incremental merge / insert_overwrite static and dynamic / append, schema changes,
 * persist_docs), external tables and seeds: their text, their line mapping, their errors, and
 * their validity as GoogleSQL (ZetaSQL, offline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExistingRelation, MaterializationPlan, PlannedModel } from '../../src/adapters/adapter.js';
import {
  desiredLayout,
  existingTableOf,
  type IncrementalInput,
  incrementalPlan as planIncremental,
  tablePlan as planTable,
  viewPlan as planView,
} from '../../src/adapters/bigquery/ddl.js';
import { asScript } from '../../src/adapters/statements.js';
import { externalTableStatement } from '../../src/adapters/bigquery/external.js';
import { seedPlan } from '../../src/adapters/bigquery/seeds.js';
import type { SourceTable } from '../../src/project/types.js';
import { codesSeed, plannedModel, SRC, SRC_COLUMNS, TARGET_TABLE } from './planner-fixtures.js';
import { startAnalyzer, type Analyzer, type CatalogTable } from './zetasql-analyzer.js';

const SELECT = 'select\n    id,\n    day,\n    ts,\n    amount\nfrom `p.ds.src`';
const EXISTING: ExistingRelation = { kind: 'table', columns: SRC_COLUMNS, layout: '', rows: 10 };

const model = (raw: Record<string, unknown>, extra: Partial<PlannedModel> = {}) => plannedModel(raw, { select: SELECT, ...extra });

/** A plan as the job BigQuery receives: the script, its statements, the line the model's SQL starts on. */
function jobOf(plan: MaterializationPlan) {
  const script = asScript(plan.statements);
  const main = plan.statements.findIndex((s) => s.embeds);
  return {
    script: script.text,
    statements: plan.statements.map((s) => s.sql),
    modelLine: script.starts[main]! + plan.statements[main]!.embeds!.line - 1,
    verb: plan.verb,
    dryRunSql: plan.dryRun!.sql,
  };
}
const tablePlan = (m: PlannedModel, existing: ExistingRelation | undefined) => jobOf(planTable(m, existing));
const viewPlan = (m: PlannedModel, existing: ExistingRelation | undefined) => jobOf(planView(m, existing));
const incrementalPlan = (input: IncrementalInput) => jobOf(planIncremental(input));

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await startAnalyzer();
});
afterAll(() => analyzer?.close());

async function expectValid(statements: string[], tables: CatalogTable[] = [SRC, TARGET_TABLE]): Promise<void> {
  for (const statement of statements) {
    const result = await analyzer.analyze(statement, tables);
    expect(result.ok ? 'ok' : `${result.message}\n${statement}`).toBe('ok');
  }
}

/** The model's first line sits at plan.modelLine of the script sent. */
function expectModelAt(plan: { script: string; modelLine: number }, sql = SELECT): void {
  expect(plan.script.split('\n')[plan.modelLine - 1]).toBe(sql.split('\n')[0]);
}

describe('table', () => {
  const partitions: Array<[Record<string, unknown>, string]> = [
    [{ field: 'day', data_type: 'date' }, 'PARTITION BY day'],
    [{ field: 'day', data_type: 'date', granularity: 'month' }, 'PARTITION BY DATE_TRUNC(day, MONTH)'],
    [{ field: 'ts', data_type: 'timestamp', granularity: 'hour' }, 'PARTITION BY TIMESTAMP_TRUNC(ts, HOUR)'],
    [{ field: 'ts', data_type: 'timestamp' }, 'PARTITION BY TIMESTAMP_TRUNC(ts, DAY)'],
    [{ field: 'id', data_type: 'int64', range: { start: 0, end: 1000, interval: 10 } }, 'PARTITION BY RANGE_BUCKET(id, GENERATE_ARRAY(0, 1000, 10))'],
  ];

  it.each(partitions)('partition_by %j', async (partitionBy, clause) => {
    const m = model({
      partition_by: partitionBy,
      cluster_by: ['id', 'day'],
      require_partition_filter: true,
      ...(partitionBy.data_type === 'int64' ? {} : { partition_expiration_days: 30 }),
    });
    const plan = tablePlan(m, undefined);
    expect(plan.statements).toHaveLength(1);
    expect(plan.script).toContain(`\n${clause}\nCLUSTER BY id, day\nOPTIONS(\n  require_partition_filter = true`);
    expectModelAt(plan);
    await expectValid(plan.statements);
    // Created as asked, the table compares equal: the next run replaces it without DROP.
    const fields = SRC.columns.map((c) => ({ name: c.name, type: c.type === 'INT64' ? 'INTEGER' : c.type === 'FLOAT64' ? 'FLOAT' : String(c.type) }));
    const p = partitionBy as { field: string; granularity?: string; range?: Record<string, number> };
    const metadata = p.range
      ? {
          type: 'TABLE',
          schema: { fields },
          rangePartitioning: { field: p.field, range: { start: '0', end: '1000', interval: '10' } },
          clustering: { fields: ['id', 'day'] },
        }
      : {
          type: 'TABLE',
          schema: { fields },
          timePartitioning: { type: (p.granularity ?? 'day').toUpperCase(), field: p.field },
          clustering: { fields: ['id', 'day'] },
        };
    expect(existingTableOf(metadata).layout).toBe(desiredLayout(m));
    expect(tablePlan(m, existingTableOf(metadata)).statements).toHaveLength(1);
  });

  it('persist_docs writes the description in OPTIONS and column descriptions after the CREATE', async () => {
    const m = model(
      { persist_docs: { relation: true, columns: true }, labels: { domain: 'energy' } },
      {
        description: "Daily mix (MWh), l'énergie\n",
        columns: { amount: { description: 'Energy in MWh' }, nope: { description: 'a documented column the model lost' }, id: { description: '' } },
      },
    );
    const plan = tablePlan(m, undefined);
    expect(plan.script).toContain("OPTIONS(\n  description = 'Daily mix (MWh), l\\'énergie',\n  labels = [('domain', 'energy')]\n)");
    expect(plan.statements.slice(1)).toEqual([
      "ALTER TABLE `p.ds.target` ALTER COLUMN IF EXISTS amount SET OPTIONS(description = 'Energy in MWh')",
      "ALTER TABLE `p.ds.target` ALTER COLUMN IF EXISTS nope SET OPTIONS(description = 'a documented column the model lost')",
    ]);
    await expectValid(plan.statements.slice(0, 1));
    await expectValid(plan.statements.slice(1));
  });

  it('drops a view, or a table partitioned differently, before replacing it (same script)', () => {
    const m = model({ partition_by: { field: 'day' } });
    const view = tablePlan(m, { ...EXISTING, kind: 'view' });
    expect(view.statements[0]).toBe('DROP VIEW `p.ds.target`');
    expect(view.script.startsWith('DROP VIEW `p.ds.target`;\nCREATE OR REPLACE TABLE')).toBe(true);
    expectModelAt(view);
    const other = tablePlan(
      m,
      existingTableOf({ type: 'TABLE', timePartitioning: { type: 'MONTH', field: 'day' }, schema: { fields: [{ name: 'day', type: 'DATE' }] } }),
    );
    expect(other.statements[0]).toBe('DROP TABLE `p.ds.target`');
  });

  it('refuses configurations BigQuery would refuse when the project compiles', () => {
    expect(() => tablePlan(model({ partition_by: 'day' }), undefined)).toThrow(/partition_by must be a mapping/);
    expect(() => tablePlan(model({ partition_by: { field: 'day', data_type: 'date', granularity: 'hour' } }), undefined)).toThrow(
      /cannot be partitioned by hour/,
    );
    expect(() => tablePlan(model({ partition_by: { field: 'id', data_type: 'int64' } }), undefined)).toThrow(/needs range/);
    expect(() => tablePlan(model({ cluster_by: ['a', 'b', 'c', 'd', 'e'] }), undefined)).toThrow(/cluster_by has 5 columns/);
    expect(() => tablePlan(model({ require_partition_filter: true }), undefined)).toThrow(/require_partition_filter needs partition_by/);
    expect(() => tablePlan(model({ labels: { Domain: 'x' } }), undefined)).toThrow(/label Domain: x is not valid/);
  });
});

describe('view', () => {
  it('CREATE OR REPLACE VIEW, dropping a table of that name first; column docs with ALTER VIEW', async () => {
    const m = model({ materialized: 'view', persist_docs: { columns: true } }, { columns: { id: { description: 'key' } } });
    const plan = viewPlan(m, { ...EXISTING, kind: 'table' });
    expect(plan.statements).toEqual([
      'DROP TABLE `p.ds.target`',
      `CREATE OR REPLACE VIEW \`p.ds.target\`\nAS (\n${SELECT}\n)`,
      "ALTER VIEW `p.ds.target` ALTER COLUMN IF EXISTS id SET OPTIONS(description = 'key')",
    ]);
    expectModelAt(plan);
    await expectValid(plan.statements.slice(1, 2));
    await expectValid(plan.statements.slice(2));
  });
});

describe('incremental', () => {
  it('merge on a composite unique_key, with merge_exclude_columns', async () => {
    const plan = incrementalPlan({
      model: model({ materialized: 'incremental', unique_key: ['id', 'day'], merge_exclude_columns: ['ts'] }),
      existing: EXISTING,
    });
    expect(plan.script).toBe(
      `MERGE INTO \`p.ds.target\` AS tsdbt_dest\nUSING (\n${SELECT}\n) AS tsdbt_src\nON tsdbt_dest.id = tsdbt_src.id AND tsdbt_dest.day = tsdbt_src.day\n` +
        'WHEN MATCHED THEN UPDATE SET amount = tsdbt_src.amount\n' +
        'WHEN NOT MATCHED THEN INSERT (id, day, ts, amount) VALUES (tsdbt_src.id, tsdbt_src.day, tsdbt_src.ts, tsdbt_src.amount)',
    );
    expect(plan.verb).toBe('MERGE');
    expectModelAt(plan);
    await expectValid(plan.statements);
  });

  it('append: INSERT of the columns the table has', async () => {
    const plan = incrementalPlan({ model: model({ materialized: 'incremental' }), existing: EXISTING });
    expect(plan.script).toBe(`INSERT INTO \`p.ds.target\` (id, day, ts, amount)\nSELECT id, day, ts, amount FROM (\n${SELECT}\n)`);
    await expectValid(plan.statements);
  });

  it('insert_overwrite with static partitions replaces exactly those', async () => {
    const m = model({
      materialized: 'incremental',
      incremental_strategy: 'insert_overwrite',
      partition_by: { field: 'day', data_type: 'date' },
      partitions: ["DATE '2024-03-31'", "DATE '2024-04-01'"],
    });
    const plan = incrementalPlan({ model: m, existing: EXISTING });
    expect(plan.script).toContain(
      "ON FALSE\nWHEN NOT MATCHED BY SOURCE AND tsdbt_dest.day IN (DATE '2024-03-31', DATE '2024-04-01') THEN DELETE\nWHEN NOT MATCHED THEN INSERT",
    );
    await expectValid(plan.statements);
  });

  it('insert_overwrite without partitions computes the partitions of the new rows in the script', async () => {
    const m = model({
      materialized: 'incremental',
      incremental_strategy: 'insert_overwrite',
      partition_by: { field: 'ts', data_type: 'timestamp', granularity: 'day' },
    });
    const plan = incrementalPlan({ model: m, existing: EXISTING });
    expect(plan.statements[0]).toBe('DECLARE tsdbt_partitions ARRAY<TIMESTAMP>');
    expect(plan.statements[1]).toBe(`CREATE TEMP TABLE tsdbt_tmp_target AS (\n${SELECT}\n)`);
    expect(plan.statements[2]).toBe(
      'SET (tsdbt_partitions) = (SELECT AS STRUCT ARRAY_AGG(DISTINCT TIMESTAMP_TRUNC(ts, DAY) IGNORE NULLS) FROM tsdbt_tmp_target)',
    );
    expect(plan.statements[3]).toContain('WHEN NOT MATCHED BY SOURCE AND TIMESTAMP_TRUNC(tsdbt_dest.ts, DAY) IN UNNEST(tsdbt_partitions) THEN DELETE');
    expectModelAt(plan);
    expect(plan.modelLine).toBe(3);
    // A script with DECLARE is priced through its SELECT.
    expect(plan.dryRunSql).toBe(SELECT);
    await expectValid([plan.statements[1]!]);
    const temp: CatalogTable = { ...SRC, name: 'tsdbt_tmp_target' };
    await expectValid([plan.statements[3]!.replace('UNNEST(tsdbt_partitions)', "UNNEST([TIMESTAMP '2024-01-01'])")], [SRC, TARGET_TABLE, temp]);
  });

  it('on_schema_change: append_new_columns and sync_all_columns alter the table first; fail stops', async () => {
    const sourceColumns = [...EXISTING.columns!.filter((c) => c.name !== 'amount'), { name: 'region', type: 'STRING' }];
    const sync = incrementalPlan({
      model: model({ materialized: 'incremental', unique_key: 'id', on_schema_change: 'sync_all_columns' }),
      existing: EXISTING,
      sourceColumns,
    });
    expect(sync.statements.slice(0, 2)).toEqual(['ALTER TABLE `p.ds.target` ADD COLUMN region STRING', 'ALTER TABLE `p.ds.target` DROP COLUMN amount']);
    expect(sync.statements[2]).toContain('INSERT (id, day, ts, region)');
    expectModelAt(sync);
    await expectValid(sync.statements.slice(0, 2));
    const append = incrementalPlan({
      model: model({ materialized: 'incremental', unique_key: 'id', on_schema_change: 'append_new_columns' }),
      existing: EXISTING,
      sourceColumns,
    });
    expect(append.statements).toHaveLength(2);
    expect(() =>
      incrementalPlan({
        model: model({ materialized: 'incremental', unique_key: 'id', on_schema_change: 'fail' }),
        existing: EXISTING,
        sourceColumns,
      }),
    ).toThrow(/the model's columns differ from `p\.ds\.target` \(new columns: region; missing columns: amount\)/);
  });

  it('delete+insert: stage the new rows, then DELETE their keys and INSERT them in one transaction', async () => {
    const plan = incrementalPlan({
      model: model({ materialized: 'incremental', incremental_strategy: 'delete+insert', unique_key: 'id,day' }),
      existing: EXISTING,
    });
    expect(plan.statements).toEqual([
      `CREATE TEMP TABLE tsdbt_tmp_target AS (\n${SELECT}\n)`,
      'BEGIN TRANSACTION',
      'DELETE FROM `p.ds.target` AS tsdbt_dest WHERE EXISTS (SELECT 1 FROM tsdbt_tmp_target AS tsdbt_src WHERE tsdbt_dest.id = tsdbt_src.id AND tsdbt_dest.day = tsdbt_src.day)',
      'INSERT INTO `p.ds.target` (id, day, ts, amount)\nSELECT id, day, ts, amount FROM tsdbt_tmp_target',
      'COMMIT TRANSACTION',
    ]);
    expect(plan.verb).toBe('DELETE+INSERT');
    expect(plan.modelLine).toBe(2);
    expectModelAt(plan);
    const temp: CatalogTable = { ...SRC, name: 'tsdbt_tmp_target' };
    await expectValid([plan.statements[0]!]);
    await expectValid(plan.statements.slice(2, 4), [SRC, TARGET_TABLE, temp]);
  });

  it('refuses unknown strategies and incomplete configs', () => {
    const run = (config: Record<string, unknown>) => () => incrementalPlan({ model: model({ materialized: 'incremental', ...config }), existing: EXISTING });
    expect(run({ incremental_strategy: 'microbatch', unique_key: 'id' })).toThrow(/"microbatch" needs event_time/);
    expect(run({ incremental_strategy: 'upsert', unique_key: 'id' })).toThrow(/unknown incremental_strategy "upsert"/);
    expect(run({ incremental_strategy: 'delete+insert' })).toThrow(/"delete\+insert" needs a unique_key/);
    expect(run({ incremental_strategy: 'merge' })).toThrow(/needs a unique_key/);
    expect(run({ incremental_strategy: 'insert_overwrite' })).toThrow(/needs partition_by/);
  });
});

function source(external: Record<string, unknown>, config: Record<string, unknown> = {}): SourceTable {
  return {
    uniqueId: 'source.demo.lake.events',
    sourceName: 'lake',
    name: 'events',
    identifier: 'events',
    schema: 'lake',
    description: '',
    external,
    config,
    location: { file: 'models/sources.yml', line: 4 },
    columns: { 'Event id': { name: 'Event id', description: '' }, Montant: { name: 'Montant', description: '', dataType: 'float' } },
  } as unknown as SourceTable;
}

describe('external tables', () => {
  it('maps DuckDB reader options (RTE files: TAB, latin-1, header, ragged rows)', async () => {
    const plan = externalTableStatement(
      source({
        location: 'rte/*.xls',
        format: 'csv',
        file_name_column: '_f',
        options: { delim: '\t', header: true, skip: 2, encoding: 'latin-1', all_varchar: true, null_padding: true, nullstr: ['ND', '-'], auto_detect: false },
      }),
      'gs://bucket/prefix/',
      'p',
    );
    expect(plan.statement).toBe(
      'CREATE OR REPLACE EXTERNAL TABLE `p.lake.events`\n(\n  Event_id STRING,\n  Montant STRING\n)\nOPTIONS (\n' +
        "  format = 'CSV',\n  uris = ['gs://bucket/prefix/rte/*.xls'],\n  field_delimiter = '\\t',\n  encoding = 'ISO-8859-1',\n" +
        "  allow_jagged_rows = true,\n  ignore_unknown_values = true,\n  null_markers = ['ND', '-'],\n  skip_leading_rows = 3\n)",
    );
    await expectValid([plan.statement]);
  });

  it('types from the DuckDB columns option, bigquery_options passed through, parquet with no schema', async () => {
    const typed = externalTableStatement(
      source(
        { location: 'gs://other/x/**/*.csv', options: { columns: { 'Event id': 'BIGINT', Montant: 'DOUBLE' }, quote: "'" } },
        { bigquery_options: { max_bad_records: 5, quote: '"' } },
      ),
      undefined,
      'p',
    );
    expect(typed.statement).toContain('(\n  Event_id INT64,\n  Montant FLOAT64\n)');
    expect(typed.statement).toContain("uris = ['gs://other/x/*.csv']");
    expect(typed.statement).toContain("max_bad_records = 5,\n  quote = '\"'");
    expect(typed.statement).not.toContain("quote = '\\''");
    await expectValid([typed.statement]);
    const parquet = externalTableStatement(source({ location: 'events/*.parquet', format: 'parquet' }), 'gs://b', 'p');
    expect(parquet.statement).toBe(
      "CREATE OR REPLACE EXTERNAL TABLE `p.lake.events`\nOPTIONS (\n  format = 'PARQUET',\n  uris = ['gs://b/events/*.parquet']\n)",
    );
    await expectValid([parquet.statement]);
  });

  it('names the source file and what to do when a source cannot be an external table', () => {
    expect(() => externalTableStatement(source({ location: 'x/*.csv' }), '/local/lake', 'p')).toThrow(
      /source lake\.events: its lake location "x\/\*\.csv" is relative, and the target's lake is "\/local\/lake", not a gs:\/\/ location/,
    );
    expect(() => externalTableStatement(source({ location: 'a/*/b/*.csv' }), 'gs://b', 'p')).toThrow(/more than one wildcard/);
    expect(() => externalTableStatement(source({ location: 'x.csv', options: { encoding: 'windows-1252' } }), 'gs://b', 'p')).toThrow(
      /encoding "windows-1252" is not one BigQuery reads/,
    );
    expect(() => externalTableStatement(source({ location: 'x.csv', options: { sniff: true } }), 'gs://b', 'p')).toThrow(
      /reader option "sniff" has no BigQuery mapping/,
    );
  });
});

describe('seeds', () => {
  it('CREATE with declared or inferred types, then INSERT of the rows', async () => {
    const seed = codesSeed();
    const plan = seedPlan(seed, "code,n,ratio,ok,day,label\n01,1,0.5,true,2024-01-01,l'eau\n02,,1e3,false,2024-01-02,\n");
    expect(plan.columns).toEqual([
      { name: 'code', type: 'STRING' },
      { name: 'n', type: 'INT64' },
      { name: 'ratio', type: 'FLOAT64' },
      { name: 'ok', type: 'BOOL' },
      { name: 'day', type: 'DATE' },
      { name: 'label', type: 'STRING' },
    ]);
    const jobs = plan.plans.map((p) => asScript(p.statements).text);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toContain("VALUES\n('01', 1, 0.5, TRUE, DATE '2024-01-01', 'l\\'eau'),\n('02', NULL, 1e3, FALSE, DATE '2024-01-02', NULL);");
    await expectValid(
      jobs[0]!.split(';\n').map((s) => s.replace(/;$/, '')),
      [{ name: 'p.ds.codes', columns: plan.columns }],
    );
  });
});
