/** DuckDB results in the reference engine's value forms, for comparing the two engines' rows. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { GoogleSqlType, ReferenceValue } from '../../src/adapters/bigquery/reference-engine.js';
import type { Column } from './row-comparison.js';

/** A query's rows, its columns typed as GoogleSQL would type them. */
export async function rowsOf(connection: DuckDBConnection, sql: string): Promise<{ columns: Column[]; rows: ReferenceValue[][] }> {
  const reader = await connection.runAndReadAll(sql);
  const columns = reader.columnNames().map((name, i) => ({ name, type: googleSqlTypeOf(reader.columnTypes()[i]!.toString()) }));
  const rows = (reader.getRowsJson() as unknown[][]).map((row) => row.map((value, i) => fromDuckdb(value, columns[i]!.type)));
  return { columns, rows };
}

function googleSqlTypeOf(duckdbType: string): GoogleSqlType {
  const type = duckdbType.toUpperCase();
  if (/^(VARCHAR|TEXT)/.test(type)) return 'STRING';
  if (/^(BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|HUGEINT)$/.test(type)) return 'INT64';
  if (/^(DOUBLE|FLOAT|REAL)$/.test(type)) return 'FLOAT64';
  if (type.startsWith('DECIMAL')) return 'NUMERIC';
  if (type === 'BOOLEAN') return 'BOOL';
  if (type === 'DATE') return 'DATE';
  if (type === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP';
  if (type.startsWith('TIMESTAMP')) return 'DATETIME';
  if (type === 'TIME') return 'TIME';
  throw new Error(`no GoogleSQL type for DuckDB ${duckdbType}`);
}

/** DuckDB's JSON form of a value → the reference engine's (see ReferenceValue). */
function fromDuckdb(value: unknown, type: GoogleSqlType): ReferenceValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'INT64':
      return BigInt(value as string | number);
    case 'FLOAT64':
      return Number(value);
    case 'TIMESTAMP':
      return new Date(
        String(value)
          .replace(' ', 'T')
          .replace(/([+-]\d\d)$/, '$1:00'),
      ).toISOString();
    default:
      return value as ReferenceValue;
  }
}
