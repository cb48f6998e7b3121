import Table from 'cli-table3';
import type { QueryResult } from '../adapters/adapter.js';

/** Query rows as a console table (NULL for missing values, JSON for nested ones). */
export function rowsTable(result: QueryResult): string {
  const table = new Table({ head: result.columns, style: { head: [], border: [], compact: true } });
  for (const row of result.rows) table.push(result.columns.map((c) => formatCell(row[c])));
  return table.toString();
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
