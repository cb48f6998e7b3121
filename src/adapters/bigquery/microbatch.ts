import type { Dialect } from '../../compile/dialect.js';
import type { IntervalRecord, MicrobatchPlanner, RelationRef } from '../adapter.js';
import { plain } from '../statements.js';
import { bigqueryLiteral, quoteBigqueryIdentifier as q } from './identifiers.js';
import { loadSlice } from './slice-load.js';

/** An instant as a BigQuery literal. */
const instant = (iso: string) => `TIMESTAMP ${bigqueryLiteral(iso)}`;

/**
 * `column` in [start, end): the window of a batch, compared as instants. TIMESTAMP() takes a
 * TIMESTAMP as it is, a DATE or DATETIME as UTC: BigQuery has no comparison of a DATE with a
 * TIMESTAMP, and an event_time column may be either.
 */
export const bigqueryEventTimeFilter = (column: string, start: string, end: string) =>
  `TIMESTAMP(${column}) >= ${instant(start)} AND TIMESTAMP(${column}) < ${instant(end)}`;

/**
 * BigQuery's statements for microbatch batches, pinned by goldens and analysed by ZetaSQL: the
 * state table in the tsdbt_state dataset, one script job per batch.
 */
export function createBigqueryMicrobatch(dialect: Dialect, project: string | undefined): MicrobatchPlanner {
  const tableOf = (table: RelationRef) => dialect.relation({ database: project, schema: table.schema, identifier: table.identifier });
  const record = (r: IntervalRecord, rows: string): string[] => {
    const table = tableOf(r.table);
    const id = bigqueryLiteral(r.uniqueId);
    return [
      `DELETE FROM ${table} WHERE unique_id = ${id} AND batch_start = ${instant(r.start)}`,
      `INSERT INTO ${table} (unique_id, batch_start, batch_end, row_count, checksum, invocation_id, loaded_at)\n` +
        `SELECT ${id}, ${instant(r.start)}, ${instant(r.end)}, (${rows}), ${bigqueryLiteral(r.checksum)}, ${bigqueryLiteral(r.invocationId)}, CURRENT_TIMESTAMP()`,
    ];
  };
  return {
    intervalsTable: (table) => [
      plain(`CREATE SCHEMA IF NOT EXISTS \`${project ? `${project}.` : ''}${table.schema}\``),
      plain(
        `CREATE TABLE IF NOT EXISTS ${tableOf(table)} (unique_id STRING NOT NULL, batch_start TIMESTAMP NOT NULL, batch_end TIMESTAMP NOT NULL, ` +
          'row_count INT64, checksum STRING NOT NULL, invocation_id STRING, loaded_at TIMESTAMP NOT NULL)',
      ),
    ],

    readIntervals: (table, uniqueId) =>
      `SELECT UNIX_MILLIS(batch_start) AS start_ms, UNIX_MILLIS(batch_end) AS end_ms, checksum, UNIX_MILLIS(loaded_at) AS loaded_at_ms, row_count\n` +
      `FROM ${tableOf(table)} WHERE unique_id = ${bigqueryLiteral(uniqueId)} ORDER BY batch_start`,

    batch(model, existing, interval, options) {
      if (model.config.materialized !== 'incremental' || !model.config.incremental.microbatch)
        throw new Error(`microbatch plan asked for a model that is not microbatch: ${model.name}`);
      return loadSlice(model, existing, options, {
        deleteWhere: bigqueryEventTimeFilter(q(model.config.incremental.microbatch.eventTime), interval.start, interval.end),
        forget: `DELETE FROM ${tableOf(interval.table)} WHERE unique_id = ${bigqueryLiteral(interval.uniqueId)}`,
        record: (rows) => record(interval, `SELECT COUNT(*) FROM ${rows}`),
        verb: 'DELETE+INSERT',
      });
    },
  };
}
