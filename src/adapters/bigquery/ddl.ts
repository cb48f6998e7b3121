import { mergeUpdateColumns, reconcileColumns } from '../incremental-columns.js';
import type { ModelToMaterialize } from '../adapter.js';
import type { BigqueryModelOptions, PartitionBy } from './model-config.js';
import { bigqueryLiteral, bigqueryName, optionValue, quoteBigqueryIdentifier as q } from './identifiers.js';
import { sqlBody } from '../../compile/sql-text.js';

/** What BigQuery says about an existing relation (tables.get), reduced to what DDL needs. */
export interface ExistingTable {
  type: 'TABLE' | 'VIEW' | 'EXTERNAL' | 'MATERIALIZED_VIEW' | 'SNAPSHOT' | string;
  columns: Array<{ name: string; type: string }>;
  /** A comparable text of the partitioning and clustering (a change needs DROP before replace). */
  layout: string;
  numRows?: number;
}

/** One job: a statement or a script. `modelLine` is where the model's SQL starts in it (1-based). */
export interface JobPlan {
  script: string;
  /** The statements of the script, for target/run/. */
  statements: string[];
  modelLine: number;
  modelLines: number;
  verb: string;
  /** What a dry run sends: the script when BigQuery can price it, otherwise its main statement. */
  dryRunSql: string;
  dryRunModelLine: number;
  /** True when the model SELECT must be priced to know its columns (on_schema_change). */
  incremental: boolean;
}

/** The PARTITION BY expression; with `alias` the same expression over a table alias (for MERGE). */
export function partitionExpression(p: PartitionBy, alias?: string): string {
  const field = alias ? `${alias}.${q(p.field)}` : q(p.field);
  const G = p.granularity.toUpperCase();
  switch (p.dataType) {
    case 'int64':
      return `RANGE_BUCKET(${field}, GENERATE_ARRAY(${p.range!.start}, ${p.range!.end}, ${p.range!.interval}))`;
    case 'date':
      return p.granularity === 'day' ? field : `DATE_TRUNC(${field}, ${G})`;
    case 'timestamp':
      return `TIMESTAMP_TRUNC(${field}, ${G})`;
    case 'datetime':
      return `DATETIME_TRUNC(${field}, ${G})`;
  }
}

/** The value compared when replacing partitions (insert_overwrite): the truncated field. */
function partitionKey(p: PartitionBy, alias?: string): string {
  return p.dataType === 'int64' ? (alias ? `${alias}.${q(p.field)}` : q(p.field)) : partitionExpression(p, alias);
}

const KEY_TYPE: Record<PartitionBy['dataType'], string> = { date: 'DATE', timestamp: 'TIMESTAMP', datetime: 'DATETIME', int64: 'INT64' };

/** Partitioning and clustering as comparable text (BigQuery refuses to replace a table across a change). */
export function layoutText(partition: PartitionBy | undefined | 'ingestion', cluster: string[]): string {
  const p = partition === undefined ? null : partition === 'ingestion' ? 'ingestion' : partitionExpression(partition).toLowerCase();
  return JSON.stringify({ partition: p, cluster: cluster.map((c) => bigqueryName(c).toLowerCase()) });
}

/** The layout text of a model's config, comparable with ExistingTable.layout. */
export function desiredLayout(model: ModelToMaterialize): string {
  const options = optionsOf(model);
  return layoutText(options.partitionBy, options.clusterBy);
}

/** The BigQuery options the compiler parsed for this model (bigqueryConfigSpec). */
export function optionsOf(model: { engineOptions: unknown }): BigqueryModelOptions {
  return (model.engineOptions as BigqueryModelOptions | undefined) ?? { clusterBy: [], labels: {}, requirePartitionFilter: false };
}

interface TableMetadata {
  type?: string;
  schema?: { fields?: Array<{ name?: string; type?: string; mode?: string }> };
  timePartitioning?: { type?: string; field?: string };
  rangePartitioning?: { field?: string; range?: { start?: string | number; end?: string | number; interval?: string | number } };
  clustering?: { fields?: string[] };
  numRows?: string | number;
}

/** tables.get → ExistingTable. */
export function existingTableOf(metadata: TableMetadata): ExistingTable {
  const columns = columnsOfSchema(metadata.schema);
  let partition: PartitionBy | 'ingestion' | undefined;
  const time = metadata.timePartitioning;
  if (time) {
    if (!time.field) partition = 'ingestion';
    else {
      const fieldType = columns.find((c) => c.name.toLowerCase() === time.field!.toLowerCase())?.type ?? 'DATE';
      const dataType = fieldType === 'TIMESTAMP' ? 'timestamp' : fieldType === 'DATETIME' ? 'datetime' : 'date';
      partition = { field: time.field, dataType, granularity: String(time.type ?? 'DAY').toLowerCase() as PartitionBy['granularity'] };
    }
  } else if (metadata.rangePartitioning?.field) {
    const r = metadata.rangePartitioning.range ?? {};
    partition = {
      field: metadata.rangePartitioning.field,
      dataType: 'int64',
      granularity: 'day',
      range: { start: Number(r.start), end: Number(r.end), interval: Number(r.interval) },
    };
  }
  return {
    type: String(metadata.type ?? 'TABLE'),
    columns,
    layout: layoutText(partition, metadata.clustering?.fields ?? []),
    numRows: metadata.numRows === undefined ? undefined : Number(metadata.numRows),
  };
}

/** OPTIONS(...) of the relation: description, labels, partition filter and expiration. */
function relationOptions(model: ModelToMaterialize, kind: 'table' | 'view'): string {
  const options: Array<[string, unknown]> = [];
  const bq = optionsOf(model);
  if (model.config.persistDocs.relation && model.description?.trim()) options.push(['description', model.description.trim()]);
  if (Object.keys(bq.labels).length > 0) options.push(['labels', bq.labels]);
  if (kind === 'table') {
    if (bq.requirePartitionFilter) options.push(['require_partition_filter', true]);
    if (bq.partitionExpirationDays !== undefined) options.push(['partition_expiration_days', bq.partitionExpirationDays]);
  }
  return options.length === 0 ? '' : `OPTIONS(\n${options.map(([k, v]) => `  ${k} = ${optionValue(v)}`).join(',\n')}\n)`;
}

/** ALTER ... ALTER COLUMN IF EXISTS c SET OPTIONS(description=...) for persist_docs columns. */
function columnDocStatements(model: ModelToMaterialize, kind: 'TABLE' | 'VIEW'): string[] {
  if (!model.config.persistDocs.columns || !model.columns) return [];
  return Object.entries(model.columns)
    .filter(([, c]) => c.description?.trim())
    .map(
      ([name, c]) =>
        `ALTER ${kind} ${model.relationName} ALTER COLUMN IF EXISTS ${q(name)} SET OPTIONS(description = ${bigqueryLiteral(c.description.trim())})`,
    );
}

const lineCount = (text: string) => text.split('\n').length;

/** Statements joined into one script; the model SQL position is counted from the joined text. */
function assemble(before: string[], main: { head: string; sql: string; tail: string }, after: string[], verb: string, incremental = false): JobPlan {
  const mainStatement = `${main.head}\n${main.sql}\n${main.tail}`;
  const statements = [...before, mainStatement, ...after];
  const script = statements.length === 1 ? mainStatement : statements.map((s) => `${s};`).join('\n');
  // The main statement starts on the line after the statements before it.
  const startLine = before.length === 0 ? 1 : lineCount(before.map((s) => `${s};\n`).join(''));
  return {
    script,
    statements,
    modelLine: startLine + lineCount(main.head),
    modelLines: lineCount(main.sql),
    verb,
    dryRunSql: mainStatement,
    dryRunModelLine: lineCount(main.head) + 1,
    incremental,
  };
}

/** `CREATE OR REPLACE VIEW`: a table of that name is dropped first, in the same script. */
export function viewPlan(model: ModelToMaterialize, existing: ExistingTable | undefined): JobPlan {
  const before = existing && existing.type !== 'VIEW' ? [`DROP TABLE ${model.relationName}`] : [];
  const options = relationOptions(model, 'view');
  const head = `CREATE OR REPLACE VIEW ${model.relationName}${options ? `\n${options}` : ''}\nAS (`;
  return assemble(before, { head, sql: sqlBody(model.compiledSql), tail: ')' }, columnDocStatements(model, 'VIEW'), 'CREATE VIEW');
}

/**
 * `CREATE OR REPLACE TABLE … PARTITION BY … CLUSTER BY … OPTIONS(…) AS (select)`. A view of that
 * name, or a table partitioned or clustered differently, is dropped first (BigQuery refuses to
 * replace either), in the same script.
 */
export function tablePlan(model: ModelToMaterialize, existing: ExistingTable | undefined, sql = model.compiledSql): JobPlan {
  const { partitionBy: partition, clusterBy: cluster } = optionsOf(model);
  const before: string[] = [];
  if (existing?.type === 'VIEW') before.push(`DROP VIEW ${model.relationName}`);
  else if (existing && existing.type === 'TABLE' && existing.layout !== desiredLayout(model)) before.push(`DROP TABLE ${model.relationName}`);
  const lines = [`CREATE OR REPLACE TABLE ${model.relationName}`];
  if (partition) lines.push(`PARTITION BY ${partitionExpression(partition)}`);
  if (cluster.length > 0) lines.push(`CLUSTER BY ${cluster.map(q).join(', ')}`);
  const options = relationOptions(model, 'table');
  if (options) lines.push(options);
  lines.push('AS (');
  return assemble(before, { head: lines.join('\n'), sql: sqlBody(sql), tail: ')' }, columnDocStatements(model, 'TABLE'), 'CREATE TABLE');
}

export interface IncrementalInput {
  model: ModelToMaterialize;
  /** The model rendered with is_incremental() true. */
  sql: string;
  existing: ExistingTable;
  /** The columns the model SELECT returns (from a dry run), when on_schema_change needs them. */
  sourceColumns?: Array<{ name: string; type: string }>;
}

/**
 * Folds the new rows into an existing table, in one script: schema changes first
 * (on_schema_change), then MERGE on unique_key, partition replacement (insert_overwrite with
 * static `partitions` or, without them, the partitions the new rows fall in), DELETE of the rows
 * whose unique_key the new rows have then INSERT (delete+insert, in a transaction) or INSERT (append).
 */
export function incrementalPlan(input: IncrementalInput): JobPlan {
  const { model, existing } = input;
  if (model.config.materialized !== 'incremental') throw new Error(`incrementalPlan called for a ${model.config.materialized} model`);
  const { strategy, uniqueKey } = model.config.incremental;
  const sql = sqlBody(input.sql);
  const { columns, add, drop } = reconcileColumns(existing.columns, input.sourceColumns, model.config.incremental, model);
  const before = [
    ...add.map((c) => `ALTER TABLE ${model.relationName} ADD COLUMN ${q(c.name)} ${c.type}`),
    ...drop.map((c) => `ALTER TABLE ${model.relationName} DROP COLUMN ${q(c.name)}`),
  ];
  const list = columns.map(q).join(', ');
  const after = columnDocStatements(model, 'TABLE');

  if (strategy === 'append') {
    return assemble(before, { head: `INSERT INTO ${model.relationName} (${list})\nSELECT ${list} FROM (`, sql, tail: ')' }, after, 'INSERT', true);
  }
  if (strategy === 'merge') {
    const updated = mergeUpdateColumns(columns, model.config.incremental);
    const tail = [
      `) AS tsdbt_src`,
      `ON ${uniqueKey.map((k) => `tsdbt_dest.${q(k)} = tsdbt_src.${q(k)}`).join(' AND ')}`,
      updated.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${updated.map((c) => `${q(c)} = tsdbt_src.${q(c)}`).join(', ')}` : '',
      `WHEN NOT MATCHED THEN INSERT (${list}) VALUES (${columns.map((c) => `tsdbt_src.${q(c)}`).join(', ')})`,
    ]
      .filter(Boolean)
      .join('\n');
    return assemble(before, { head: `MERGE INTO ${model.relationName} AS tsdbt_dest\nUSING (`, sql, tail }, after, 'MERGE', true);
  }

  if (strategy === 'delete+insert') {
    // The new rows are staged once; the DELETE and the INSERT commit together.
    const temp = q(`tsdbt_tmp_${bigqueryName(model.identifier)}`);
    const match = uniqueKey.map((k) => `tsdbt_dest.${q(k)} = tsdbt_src.${q(k)}`).join(' AND ');
    const plan = assemble(
      before,
      { head: `CREATE TEMP TABLE ${temp} AS (`, sql, tail: ')' },
      [
        'BEGIN TRANSACTION',
        `DELETE FROM ${model.relationName} AS tsdbt_dest WHERE EXISTS (SELECT 1 FROM ${temp} AS tsdbt_src WHERE ${match})`,
        `INSERT INTO ${model.relationName} (${list})\nSELECT ${list} FROM ${temp}`,
        'COMMIT TRANSACTION',
        ...after,
      ],
      'DELETE+INSERT',
      true,
    );
    return { ...plan, dryRunSql: sql, dryRunModelLine: 1 };
  }

  // insert_overwrite
  const { partitionBy: partition, partitions: staticPartitions } = optionsOf(model);
  // The compiler refuses insert_overwrite without partition_by (bigqueryConfigSpec).
  if (!partition) throw new Error('insert_overwrite without partition_by reached the planner');
  const insert = `WHEN NOT MATCHED THEN INSERT (${list}) VALUES (${columns.map((c) => `tsdbt_src.${q(c)}`).join(', ')})`;
  if (staticPartitions) {
    const tail = [
      `) AS tsdbt_src`,
      'ON FALSE',
      `WHEN NOT MATCHED BY SOURCE AND ${partitionKey(partition, 'tsdbt_dest')} IN (${staticPartitions.join(', ')}) THEN DELETE`,
      insert,
    ].join('\n');
    return assemble(before, { head: `MERGE INTO ${model.relationName} AS tsdbt_dest\nUSING (`, sql, tail }, after, 'INSERT OVERWRITE (static)', true);
  }
  // Dynamic: the partitions of the new rows are computed in the script, then replaced.
  const temp = q(`tsdbt_tmp_${bigqueryName(model.identifier)}`);
  const declare = `DECLARE tsdbt_partitions ARRAY<${KEY_TYPE[partition.dataType]}>`;
  const merge = [
    `SET (tsdbt_partitions) = (SELECT AS STRUCT ARRAY_AGG(DISTINCT ${partitionKey(partition)} IGNORE NULLS) FROM ${temp})`,
    [
      `MERGE INTO ${model.relationName} AS tsdbt_dest`,
      `USING ${temp} AS tsdbt_src`,
      'ON FALSE',
      `WHEN NOT MATCHED BY SOURCE AND ${partitionKey(partition, 'tsdbt_dest')} IN UNNEST(tsdbt_partitions) THEN DELETE`,
      insert,
    ].join('\n'),
  ];
  const plan = assemble(
    [declare, ...before],
    { head: `CREATE TEMP TABLE ${temp} AS (`, sql, tail: ')' },
    [...merge, ...after],
    'INSERT OVERWRITE (dynamic)',
    true,
  );
  // A script with DECLARE cannot be dry-run as a whole: price the SELECT.
  return { ...plan, dryRunSql: sql, dryRunModelLine: 1 };
}

/** Column list of a dry-run or tables.get schema (nested fields kept as their declared type). */
export function columnsOfSchema(
  schema: { fields?: Array<{ name?: string; type?: string; mode?: string }> } | undefined,
): Array<{ name: string; type: string }> {
  return (schema?.fields ?? []).map((f) => {
    const base =
      f.type === 'FLOAT'
        ? 'FLOAT64'
        : f.type === 'INTEGER'
          ? 'INT64'
          : f.type === 'BOOLEAN'
            ? 'BOOL'
            : f.type === 'RECORD'
              ? 'STRUCT'
              : String(f.type ?? 'STRING');
    return { name: String(f.name), type: f.mode === 'REPEATED' ? `ARRAY<${base}>` : base };
  });
}
