/**
 * Two engines' rows compared as multisets: numbers of any type to a relative 1e-9, timestamps as
 * instants (a DuckDB TIMESTAMP and a BigQuery DATETIME as wall-clock times), dates and strings
 * exactly, NULL only equal to NULL.
 */
import type { GoogleSqlType, ReferenceValue } from '../../src/adapters/bigquery/reference-engine.js';

export interface Column {
  name: string;
  type: GoogleSqlType;
}

export interface Rows {
  columns: Column[];
  rows: ReferenceValue[][];
}

export type RowDifference =
  | { kind: 'error'; message: string }
  | { kind: 'columns'; duckdb: string[]; bigquery: string[] }
  | { kind: 'row count'; duckdb: number; bigquery: number; onlyInDuckdb: string[]; onlyInBigquery: string[] }
  | { kind: 'rows'; differing: number; of: number; columns: string[]; first: Array<{ duckdb: string; bigquery: string }> };

const NUMERIC: ReadonlySet<GoogleSqlType> = new Set(['INT64', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC']);
const INSTANT: ReadonlySet<GoogleSqlType> = new Set(['TIMESTAMP', 'DATETIME']);

/** One cell in a form both engines share; numbers stay numbers (compared with a tolerance). */
function canonical(value: ReferenceValue, type: GoogleSqlType): string | number | null {
  if (value === null) return null;
  if (NUMERIC.has(type)) return Number(value);
  if (INSTANT.has(type)) {
    const text = String(value);
    // A wall-clock time (DuckDB TIMESTAMP, BigQuery DATETIME) is read as UTC: both sides alike.
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
    const micros = /\.(\d+)/.exec(text)?.[1]?.padEnd(6, '0').slice(3, 6) ?? '000';
    return `${new Date(ms).toISOString().slice(0, 23)}${micros}Z`;
  }
  return String(value);
}

const close = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);

function cellsEqual(a: string | number | null, b: string | number | null): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return close(a, b);
  return a === b;
}

/** A sort key that survives the tolerance: numbers rounded to 9 significant digits. */
function sortKey(row: Array<string | number | null>): string {
  return JSON.stringify(row.map((cell) => (typeof cell === 'number' ? (Number.isFinite(cell) ? Number(cell.toPrecision(9)) : String(cell)) : cell)));
}

const show = (row: Array<string | number | null>, names: string[]) => names.map((name, i) => `${name}=${row[i] === null ? 'NULL' : row[i]}`).join(', ');

/** Undefined when the two sets of rows are equal; otherwise what differs first. */
export function compareRows(duckdb: Rows, bigquery: Rows): RowDifference | undefined {
  const names = duckdb.columns.map((c) => c.name.toLowerCase());
  const bigqueryNames = bigquery.columns.map((c) => c.name.toLowerCase());
  if (names.join(',') !== bigqueryNames.join(',')) return { kind: 'columns', duckdb: names, bigquery: bigqueryNames };
  // Compare in each column's common type: numeric when both sides are numbers, else DuckDB's.
  const types = duckdb.columns.map((c, i) =>
    NUMERIC.has(c.type) && NUMERIC.has(bigquery.columns[i]!.type) ? 'FLOAT64' : INSTANT.has(c.type) ? 'TIMESTAMP' : c.type,
  );
  const prepare = (rows: ReferenceValue[][]) =>
    rows
      .map((row) => row.map((value, i) => canonical(value, types[i] as GoogleSqlType)))
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const left = prepare(duckdb.rows);
  const right = prepare(bigquery.rows);
  if (left.length !== right.length) {
    const keys = (rows: typeof left) => new Set(rows.map(sortKey));
    const [l, r] = [keys(left), keys(right)];
    return {
      kind: 'row count',
      duckdb: left.length,
      bigquery: right.length,
      onlyInDuckdb: left
        .filter((row) => !r.has(sortKey(row)))
        .slice(0, 3)
        .map((row) => show(row, names)),
      onlyInBigquery: right
        .filter((row) => !l.has(sortKey(row)))
        .slice(0, 3)
        .map((row) => show(row, names)),
    };
  }
  const differing: number[] = [];
  const columns = new Set<string>();
  left.forEach((row, r) => {
    const other = right[r]!;
    let same = true;
    row.forEach((cell, c) => {
      if (!cellsEqual(cell, other[c]!)) {
        same = false;
        columns.add(names[c]!);
      }
    });
    if (!same) differing.push(r);
  });
  if (differing.length === 0) return undefined;
  return {
    kind: 'rows',
    differing: differing.length,
    of: left.length,
    columns: [...columns],
    first: differing.slice(0, 3).map((r) => ({ duckdb: show(left[r]!, names), bigquery: show(right[r]!, names) })),
  };
}
