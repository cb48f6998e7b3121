import { QueryError, type Adapter } from '../adapters/adapter.js';
import { thresholdMet } from '../compile/data-tests/compile-tests.js';
import { batchedCountSql, failureCountPrefixLines, failureCountSql, limitedSql } from '../compile/data-tests/test-queries.js';
import { originOf } from '../compile/line-map.js';
import { formatLocation } from '../errors/tsdbt-error.js';
import type { CompiledTest } from '../compile/types.js';
import { buildTable } from './materialize.js';
import { timingSince } from './timing.js';
import type { NodeResult, NodeStatus } from './types.js';

const SAMPLE_ROWS = 5;

export interface DataTestOptions {
  adapter: Adapter;
  threadId: string;
  /** --dry-run: the engine validates the queries; nothing is evaluated. */
  dryRun?: boolean;
}

/**
 * Runs data tests that share one scan: batched tests become one aggregate query over their
 * relation, each test still reported on its own. A single test counts its failing rows.
 */
export async function runDataTests(tests: CompiledTest[], options: DataTestOptions): Promise<NodeResult[]> {
  const started = new Date();
  let counts: number[];
  try {
    counts = await countFailures(tests, options.adapter);
  } catch (error) {
    const message = error instanceof QueryError ? error.message : `internal error: ${(error as Error).message}`;
    // A batch query can fail for one test's SQL; run them one by one to blame the right one.
    if (tests.length > 1) return (await Promise.all(tests.map((t) => runDataTests([t], options)))).flat();
    const test = tests[0]!;
    return [{ ...result(test, 'error', message, null, started, options.threadId), ...failureLocation(test, error) }];
  }
  // An engine in dry-run mode validated the queries above without evaluating them.
  if (options.dryRun) return tests.map((test) => result(test, 'skipped', 'query validated by the dry run, not evaluated', null, started, options.threadId));
  const results: NodeResult[] = [];
  for (const [index, test] of tests.entries()) {
    const failures = test.limit === undefined ? counts[index]! : Math.min(counts[index]!, test.limit);
    const status = statusOf(test, failures);
    let message = failures === 0 ? 'no failing rows' : `${failures} failing row${failures === 1 ? '' : 's'}`;
    if (test.sliced) message += ' among the rows this run loaded';
    if (status === 'warn' || status === 'fail')
      message += ` (${status === 'fail' ? `error_if ${test.errorIf}` : `warn_if ${test.warnIf}`}${test.severity === 'warn' ? ', severity warn' : ''})`;
    const outcome = result(test, status, message, failures, started, options.threadId);
    if (failures > 0) outcome.sampleRows = await sample(test, options.adapter);
    if (test.storeFailures) {
      try {
        outcome.storedFailures = await storeFailures(test, options.adapter);
      } catch (error) {
        outcome.status = 'error';
        outcome.message = `could not store failures: ${(error as Error).message.split('\n')[0]}`;
      }
    }
    results.push(outcome);
  }
  return results;
}

/**
 * The test reading only the rows a run loaded (config `incremental: true`), or undefined when it
 * reads its whole model: not asked for, no slice this run, or a test that does not name its model
 * (singular tests).
 */
export function onSlice(test: CompiledTest, slice: string | undefined): CompiledTest | undefined {
  if (!test.incremental || slice === undefined || !test.testedRelation) return undefined;
  const relation = test.testedRelation;
  const subquery = `(select * from ${relation} where ${slice})`;
  return {
    ...test,
    failingRowsSql: test.failingRowsSql.split(relation).join(subquery),
    batch: test.batch && { ...test.batch, relation: `${subquery} as tsdbt_slice` },
    sliced: true,
  };
}

async function countFailures(tests: CompiledTest[], adapter: Adapter): Promise<number[]> {
  if (tests.length > 1 || tests[0]!.batch) {
    const { rows } = await adapter.connection.query(batchedCountSql(tests));
    return tests.map((_, i) => Number(rows[0]?.[`f${i}`] ?? 0));
  }
  const { rows } = await adapter.connection.query(failureCountSql(tests[0]!));
  return [Number(rows[0]?.failures ?? 0)];
}

function statusOf(test: CompiledTest, failures: number): NodeStatus {
  if (test.severity === 'error' && thresholdMet(test.errorIf, failures)) return 'fail';
  if (thresholdMet(test.warnIf, failures)) return 'warn';
  return 'pass';
}

async function sample(test: CompiledTest, adapter: Adapter): Promise<Array<Record<string, unknown>>> {
  try {
    return (await adapter.connection.query(test.failingRowsSql, Math.min(SAMPLE_ROWS, test.limit ?? SAMPLE_ROWS))).rows;
  } catch {
    return [];
  }
}

async function storeFailures(test: CompiledTest, adapter: Adapter): Promise<string> {
  await adapter.connection.prepareSchemas([test.auditSchema]);
  const identifier = test.auditIdentifier ?? test.name.slice(0, 63);
  const relation = { relationName: adapter.dialect.relation({ schema: test.auditSchema, identifier }), schema: test.auditSchema, identifier };
  await buildTable(adapter, relation, { uniqueId: test.uniqueId, name: test.name, file: test.originalFilePath, sql: { text: limitedSql(test), lines: [] } });
  return relation.relationName;
}

function result(test: CompiledTest, status: NodeStatus, message: string, failures: number | null, started: Date, threadId: string): NodeResult {
  return {
    uniqueId: test.uniqueId,
    name: test.name,
    resourceType: 'test',
    status,
    message,
    failures,
    ...timingSince(started),
    threadId,
    compiledCode: test.failingRowsSql,
    compiledPath: test.compiledPath,
    attachedNode: test.attachedNode,
    columnName: test.columnName,
  };
}

/**
 * Where a test whose query failed was written: the YAML entry of a generic test, the line of a
 * singular test's file the engine's line maps to; and the compiled query.
 */
function failureLocation(test: CompiledTest, error: unknown): Pick<NodeResult, 'location' | 'compiledLocation' | 'hint'> {
  const engineLine = error instanceof QueryError ? error.line : undefined;
  const compiledLine = engineLine === undefined ? undefined : engineLine - failureCountPrefixLines(test);
  const origin = compiledLine && test.compiledLines ? originOf({ text: '', lines: test.compiledLines }, compiledLine, test.originalFilePath) : undefined;
  const compiledLocation = { file: test.compiledPath, line: compiledLine && compiledLine > 0 ? compiledLine : undefined };
  if (test.kind === 'singular') {
    return { location: origin ?? test.location, compiledLocation, hint: `fix the query in ${test.originalFilePath}` };
  }
  const on = test.attachedNode?.split('.').pop();
  return {
    location: test.location,
    compiledLocation,
    hint: `the test is declared at ${formatLocation(test.location)}: check its ${test.columnName ? `column (${test.columnName}) and ` : ''}arguments against ${on ?? 'the relation it tests'}`,
  };
}
