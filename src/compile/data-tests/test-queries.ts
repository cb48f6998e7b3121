import type { CompiledTest } from '../types.js';

// The queries that evaluate data tests: portable SQL around each test's own failing-rows query.

/** Lines failureCountSql puts before the test's own query (an engine's line minus these is the test's). */
export function failureCountPrefixLines(test: CompiledTest): number {
  return test.limit === undefined ? 1 : 2;
}

/** The failing rows, capped by the `limit` config. */
export function limitedSql(test: CompiledTest): string {
  return test.limit === undefined ? test.failingRowsSql : `select * from (\n${test.failingRowsSql}\n) as failing limit ${test.limit}`;
}

/** One test: how many rows fail (dbt counts the failing-rows query, its `limit` applied). */
export function failureCountSql(test: CompiledTest): string {
  return `select count(*) as failures from (\n${limitedSql(test)}\n) as dbt_internal_test`;
}

/** Tests of one relation evaluated in one scan: column f<i> counts the failures of test i. */
export function batchedCountSql(tests: readonly CompiledTest[]): string {
  const columns = tests.map((t, i) => `${t.batch!.failureCount} as f${i}`).join(',\n  ');
  return `select\n  ${columns}\nfrom ${tests[0]!.batch!.relation}`;
}
