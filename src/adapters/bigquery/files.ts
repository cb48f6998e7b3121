import type { Dialect } from '../../compile/dialect.js';
import type { FilesChange, FilesPlanner, RelationRef } from '../adapter.js';
import { plain } from '../statements.js';
import { bigqueryLiteral, quoteBigqueryIdentifier as q } from './identifiers.js';
import { loadSlice } from './slice-load.js';

/**
 * BigQuery's files models: one script job builds the new rows in a temporary table, then, in one
 * transaction, deletes the rows of the replaced files, inserts the new ones and records the files.
 */
export function createBigqueryFiles(dialect: Dialect, project: string | undefined): FilesPlanner {
  const tableOf = (table: RelationRef) => dialect.relation({ database: project, schema: table.schema, identifier: table.identifier });
  const record = (change: FilesChange, rows: string): string[] => {
    const table = tableOf(change.table);
    const id = bigqueryLiteral(change.uniqueId);
    const keys = [...change.loaded, ...change.forget].map((f) => bigqueryLiteral(`${f.inputId}|${f.file}`));
    const out = keys.length === 0 ? [] : [`DELETE FROM ${table} WHERE unique_id = ${id} AND CONCAT(input_id, '|', file) IN (${keys.join(', ')})`];
    if (change.loaded.length === 0) return out;
    const values = change.loaded.map(
      (f) =>
        `STRUCT(${bigqueryLiteral(f.inputId)} AS input_id, ${bigqueryLiteral(f.file)} AS file, ${bigqueryLiteral(f.path)} AS path, ${f.size} AS size, ${f.modifiedMs} AS modified_ms, ${bigqueryLiteral(f.checksum)} AS checksum)`,
    );
    out.push(
      `INSERT INTO ${table} (unique_id, input_id, file, path, size, modified_ms, checksum, sql_checksum, row_count, invocation_id, loaded_at)\n` +
        `SELECT ${id}, v.input_id, v.file, v.path, v.size, v.modified_ms, v.checksum, ${bigqueryLiteral(change.sqlChecksum)}, COALESCE(c.row_count, 0), ${bigqueryLiteral(change.invocationId)}, CURRENT_TIMESTAMP()\n` +
        `FROM UNNEST([${values.join(', ')}]) AS v\n` +
        `LEFT JOIN (SELECT ${q(change.fileColumn)} AS path, COUNT(*) AS row_count FROM ${rows} GROUP BY 1) AS c ON c.path = v.path`,
    );
    return out;
  };
  return {
    filesTable: (table) => [
      plain(`CREATE SCHEMA IF NOT EXISTS \`${project ? `${project}.` : ''}${table.schema}\``),
      plain(
        `CREATE TABLE IF NOT EXISTS ${tableOf(table)} (unique_id STRING NOT NULL, input_id STRING NOT NULL, file STRING NOT NULL, path STRING NOT NULL, ` +
          'size INT64, modified_ms INT64, checksum STRING, sql_checksum STRING NOT NULL, row_count INT64, invocation_id STRING, loaded_at TIMESTAMP NOT NULL)',
      ),
    ],

    readFiles: (table, uniqueIds) =>
      'SELECT unique_id, input_id, file, path, size, modified_ms, checksum, sql_checksum\n' +
      `FROM ${tableOf(table)} WHERE unique_id IN (${uniqueIds.map(bigqueryLiteral).join(', ')}) ORDER BY unique_id, input_id, file`,

    load: (model, existing, change, options) =>
      loadSlice(model, existing, options, {
        deleteWhere: change.deletePaths.length === 0 ? undefined : `${q(change.fileColumn)} IN (${change.deletePaths.map(bigqueryLiteral).join(', ')})`,
        forget: `DELETE FROM ${tableOf(change.table)} WHERE unique_id = ${bigqueryLiteral(change.uniqueId)}`,
        record: (rows) => record(change, rows),
        verb: 'FILES',
      }),
  };
}
