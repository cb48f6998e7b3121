import type { Dialect } from '../compile/dialect.js';
import type { SourceTable } from '../project/types.js';
import type { RelationRef, Statement, TestHistoryRow } from './adapter.js';
import { plain } from './statements.js';

// SQL that every engine writes the same way once the dialect renders its types and functions:
// planners share it instead of writing it twice.

/** max(loaded_at_field) of a source, the time now and the age in seconds, as text and a number. */
export function freshnessQuery(d: Dialect, source: SourceTable, lakeRoot: string, field: string, filter: string | undefined): string {
  const r = d.renderings;
  return [
    `select ${r.cast(`max(${field})`, 'string')} as max_loaded_at,`,
    `  ${r.cast(r.current_timestamp(), 'string')} as snapshotted_at,`,
    `  ${r.datediff('second', `max(${field})`, r.current_timestamp())} as age_seconds`,
    `from ${d.sourceRelation(source, lakeRoot)}${filter ? ` where ${filter}` : ''}`,
  ].join('\n');
}

/** The history table (created when missing) and one INSERT of every row of this invocation. */
export function testHistoryStatements(d: Dialect, relation: RelationRef, rows: readonly TestHistoryRow[]): Statement[] {
  const t = d.renderings.type;
  const columns: Array<[string, string]> = [
    ['invocation_id', t('string')],
    ['command', t('string')],
    ['target_name', t('string')],
    ['unique_id', t('string')],
    ['test_name', t('string')],
    ['test_type', t('string')],
    ['attached_node', t('string')],
    ['column_name', t('string')],
    ['status', t('string')],
    ['failures', t('int')],
    ['message', t('string')],
    ['execution_time', t('float')],
    ['started_at', t('timestamp')],
    ['completed_at', t('timestamp')],
  ];
  const text = (value: string | undefined | null) => (value === undefined || value === null ? 'NULL' : d.literal(value));
  const time = (value: string | undefined) => (value ? d.renderings.cast(d.literal(value.replace('T', ' ').replace('Z', '')), 'timestamp') : 'NULL');
  const values = rows.map(
    (r) =>
      `(${[
        text(r.invocationId),
        text(r.command),
        text(r.targetName),
        text(r.uniqueId),
        text(r.testName),
        text(r.testType),
        text(r.attachedNode),
        text(r.columnName),
        text(r.status),
        r.failures === undefined || r.failures === null ? 'NULL' : String(r.failures),
        text(r.message.slice(0, 2000)),
        String(r.executionTime),
        time(r.startedAt),
        time(r.completedAt),
      ].join(', ')})`,
  );
  return [
    plain(`CREATE TABLE IF NOT EXISTS ${relation.relationName} (\n  ${columns.map(([c, type]) => `${c} ${type}`).join(',\n  ')}\n)`),
    plain(`INSERT INTO ${relation.relationName} (${columns.map(([c]) => c).join(', ')}) VALUES\n${values.join(',\n')}`),
  ];
}

/** A fixture or seed value as a SQL literal; `text` quotes strings as the engine does (dates and JSON go as text). */
export function valueLiteral(value: unknown, text: (value: string) => string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return text(value.toISOString());
  return text(typeof value === 'object' ? JSON.stringify(value) : String(value));
}
