import type { IncrementalConfig } from '../../compile/node-config.js';
import { type Column, mergeUpdateColumns, reconcileColumns } from '../incremental-columns.js';
import { quoteDuckdbIdentifier as q } from './dialect.js';

export type ExistingRelation = 'table' | 'view' | 'none';

export interface IncrementalInput {
  model: { uniqueId: string; name: string; relationName: string };
  /** The temporary table holding the new rows. */
  staged: string;
  config: IncrementalConfig;
  targetColumns: Column[];
  stagedColumns: Column[];
}

/** Statements that fold staged rows into an existing table, per strategy and on_schema_change. */
export function incrementalStatements(input: IncrementalInput): { statements: string[]; verb: string } {
  const { staged, config } = input;
  const target = input.model.relationName;
  const { columns, add, drop } = reconcileColumns(input.targetColumns, input.stagedColumns, config, input.model);
  const statements = [
    ...add.map((column) => `ALTER TABLE ${target} ADD COLUMN ${q(column.name)} ${column.type}`),
    ...drop.map((column) => `ALTER TABLE ${target} DROP COLUMN ${q(column.name)}`),
  ];
  const list = columns.map(q).join(', ');
  const keyMatch = (left: string, right: string) => config.uniqueKey.map((k) => `${left}.${q(k)} = ${right}.${q(k)}`).join(' AND ');
  switch (config.strategy) {
    case 'append':
      statements.push(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staged}`);
      return { statements, verb: 'INSERT' };
    case 'delete+insert':
      statements.push(`DELETE FROM ${target} WHERE EXISTS (SELECT 1 FROM ${staged} AS s WHERE ${keyMatch('s', target)})`);
      statements.push(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staged}`);
      return { statements, verb: 'DELETE+INSERT' };
    case 'merge': {
      const updates = mergeUpdateColumns(columns, config).map((c) => `${q(c)} = s.${q(c)}`);
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
    default:
      // The compiler refuses the strategies DuckDB lacks (capabilities.incrementalStrategies).
      throw new Error(`incremental_strategy ${config.strategy} reached the DuckDB planner`);
  }
}
