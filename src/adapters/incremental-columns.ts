import type { IncrementalConfig } from '../compile/node-config.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

export interface Column {
  name: string;
  type: string;
}

export interface ColumnReconciliation {
  /** Columns the new rows are inserted into, in the table's order, then the added ones. */
  columns: string[];
  /** on_schema_change append_new_columns / sync_all_columns: columns to add to the table first. */
  add: Column[];
  /** sync_all_columns: columns to drop from the table first. */
  drop: Column[];
}

/**
 * What an incremental run does with the columns of the table and of the new rows, per
 * on_schema_change (identifiers compare case-insensitively, as both engines do). Engines write
 * the ALTER statements in their own syntax; the decision is the same everywhere.
 */
export function reconcileColumns(
  table: readonly Column[],
  incoming: readonly Column[] | undefined,
  config: IncrementalConfig,
  model: { uniqueId: string; name: string; relationName: string },
): ColumnReconciliation {
  const fail = (message: string, hint: string) =>
    new TsdbtError(`${message} (model ${model.name})`, { code: 'E_INCREMENTAL_SCHEMA', kind: 'runtime', nodeId: model.uniqueId, hint });
  // Without the new rows' columns (on_schema_change ignore), they are assumed to be the table's.
  const source = incoming ?? table;
  const tableNames = new Set(table.map((c) => c.name.toLowerCase()));
  const sourceNames = new Set(source.map((c) => c.name.toLowerCase()));
  const added = source.filter((c) => !tableNames.has(c.name.toLowerCase()));
  const removed = table.filter((c) => !sourceNames.has(c.name.toLowerCase()));
  const result: ColumnReconciliation = { columns: table.filter((c) => sourceNames.has(c.name.toLowerCase())).map((c) => c.name), add: [], drop: [] };
  if (incoming && (added.length > 0 || removed.length > 0)) {
    const change = `new columns: ${added.map((c) => c.name).join(', ') || 'none'}; missing columns: ${removed.map((c) => c.name).join(', ') || 'none'}`;
    if (config.onSchemaChange === 'fail') {
      throw fail(
        `the model's columns differ from ${model.relationName} (${change})`,
        'run with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns',
      );
    }
    if (config.onSchemaChange !== 'ignore') {
      result.add = added;
      result.columns = [...result.columns, ...added.map((c) => c.name)];
    }
    if (config.onSchemaChange === 'sync_all_columns') result.drop = removed;
  }
  for (const key of config.uniqueKey) {
    if (!sourceNames.has(key.toLowerCase())) throw fail(`unique_key column "${key}" is not in the model's output`, 'fix unique_key or select the column');
  }
  if (result.columns.length === 0) throw fail(`${model.relationName} and the model have no column in common`, 'run with --full-refresh');
  return result;
}

/** merge: the columns a matched row updates — merge_update_columns or all but the key, minus merge_exclude_columns. */
export function mergeUpdateColumns(columns: readonly string[], config: IncrementalConfig): string[] {
  const key = new Set(config.uniqueKey.map((k) => k.toLowerCase()));
  const exclude = new Set(config.mergeExcludeColumns.map((c) => c.toLowerCase()));
  return (config.mergeUpdateColumns ?? columns.filter((c) => !key.has(c.toLowerCase()))).filter((c) => !exclude.has(c.toLowerCase()));
}
