import type { Dialect } from '../../compile/dialect.js';
import type { Column, ExistingRelation, MaterializationPlan, PlannedSnapshot } from '../adapter.js';
import { checkSnapshot, initialSnapshotSelect, type SnapshotEngine, snapshotChanges } from '../snapshot-sql.js';
import { embed, plain } from '../statements.js';
import { columnDocStatements, optionsOf, partitionExpression, relationOptions } from './ddl.js';
import { bigqueryName, quoteBigqueryIdentifier as q } from './identifiers.js';

/** BigQuery's clock for snapshots: CURRENT_TIMESTAMP(), or the UTC wall time for DATETIME and DATE columns. */
function snapshotEngine(dialect: Dialect): SnapshotEngine {
  return {
    quote: q,
    hash: dialect.renderings.hash,
    now(type) {
      const t = type?.toUpperCase();
      if (t === undefined || t === 'TIMESTAMP') return 'CURRENT_TIMESTAMP()';
      if (t === 'DATETIME') return "CURRENT_DATETIME('UTC')";
      if (t === 'DATE') return "CURRENT_DATE('UTC')";
      return `CAST(CURRENT_TIMESTAMP() AS ${type})`;
    },
    textType: 'STRING',
  };
}

/**
 * A snapshot's job. The first run is one CREATE TABLE (partitioned and clustered as configured;
 * CREATE, not CREATE OR REPLACE: a history is never replaced). Later runs are one script: the
 * changes staged in a temp table, the columns the table lacks added, then one MERGE on
 * dbt_scd_id that ends the replaced versions and inserts the new ones (as dbt-bigquery does); a
 * failure before the MERGE leaves the table's rows as they were.
 */
export function snapshotPlan(
  dialect: Dialect,
  snapshot: PlannedSnapshot,
  existing: ExistingRelation | undefined,
  sourceColumns: readonly Column[] | undefined,
): MaterializationPlan {
  checkSnapshot(snapshot, existing, sourceColumns);
  const engine = snapshotEngine(dialect);
  const target = snapshot.relationName;
  const docs = columnDocStatements(snapshot, 'TABLE').map(plain);
  if (!existing) {
    const { partitionBy, clusterBy } = optionsOf(snapshot);
    const lines = [`CREATE TABLE ${target}`];
    if (partitionBy) lines.push(`PARTITION BY ${partitionExpression(partitionBy)}`);
    if (clusterBy.length > 0) lines.push(`CLUSTER BY ${clusterBy.map(q).join(', ')}`);
    const options = relationOptions(snapshot, 'table');
    if (options) lines.push(options);
    const select = initialSnapshotSelect(snapshot, engine);
    const create = embed(`${lines.join('\n')}\nAS (\n${select.head}`, snapshot.sql, `${select.tail}\n)`, snapshot.file);
    return { statements: [create, ...docs], verb: 'CREATE TABLE', dryRun: create };
  }
  if (!sourceColumns) throw new Error(`snapshot ${snapshot.name}: a later run is planned with the columns of its query`);
  const changes = snapshotChanges(snapshot, existing, sourceColumns, engine);
  const staged = q(`tsdbt_tmp_${bigqueryName(snapshot.identifier)}`);
  const columns = changes.insertColumns.join(', ');
  const merge = [
    `MERGE INTO ${target} AS tsdbt_dest`,
    `USING ${staged} AS tsdbt_src`,
    `ON tsdbt_src.${changes.scdId} = tsdbt_dest.${changes.scdId}`,
    `WHEN MATCHED AND ${changes.isCurrent('tsdbt_dest')} AND tsdbt_src.tsdbt_change IN ('update', 'delete')`,
    `  THEN UPDATE SET ${changes.validTo} = tsdbt_src.${changes.validTo}`,
    `WHEN NOT MATCHED AND tsdbt_src.tsdbt_change = 'insert'`,
    `  THEN INSERT (${columns}) VALUES (${changes.insertColumns.map((c) => `tsdbt_src.${c}`).join(', ')})`,
  ].join('\n');
  return {
    statements: [
      embed(`CREATE TEMP TABLE ${staged} AS (\n${changes.head}`, snapshot.sql, `${changes.tail}\n)`, snapshot.file),
      ...changes.addColumns.map((column) => plain(`ALTER TABLE ${target} ADD COLUMN ${q(column.name)} ${column.type}`)),
      plain(merge),
      ...docs,
    ],
    verb: 'SNAPSHOT',
    // The staged changes alone price the run (a script is not priced as a whole).
    dryRun: embed(changes.head, snapshot.sql, changes.tail, snapshot.file),
  };
}
