import type { Column, ExistingRelation, MaterializationPlan, PlannedModel, Statement } from '../adapter.js';
import { mergeUpdateColumns, reconcileColumns } from '../incremental-columns.js';
import { alone, embed, plain } from '../statements.js';
import { contractTable } from './contract-ddl.js';
import { bigqueryLiteral, bigqueryName, optionValue, quoteBigqueryIdentifier as q } from './identifiers.js';
import type { BigqueryModelOptions, PartitionBy } from './model-config.js';

// BigQuery's statements for views, tables and incremental runs. The connection sends a plan as
// one job (a script when it has several statements), so a failure changes nothing.

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
export function desiredLayout(model: PlannedModel): string {
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

/** tables.get → what the planner needs of an existing relation. */
export function existingTableOf(metadata: TableMetadata): ExistingRelation {
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
  const type = String(metadata.type ?? 'TABLE');
  return {
    // External tables, materialized views and snapshots are none of what a model builds.
    kind: type === 'TABLE' ? 'table' : type === 'VIEW' ? 'view' : 'other',
    columns,
    layout: layoutText(partition, metadata.clustering?.fields ?? []),
    rows: metadata.numRows === undefined ? undefined : Number(metadata.numRows),
  };
}

/** What OPTIONS and column descriptions are written from: a model's or a snapshot's. */
export type DocumentedRelation = Pick<PlannedModel, 'relationName' | 'description' | 'columns' | 'engineOptions'> & {
  config: Pick<PlannedModel['config'], 'persistDocs'>;
};

/** OPTIONS(...) of the relation: description, labels, partition filter and expiration. */
export function relationOptions(model: DocumentedRelation, kind: 'table' | 'view'): string {
  const options: Array<[string, unknown]> = [];
  const bq = optionsOf(model);
  if (model.config.persistDocs.relation && model.description.trim()) options.push(['description', model.description.trim()]);
  if (Object.keys(bq.labels).length > 0) options.push(['labels', bq.labels]);
  if (kind === 'table') {
    if (bq.requirePartitionFilter) options.push(['require_partition_filter', true]);
    if (bq.partitionExpirationDays !== undefined) options.push(['partition_expiration_days', bq.partitionExpirationDays]);
  }
  return options.length === 0 ? '' : `OPTIONS(\n${options.map(([k, v]) => `  ${k} = ${optionValue(v)}`).join(',\n')}\n)`;
}

/** ALTER ... ALTER COLUMN IF EXISTS c SET OPTIONS(description=...) for persist_docs columns. */
export function columnDocStatements(model: DocumentedRelation, kind: 'TABLE' | 'VIEW'): string[] {
  if (!model.config.persistDocs.columns) return [];
  return Object.entries(model.columns)
    .filter(([, c]) => c.description?.trim())
    .map(
      ([name, c]) =>
        `ALTER ${kind} ${model.relationName} ALTER COLUMN IF EXISTS ${q(name)} SET OPTIONS(description = ${bigqueryLiteral(c.description.trim())})`,
    );
}

/** The statements before the model's, the one embedding its SQL, and those after it. */
function assemble(model: PlannedModel, before: string[], main: { head: string; tail: string }, after: string[], verb: string): MaterializationPlan {
  const statement = embed(main.head, model.sql, main.tail, model.file);
  return { statements: [...before.map(plain), statement, ...after.map(plain)], verb, dryRun: statement };
}

/** A dry run of the plan's SELECT alone (a script that DECLAREs cannot be priced as a whole). */
const priceSelect = (model: PlannedModel): Statement => alone(model.sql, model.file);

/** `CREATE OR REPLACE VIEW`: a table of that name is dropped first, in the same script. */
export function viewPlan(model: PlannedModel, existing: ExistingRelation | undefined): MaterializationPlan {
  const before = existing && existing.kind !== 'view' ? [`DROP TABLE ${model.relationName}`] : [];
  const options = relationOptions(model, 'view');
  const head = `CREATE OR REPLACE VIEW ${model.relationName}${options ? `\n${options}` : ''}\nAS (`;
  return assemble(model, before, { head, tail: ')' }, columnDocStatements(model, 'VIEW'), 'CREATE VIEW');
}

/**
 * `CREATE OR REPLACE TABLE … PARTITION BY … CLUSTER BY … OPTIONS(…) AS (select)`. A view of that
 * name, or a table partitioned or clustered differently, is dropped first (BigQuery refuses to
 * replace either), in the same script.
 */
export function tablePlan(model: PlannedModel, existing: ExistingRelation | undefined): MaterializationPlan {
  const { partitionBy: partition, clusterBy: cluster } = optionsOf(model);
  const before: string[] = [];
  if (existing?.kind === 'view') before.push(`DROP VIEW ${model.relationName}`);
  else if (existing?.kind === 'table' && existing.layout !== desiredLayout(model)) before.push(`DROP TABLE ${model.relationName}`);
  // An enforced contract declares the columns (types, NOT NULL, keys) and selects them in that order.
  const contract = contractTable(model);
  const lines = [`CREATE OR REPLACE TABLE ${model.relationName}`, ...(contract ? [contract.columnList] : [])];
  if (partition) lines.push(`PARTITION BY ${partitionExpression(partition)}`);
  if (cluster.length > 0) lines.push(`CLUSTER BY ${cluster.map(q).join(', ')}`);
  const options = relationOptions(model, 'table');
  if (options) lines.push(options);
  lines.push(contract ? `AS (\n${contract.select.head}` : 'AS (');
  const tail = contract ? `${contract.select.tail}\n)` : ')';
  return assemble(model, before, { head: lines.join('\n'), tail }, columnDocStatements(model, 'TABLE'), 'CREATE TABLE');
}

export interface IncrementalInput {
  /** The model; its sql is the rendering with is_incremental() true. */
  model: PlannedModel;
  existing: ExistingRelation;
  /** The columns the model SELECT returns (from a dry run), when on_schema_change needs them. */
  sourceColumns?: Column[];
}

/**
 * Folds the new rows into an existing table, in one script: schema changes first
 * (on_schema_change), then MERGE on unique_key, partition replacement (insert_overwrite with
 * static `partitions` or, without them, the partitions the new rows fall in), DELETE of the rows
 * whose unique_key the new rows have then INSERT (delete+insert, in a transaction) or INSERT (append).
 */
export function incrementalPlan(input: IncrementalInput): MaterializationPlan {
  const { model, existing } = input;
  if (model.config.materialized !== 'incremental') throw new Error(`incrementalPlan called for a ${model.config.materialized} model`);
  const { strategy, uniqueKey } = model.config.incremental;
  const { columns, add, drop } = reconcileColumns(existing.columns ?? [], input.sourceColumns, model.config.incremental, model);
  const before = [
    ...add.map((c) => `ALTER TABLE ${model.relationName} ADD COLUMN ${q(c.name)} ${c.type}`),
    ...drop.map((c) => `ALTER TABLE ${model.relationName} DROP COLUMN ${q(c.name)}`),
  ];
  const list = columns.map(q).join(', ');
  const after = columnDocStatements(model, 'TABLE');

  if (strategy === 'append') {
    return assemble(model, before, { head: `INSERT INTO ${model.relationName} (${list})\nSELECT ${list} FROM (`, tail: ')' }, after, 'INSERT');
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
    return assemble(model, before, { head: `MERGE INTO ${model.relationName} AS tsdbt_dest\nUSING (`, tail }, after, 'MERGE');
  }

  if (strategy === 'delete+insert') {
    // The new rows are staged once; the DELETE and the INSERT commit together.
    const temp = q(`tsdbt_tmp_${bigqueryName(model.identifier)}`);
    const match = uniqueKey.map((k) => `tsdbt_dest.${q(k)} = tsdbt_src.${q(k)}`).join(' AND ');
    const plan = assemble(
      model,
      before,
      { head: `CREATE TEMP TABLE ${temp} AS (`, tail: ')' },
      [
        'BEGIN TRANSACTION',
        `DELETE FROM ${model.relationName} AS tsdbt_dest WHERE EXISTS (SELECT 1 FROM ${temp} AS tsdbt_src WHERE ${match})`,
        `INSERT INTO ${model.relationName} (${list})\nSELECT ${list} FROM ${temp}`,
        'COMMIT TRANSACTION',
        ...after,
      ],
      'DELETE+INSERT',
    );
    return { ...plan, dryRun: priceSelect(model) };
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
    return assemble(model, before, { head: `MERGE INTO ${model.relationName} AS tsdbt_dest\nUSING (`, tail }, after, 'INSERT OVERWRITE (static)');
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
  const plan = assemble(model, [declare, ...before], { head: `CREATE TEMP TABLE ${temp} AS (`, tail: ')' }, [...merge, ...after], 'INSERT OVERWRITE (dynamic)');
  return { ...plan, dryRun: priceSelect(model) };
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
