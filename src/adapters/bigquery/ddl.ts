import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ModelToMaterialize } from '../adapter.js';
import { LABEL_KEY, LABEL_VALUE, bigqueryLiteral, bigqueryName, optionValue, quoteBigqueryIdentifier as q } from './identifiers.js';
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

export interface PartitionBy {
  field: string;
  dataType: 'date' | 'timestamp' | 'datetime' | 'int64';
  granularity: 'hour' | 'day' | 'month' | 'year';
  range?: { start: number; end: number; interval: number };
}

function configError(model: ModelToMaterialize, message: string, hint: string): TsdbtError {
  return new TsdbtError(`${message} (model ${model.name})`, { code: 'E_BIGQUERY_CONFIG', kind: 'runtime', nodeId: model.uniqueId, hint });
}

export function parsePartitionBy(model: ModelToMaterialize): PartitionBy | undefined {
  const raw = model.config.partition_by;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw configError(
      model,
      'partition_by must be a mapping',
      "write partition_by={field: 'day', data_type: 'date'} (YAML: partition_by: {field: day, data_type: date})",
    );
  }
  const p = raw as Record<string, unknown>;
  if (typeof p.field !== 'string' || p.field === '')
    throw configError(model, 'partition_by needs a field', 'partition_by: {field: the_column, data_type: date}');
  const dataType = String(p.data_type ?? 'date').toLowerCase();
  if (!['date', 'timestamp', 'datetime', 'int64'].includes(dataType)) {
    throw configError(model, `partition_by data_type "${dataType}" is not supported`, 'use date, timestamp, datetime or int64');
  }
  const granularity = String(p.granularity ?? 'day').toLowerCase();
  if (!['hour', 'day', 'month', 'year'].includes(granularity)) {
    throw configError(model, `partition_by granularity "${granularity}" is not supported`, 'use hour, day, month or year');
  }
  if (dataType === 'date' && granularity === 'hour')
    throw configError(model, 'a date column cannot be partitioned by hour', 'use granularity day, month or year');
  let range: PartitionBy['range'];
  if (dataType === 'int64') {
    const r = p.range as Record<string, unknown> | undefined;
    const nums = r && [r.start, r.end, r.interval].map(Number);
    if (!nums || nums.some((n) => !Number.isInteger(n)) || nums[2]! <= 0) {
      throw configError(
        model,
        'an int64 partition_by needs range: {start, end, interval} (integers)',
        'partition_by: {field: id, data_type: int64, range: {start: 0, end: 100000, interval: 1000}}',
      );
    }
    range = { start: nums[0]!, end: nums[1]!, interval: nums[2]! };
  }
  return { field: p.field, dataType: dataType as PartitionBy['dataType'], granularity: granularity as PartitionBy['granularity'], range };
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

export function clusterBy(model: ModelToMaterialize): string[] {
  const raw = model.config.cluster_by;
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw)
    ? raw.map(String)
    : String(raw)
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);
  if (list.length > 4) throw configError(model, `cluster_by has ${list.length} columns`, 'BigQuery clusters by at most 4 columns');
  return list;
}

/** Partitioning and clustering as comparable text (BigQuery refuses to replace a table across a change). */
export function layoutText(partition: PartitionBy | undefined | 'ingestion', cluster: string[]): string {
  const p = partition === undefined ? null : partition === 'ingestion' ? 'ingestion' : partitionExpression(partition).toLowerCase();
  return JSON.stringify({ partition: p, cluster: cluster.map((c) => bigqueryName(c).toLowerCase()) });
}

/** The layout text of a model's config, comparable with ExistingTable.layout. */
export function desiredLayout(model: ModelToMaterialize): string {
  return layoutText(parsePartitionBy(model), clusterBy(model));
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

function persistDocs(model: ModelToMaterialize): { relation: boolean; columns: boolean } {
  const raw = model.config.persist_docs;
  if (raw === undefined || raw === null || raw === false) return { relation: false, columns: false };
  if (raw === true) return { relation: true, columns: true };
  if (typeof raw !== 'object') throw configError(model, 'persist_docs must be a mapping', 'persist_docs: {relation: true, columns: true}');
  const r = raw as Record<string, unknown>;
  return { relation: r.relation === true, columns: r.columns === true };
}

function labels(model: ModelToMaterialize): Record<string, string> | undefined {
  const raw = model.config.labels;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configError(model, 'labels must be a mapping', 'labels: {domain: energy}');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const value = String(v ?? '');
    if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(value)) {
      throw configError(
        model,
        `label ${k}: ${value} is not valid for BigQuery`,
        'label keys and values use lowercase letters, digits, _ and - (63 characters at most)',
      );
    }
    out[k] = value;
  }
  return out;
}

/** OPTIONS(...) of the relation: description, labels, partition filter and expiration. */
function relationOptions(model: ModelToMaterialize, kind: 'table' | 'view', partition: PartitionBy | undefined): string {
  const options: Array<[string, unknown]> = [];
  const docs = persistDocs(model);
  if (docs.relation && model.description?.trim()) options.push(['description', model.description.trim()]);
  const l = labels(model);
  if (l && Object.keys(l).length > 0) options.push(['labels', l]);
  if (kind === 'table') {
    if (model.config.require_partition_filter === true) {
      if (!partition) throw configError(model, 'require_partition_filter needs partition_by', 'add partition_by, or drop require_partition_filter');
      options.push(['require_partition_filter', true]);
    }
    const days = model.config.partition_expiration_days;
    if (days !== undefined && days !== null) {
      const n = Number(days);
      if (!partition || partition.dataType === 'int64')
        throw configError(model, 'partition_expiration_days needs a time partition_by', 'add partition_by on a date or timestamp column');
      if (!Number.isFinite(n) || n <= 0)
        throw configError(model, `partition_expiration_days must be a positive number, got ${String(days)}`, 'partition_expiration_days: 365');
      options.push(['partition_expiration_days', n]);
    }
  }
  return options.length === 0 ? '' : `OPTIONS(\n${options.map(([k, v]) => `  ${k} = ${optionValue(v)}`).join(',\n')}\n)`;
}

/** ALTER ... ALTER COLUMN IF EXISTS c SET OPTIONS(description=...) for persist_docs columns. */
function columnDocStatements(model: ModelToMaterialize, kind: 'TABLE' | 'VIEW'): string[] {
  if (!persistDocs(model).columns || !model.columns) return [];
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
  const options = relationOptions(model, 'view', undefined);
  const head = `CREATE OR REPLACE VIEW ${model.relationName}${options ? `\n${options}` : ''}\nAS (`;
  return assemble(before, { head, sql: sqlBody(model.compiledSql), tail: ')' }, columnDocStatements(model, 'VIEW'), 'CREATE VIEW');
}

/**
 * `CREATE OR REPLACE TABLE … PARTITION BY … CLUSTER BY … OPTIONS(…) AS (select)`. A view of that
 * name, or a table partitioned or clustered differently, is dropped first (BigQuery refuses to
 * replace either), in the same script.
 */
export function tablePlan(model: ModelToMaterialize, existing: ExistingTable | undefined, sql = model.compiledSql): JobPlan {
  const partition = parsePartitionBy(model);
  const cluster = clusterBy(model);
  const before: string[] = [];
  if (existing?.type === 'VIEW') before.push(`DROP VIEW ${model.relationName}`);
  else if (existing && existing.type === 'TABLE' && existing.layout !== desiredLayout(model)) before.push(`DROP TABLE ${model.relationName}`);
  const lines = [`CREATE OR REPLACE TABLE ${model.relationName}`];
  if (partition) lines.push(`PARTITION BY ${partitionExpression(partition)}`);
  if (cluster.length > 0) lines.push(`CLUSTER BY ${cluster.map(q).join(', ')}`);
  const options = relationOptions(model, 'table', partition);
  if (options) lines.push(options);
  lines.push('AS (');
  return assemble(before, { head: lines.join('\n'), sql: sqlBody(sql), tail: ')' }, columnDocStatements(model, 'TABLE'), 'CREATE TABLE');
}

const STRATEGIES = ['merge', 'delete+insert', 'insert_overwrite', 'append'] as const;
const SCHEMA_CHANGES = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;

function keyList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((k) => k.trim());
  return [];
}

export interface IncrementalInput {
  model: ModelToMaterialize;
  /** The model rendered with is_incremental() true. */
  sql: string;
  existing: ExistingTable;
  /** The columns the model SELECT returns (from a dry run), when on_schema_change needs them. */
  sourceColumns?: Array<{ name: string; type: string }>;
}

export function incrementalStrategy(model: ModelToMaterialize): {
  strategy: (typeof STRATEGIES)[number];
  uniqueKey: string[];
  onSchemaChange: (typeof SCHEMA_CHANGES)[number];
} {
  const uniqueKey = keyList(model.config.unique_key);
  const strategy = String(model.config.incremental_strategy ?? (uniqueKey.length > 0 ? 'merge' : 'append'));
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw configError(model, `incremental_strategy "${strategy}" is not supported on bigquery`, `use one of: ${STRATEGIES.join(', ')}`);
  }
  if ((strategy === 'merge' || strategy === 'delete+insert') && uniqueKey.length === 0) {
    throw configError(model, `incremental_strategy "${strategy}" needs a unique_key`, 'set unique_key="column" (or a list)');
  }
  const onSchemaChange = String(model.config.on_schema_change ?? 'ignore');
  if (!(SCHEMA_CHANGES as readonly string[]).includes(onSchemaChange)) {
    throw configError(model, `on_schema_change "${onSchemaChange}" is not valid`, `use one of: ${SCHEMA_CHANGES.join(', ')}`);
  }
  return { strategy: strategy as (typeof STRATEGIES)[number], uniqueKey, onSchemaChange: onSchemaChange as (typeof SCHEMA_CHANGES)[number] };
}

/**
 * Folds the new rows into an existing table, in one script: schema changes first
 * (on_schema_change), then MERGE on unique_key, partition replacement (insert_overwrite with
 * static `partitions` or, without them, the partitions the new rows fall in), DELETE of the rows
 * whose unique_key the new rows have then INSERT (delete+insert, in a transaction) or INSERT (append).
 */
export function incrementalPlan(input: IncrementalInput): JobPlan {
  const { model, existing } = input;
  const { strategy, uniqueKey, onSchemaChange } = incrementalStrategy(model);
  const sql = sqlBody(input.sql);
  const target = existing.columns;
  const source = input.sourceColumns ?? target;
  const targetNames = new Set(target.map((c) => c.name.toLowerCase()));
  const sourceNames = new Set(source.map((c) => c.name.toLowerCase()));
  const added = source.filter((c) => !targetNames.has(c.name.toLowerCase()));
  const removed = target.filter((c) => !sourceNames.has(c.name.toLowerCase()));
  const before: string[] = [];
  let columns = target.filter((c) => sourceNames.has(c.name.toLowerCase())).map((c) => c.name);
  if (input.sourceColumns && (added.length > 0 || removed.length > 0)) {
    const change = `new columns: ${added.map((c) => c.name).join(', ') || 'none'}; missing columns: ${removed.map((c) => c.name).join(', ') || 'none'}`;
    if (onSchemaChange === 'fail') {
      throw configError(
        model,
        `the model's columns differ from ${model.relationName} (${change})`,
        'run with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns',
      );
    }
    if (onSchemaChange === 'append_new_columns' || onSchemaChange === 'sync_all_columns') {
      for (const c of added) before.push(`ALTER TABLE ${model.relationName} ADD COLUMN ${q(c.name)} ${c.type}`);
      columns = [...columns, ...added.map((c) => c.name)];
    }
    if (onSchemaChange === 'sync_all_columns') {
      for (const c of removed) before.push(`ALTER TABLE ${model.relationName} DROP COLUMN ${q(c.name)}`);
    }
  }
  for (const key of uniqueKey) {
    if (input.sourceColumns && !sourceNames.has(key.toLowerCase()))
      throw configError(model, `unique_key column "${key}" is not in the model's output`, 'fix unique_key or select the column');
  }
  if (columns.length === 0) throw configError(model, `${model.relationName} and the model have no column in common`, 'run with --full-refresh');
  const list = columns.map(q).join(', ');
  const after = columnDocStatements(model, 'TABLE');

  if (strategy === 'append') {
    return assemble(before, { head: `INSERT INTO ${model.relationName} (${list})\nSELECT ${list} FROM (`, sql, tail: ')' }, after, 'INSERT', true);
  }
  if (strategy === 'merge') {
    const update = columns.filter((c) => !uniqueKey.some((k) => k.toLowerCase() === c.toLowerCase()));
    const include = keyList(model.config.merge_update_columns);
    const exclude = new Set(keyList(model.config.merge_exclude_columns).map((c) => c.toLowerCase()));
    const updated = (include.length > 0 ? include : update).filter((c) => !exclude.has(c.toLowerCase()));
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
  const partition = parsePartitionBy(model);
  if (!partition) throw configError(model, 'incremental_strategy "insert_overwrite" needs partition_by', 'add partition_by, or use merge');
  const insert = `WHEN NOT MATCHED THEN INSERT (${list}) VALUES (${columns.map((c) => `tsdbt_src.${q(c)}`).join(', ')})`;
  const staticPartitions = model.config.partitions;
  if (staticPartitions !== undefined && staticPartitions !== null) {
    if (!Array.isArray(staticPartitions) || staticPartitions.length === 0) {
      throw configError(model, 'partitions must be a list of SQL values', 'partitions: ["DATE \'2024-01-01\'", "DATE \'2024-01-02\'"]');
    }
    const tail = [
      `) AS tsdbt_src`,
      'ON FALSE',
      `WHEN NOT MATCHED BY SOURCE AND ${partitionKey(partition, 'tsdbt_dest')} IN (${staticPartitions.map(String).join(', ')}) THEN DELETE`,
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
