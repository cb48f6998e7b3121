import { QueryError, type Adapter } from '../adapters/adapter.js';
import type { CompiledUnitTest } from '../compile/types.js';
import type { Dialect } from '../compile/dialect.js';
import { timingSince } from './timing.js';
import type { NodeResult } from './types.js';

/**
 * Runs one unit test on a scratch in-memory engine: fixture tables from the given rows, the
 * model's SQL over them, and a row diff (EXCEPT ALL both ways) against the expected rows,
 * compared on the expected columns with the model's own column types.
 */
export async function runUnitTest(test: CompiledUnitTest, scratch: Adapter, threadId: string): Promise<NodeResult> {
  const started = new Date();
  const done = (status: NodeResult['status'], message: string, failures: number | null): NodeResult => ({
    uniqueId: test.uniqueId,
    name: test.name,
    resourceType: 'unit_test',
    status,
    message,
    failures,
    ...timingSince(started),
    threadId,
    compiledCode: test.sql,
    attachedNode: test.model,
    errorLocation: status === 'error' || status === 'fail' ? `${test.location.file}${test.location.line ? `:${test.location.line}` : ''}` : undefined,
  });
  const d = scratch.dialect;
  const suffix = `_${Math.random().toString(36).slice(2, 8)}`;
  const created: string[] = [];
  try {
    for (const input of test.inputs) {
      const table = input.table + suffix;
      const sql = fixtureTable(d, table, input.rows, input.columnTypes);
      if (!sql) return done('error', `input ${input.input} has no rows and no declared column types`, null);
      await scratch.query(sql);
      created.push(table);
    }
    const modelSql = test.inputs.reduce((sql, input) => sql.split(input.table).join(input.table + suffix), test.sql);
    const described = await scratch.query(`DESCRIBE SELECT * FROM (\n${modelSql}\n) AS model_output`);
    const actualTypes = new Map(described.rows.map((row) => [String(row.column_name), String(row.column_type)]));
    // No expected rows: the model must return nothing, whatever its columns.
    const named = [...new Set(test.expect.flatMap((row) => Object.keys(row)))];
    const columns = named.length > 0 ? named : [...actualTypes.keys()];
    const unknown = columns.filter((c) => !actualTypes.has(c));
    if (unknown.length > 0) {
      return done(
        'fail',
        `expected column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} not in the model's output (${[...actualTypes.keys()].join(', ')})`,
        null,
      );
    }
    const expectedTable = `__tsdbt_expected${suffix}`;
    const expectedSql = fixtureTable(d, expectedTable, test.expect, Object.fromEntries(columns.map((c) => [c, actualTypes.get(c)!])), columns);
    if (expectedSql) {
      await scratch.query(expectedSql);
      created.push(expectedTable);
    }
    const list = columns.map((c) => d.quoteIdentifier(c)).join(', ');
    const actual = `SELECT ${list} FROM (\n${modelSql}\n) AS model_output`;
    const expected = expectedSql ? `SELECT ${list} FROM ${expectedTable}` : `SELECT ${list} FROM (${actual}) AS nothing WHERE 1 = 0`;
    const diff = await scratch.query(
      `SELECT 'missing' AS __diff, * FROM (${expected} EXCEPT ALL ${actual}) AS m\nUNION ALL\nSELECT 'unexpected' AS __diff, * FROM (${actual} EXCEPT ALL ${expected}) AS u`,
    );
    if (diff.rows.length === 0) return done('pass', `${test.expect.length} expected row${test.expect.length === 1 ? '' : 's'} matched`, 0);
    return done('fail', formatDiff(diff.rows, columns), diff.rows.length);
  } catch (error) {
    const message = error instanceof QueryError ? error.message : (error as Error).message;
    return done('error', `the model's SQL failed on the fixtures: ${message}`, null);
  } finally {
    for (const table of created) await scratch.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

function valueLiteral(d: Dialect, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return d.literal(value.toISOString());
  return d.literal(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/** CREATE TABLE AS over VALUES; a column missing from a row is NULL; declared types are cast. */
function fixtureTable(d: Dialect, table: string, rows: Array<Record<string, unknown>>, types: Record<string, string>, only?: string[]): string | undefined {
  const columns = only ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  if (rows.length === 0 || columns.length === 0) {
    const declared = Object.entries(types);
    if (declared.length === 0) return undefined;
    return `CREATE TABLE ${table} AS SELECT ${declared.map(([c, t]) => `CAST(NULL AS ${t}) AS ${d.quoteIdentifier(c)}`).join(', ')} WHERE 1 = 0`;
  }
  const cell = (row: Record<string, unknown>, column: string) => {
    const literal = valueLiteral(d, row[column]);
    return types[column] ? `CAST(${literal} AS ${types[column]})` : literal;
  };
  const values = rows.map((row) => `(${columns.map((c) => cell(row, c)).join(', ')})`).join(',\n  ');
  return `CREATE TABLE ${table} AS SELECT * FROM (VALUES\n  ${values}\n) AS fixture(${columns.map((c) => d.quoteIdentifier(c)).join(', ')})`;
}

function formatDiff(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const show = (row: Record<string, unknown>) => columns.map((c) => `${c}=${row[c] === null ? 'NULL' : JSON.stringify(row[c])}`).join(', ');
  const missing = rows.filter((r) => r.__diff === 'missing');
  const unexpected = rows.filter((r) => r.__diff === 'unexpected');
  const lines = [`actual rows differ from expected: ${missing.length} missing, ${unexpected.length} unexpected`];
  for (const row of missing) lines.push(`  - missing    ${show(row)}`);
  for (const row of unexpected) lines.push(`  + unexpected ${show(row)}`);
  return lines.join('\n');
}
