import { TsdbtError } from '../../errors/tsdbt-error.js';
import { quoteDuckdbIdentifier as q } from './dialect.js';

export type ExistingRelation = 'table' | 'view' | 'none';

interface Column {
  name: string;
  type: string;
}

export interface IncrementalInput {
  target: string;
  staged: string;
  config: Record<string, unknown>;
  targetColumns: Column[];
  stagedColumns: Column[];
}

const STRATEGIES = ['append', 'merge', 'delete+insert'] as const;
const SCHEMA_CHANGES = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns', 'sync'] as const;

/** Statements that fold staged rows into an existing table, per strategy and on_schema_change. */
export function incrementalStatements(input: IncrementalInput): { statements: string[]; verb: string } {
  const { target, staged, config } = input;
  const uniqueKey = toKeyList(config.unique_key);
  const strategy = String(config.incremental_strategy ?? (uniqueKey.length > 0 ? 'merge' : 'append'));
  if (!(STRATEGIES as readonly string[]).includes(strategy)) {
    throw configError(`incremental_strategy "${strategy}" is not supported on duckdb`, `use one of: ${STRATEGIES.join(', ')}`);
  }
  if (strategy !== 'append' && uniqueKey.length === 0) {
    throw configError(`incremental_strategy "${strategy}" needs a unique_key`, 'set unique_key="column" (or a list) in the model config');
  }
  const onSchemaChange = String(config.on_schema_change ?? 'ignore');
  if (!(SCHEMA_CHANGES as readonly string[]).includes(onSchemaChange)) {
    throw configError(`on_schema_change "${onSchemaChange}" is not valid`, `use one of: ${SCHEMA_CHANGES.join(', ')}`);
  }

  const targetNames = new Set(input.targetColumns.map((c) => c.name));
  const stagedNames = new Set(input.stagedColumns.map((c) => c.name));
  const added = input.stagedColumns.filter((c) => !targetNames.has(c.name));
  const removed = input.targetColumns.filter((c) => !stagedNames.has(c.name));
  const statements: string[] = [];
  let columns = input.stagedColumns.filter((c) => targetNames.has(c.name)).map((c) => c.name);

  if (added.length > 0 || removed.length > 0) {
    const change = `new columns: ${added.map((c) => c.name).join(', ') || 'none'}; missing columns: ${removed.map((c) => c.name).join(', ') || 'none'}`;
    if (onSchemaChange === 'fail') {
      throw configError(
        `the model's columns differ from ${target} (${change})`,
        'run with --full-refresh, or set on_schema_change to append_new_columns or sync_all_columns',
      );
    }
    if (onSchemaChange !== 'ignore') {
      for (const column of added) statements.push(`ALTER TABLE ${target} ADD COLUMN ${q(column.name)} ${column.type}`);
      columns = [...columns, ...added.map((c) => c.name)];
    }
    if (onSchemaChange === 'sync_all_columns' || onSchemaChange === 'sync') {
      for (const column of removed) statements.push(`ALTER TABLE ${target} DROP COLUMN ${q(column.name)}`);
    }
  }
  for (const key of uniqueKey) {
    if (!stagedNames.has(key)) throw configError(`unique_key column "${key}" is not in the model's output`, 'fix unique_key or select the column');
  }

  const list = columns.map(q).join(', ');
  const keyMatch = (left: string, right: string) => uniqueKey.map((k) => `${left}.${q(k)} = ${right}.${q(k)}`).join(' AND ');
  if (strategy === 'append') {
    statements.push(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staged}`);
    return { statements, verb: 'INSERT' };
  }
  if (strategy === 'delete+insert') {
    statements.push(`DELETE FROM ${target} WHERE EXISTS (SELECT 1 FROM ${staged} AS s WHERE ${keyMatch('s', target)})`);
    statements.push(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staged}`);
    return { statements, verb: 'DELETE+INSERT' };
  }
  const updates = columns.filter((c) => !uniqueKey.includes(c)).map((c) => `${q(c)} = s.${q(c)}`);
  statements.push(
    [
      `MERGE INTO ${target} AS t USING ${staged} AS s ON ${keyMatch('t', 's')}`,
      updates.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}` : '',
      `WHEN NOT MATCHED THEN INSERT (${list}) VALUES (${columns.map((c) => `s.${q(c)}`).join(', ')})`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return { statements, verb: 'MERGE' };
}

function toKeyList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.trim() !== '') return value.split(',').map((k) => k.trim());
  return [];
}

function configError(message: string, hint: string): TsdbtError {
  return new TsdbtError(message, { code: 'E_INCREMENTAL_CONFIG', kind: 'runtime', hint });
}
