import { type Column, QueryError, type QueryEvaluator, type ScratchAdapter } from '../adapters/adapter.js';
import { didYouMean } from '../errors/suggest.js';
import type { CompiledUnitTest } from '../compile/types.js';
import { timingSince } from './timing.js';
import type { NodeResult } from './types.js';

/**
 * Runs one unit test on the scratch in-memory engine: fixture tables from the given rows, the
 * model's SQL over them, and a row diff (with duplicates) against the expected rows, compared on
 * the expected columns with the model's own column types. All SQL comes from the scratch planner.
 */
export async function runUnitTest(
  test: CompiledUnitTest,
  scratch: ScratchAdapter,
  threadId: string,
  /** The columns of a relation of the target, or undefined when it does not exist (yet). */
  relationColumns?: (relation: string) => Promise<Column[] | undefined>,
): Promise<NodeResult> {
  const started = new Date();
  const { planner, connection } = scratch;
  const done = resultOf(test, started, threadId);
  const q = scratch.dialect.quoteIdentifier;
  const suffix = `_${Math.random().toString(36).slice(2, 8)}`;
  const created: string[] = [];
  try {
    for (const input of test.inputs) {
      const extra = await columnsNotInInput(input, relationColumns);
      if (extra) return done('error', extra, null);
    }
    for (const input of test.inputs) {
      const table = input.table + suffix;
      const sql = planner.fixtureTable(table, input.rows, input.columnTypes);
      if (!sql) return done('error', `input ${input.input} has no rows and no declared column types`, null);
      await connection.query(sql);
      created.push(table);
    }
    const modelSql = test.inputs.reduce((sql, input) => sql.split(input.table).join(input.table + suffix), test.sql);
    const actualTypes = new Map((await connection.queryColumns({ sql: modelSql }, { kind: 'test', name: test.name })).map((c) => [c.name, c.type]));
    const compared = comparedColumns(test, [...actualTypes.keys()]);
    if ('problem' in compared) return done('fail', compared.problem, null);
    const { columns } = compared;
    const expectedTable = `__tsdbt_expected${suffix}`;
    const expectedSql = planner.fixtureTable(expectedTable, test.expect, Object.fromEntries(columns.map((c) => [c, actualTypes.get(c)!])), columns);
    if (expectedSql) {
      await connection.query(expectedSql);
      created.push(expectedTable);
    }
    const list = columns.map(q).join(', ');
    const actual = `SELECT ${list} FROM (\n${modelSql}\n) AS model_output`;
    const expected = expectedSql ? `SELECT ${list} FROM ${expectedTable}` : `SELECT ${list} FROM (${actual}) AS nothing WHERE 1 = 0`;
    const diff = await connection.query(planner.rowDiff(expected, actual));
    if (diff.rows.length === 0) return done('pass', `${test.expect.length} expected row${test.expect.length === 1 ? '' : 's'} matched`, 0);
    return done('fail', formatDiff(diff.rows, columns), diff.rows.length);
  } catch (error) {
    const message = error instanceof QueryError ? error.message : (error as Error).message;
    return done('error', `the model's SQL failed on the fixtures: ${message}`, null);
  } finally {
    for (const table of created) await connection.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  }
}

/**
 * Runs one unit test on an evaluator of the target's own SQL (no tables: the fixtures are CTEs
 * named as the model reads them), then compares the rows with the expected ones as multisets —
 * the expected values cast by the same engine to the model's column types.
 */
export async function runUnitTestOnEvaluator(
  test: CompiledUnitTest,
  evaluator: QueryEvaluator,
  threadId: string,
  relationColumns?: (relation: string) => Promise<Column[] | undefined>,
): Promise<NodeResult> {
  const started = new Date();
  const done = resultOf(test, started, threadId);
  try {
    const fixtures: string[] = [];
    for (const input of test.inputs) {
      const extra = await columnsNotInInput(input, relationColumns);
      if (extra) return done('error', extra, null);
      const sql = evaluator.fixtureQuery(input.rows, input.columnTypes);
      if (!sql) return done('error', `input ${input.input} has no rows and no declared column types`, null);
      fixtures.push(`${input.table} AS (\n${sql}\n)`);
    }
    const actual = await evaluator.query(`${fixtures.length > 0 ? `WITH ${fixtures.join(',\n')}\n` : ''}SELECT * FROM (\n${test.sql}\n) AS model_output`);
    const types = new Map(actual.columns.map((c) => [c.name, c.type]));
    const compared = comparedColumns(test, [...types.keys()]);
    if ('problem' in compared) return done('fail', compared.problem, null);
    const { columns } = compared;
    const positions = columns.map((c) => actual.columns.findIndex((column) => column.name === c));
    const actualRows = actual.rows.map((row) => positions.map((i) => row[i]));
    const expectedSql = evaluator.fixtureQuery(test.expect, Object.fromEntries(columns.map((c) => [c, types.get(c)!])), { columns, native: true });
    const expectedRows = expectedSql ? (await evaluator.query(expectedSql)).rows : [];
    const { missing, unexpected } = multisetDiff(expectedRows, actualRows);
    if (missing.length + unexpected.length === 0) return done('pass', `${test.expect.length} expected row${test.expect.length === 1 ? '' : 's'} matched`, 0);
    const asRecord = (row: unknown[], diff: string) => ({ __diff: diff, ...Object.fromEntries(columns.map((c, i) => [c, plain(row[i])])) });
    return done(
      'fail',
      formatDiff([...missing.map((r) => asRecord(r, 'missing')), ...unexpected.map((r) => asRecord(r, 'unexpected'))], columns),
      missing.length + unexpected.length,
    );
  } catch (error) {
    return done('error', `the model's SQL failed on the fixtures: ${(error as Error).message}`, null);
  }
}

/**
 * The columns a test compares: those its expected rows name, or (no expected rows: the model must
 * return nothing, whatever its columns) all of the output's; a named column the output lacks fails.
 */
function comparedColumns(test: CompiledUnitTest, output: readonly string[]): { columns: string[] } | { problem: string } {
  const named = [...new Set(test.expect.flatMap((row) => Object.keys(row)))];
  const columns = named.length > 0 ? named : [...output];
  const unknown = columns.filter((c) => !output.includes(c));
  if (unknown.length === 0) return { columns };
  return { problem: `expected column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')} not in the model's output (${output.join(', ')})` };
}

/** The test's result, once its status is known. */
function resultOf(test: CompiledUnitTest, started: Date, threadId: string) {
  return (status: NodeResult['status'], message: string, failures: number | null): NodeResult => ({
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
    location: status === 'error' || status === 'fail' ? { file: test.location.file, line: test.location.line } : undefined,
  });
}

/** Rows of `expected` not matched one for one in `actual` (duplicates count), and the converse. */
function multisetDiff(expected: unknown[][], actual: unknown[][]): { missing: unknown[][]; unexpected: unknown[][] } {
  const key = (row: unknown[]) => JSON.stringify(row.map(plain));
  const left = new Map<string, number>();
  for (const row of actual) left.set(key(row), (left.get(key(row)) ?? 0) + 1);
  const missing: unknown[][] = [];
  for (const row of expected) {
    const count = left.get(key(row)) ?? 0;
    if (count === 0) missing.push(row);
    else left.set(key(row), count - 1);
  }
  const unexpected = actual.filter((row) => {
    const count = left.get(key(row)) ?? 0;
    if (count === 0) return false;
    left.set(key(row), count - 1);
    return true;
  });
  return { missing, unexpected };
}

/** A value JSON can hold (64-bit integers as numbers when exact, else as their digits). */
function plain(value: unknown): unknown {
  if (typeof value !== 'bigint') return value ?? null;
  return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
}

/**
 * A fixture column its input does not have (a typo, a renamed column) would be ignored by the
 * model's SQL and the test would pass: refused, as dbt does, when the input's relation exists.
 */
async function columnsNotInInput(
  input: CompiledUnitTest['inputs'][number],
  relationColumns: ((relation: string) => Promise<Column[] | undefined>) | undefined,
): Promise<string | undefined> {
  const given = [...new Set(input.rows.flatMap((row) => Object.keys(row)))];
  if (!input.relation || !relationColumns || given.length === 0) return undefined;
  const columns = await relationColumns(input.relation);
  // No relation, or none with columns (a relation always has some): nothing to check against.
  if (!columns || columns.length === 0) return undefined;
  const known = new Set(columns.map((c) => c.name.toLowerCase()));
  const unknown = given.filter((c) => !known.has(c.toLowerCase()));
  if (unknown.length === 0) return undefined;
  const names = columns.map((c) => c.name);
  const suggestion = unknown.length === 1 ? didYouMean(unknown[0]!, names) : undefined;
  return `the rows given for ${input.input} have column${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => `"${c}"`).join(', ')}, which ${input.input} does not have (its columns: ${names.join(', ')})${suggestion ? `; ${suggestion}` : ''}`;
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
