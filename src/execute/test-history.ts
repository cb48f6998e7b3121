import type { Adapter, TestHistoryRow } from '../adapters/adapter.js';
import type { InvocationInfo } from './types.js';
import type { NodeResult } from './types.js';

export interface TestHistoryTarget {
  schema: string;
  table: string;
}

/** Appends one row per test of this invocation (pass or fail) to a history table in the warehouse. */
export async function appendTestHistory(
  adapter: Adapter,
  target: TestHistoryTarget,
  results: NodeResult[],
  invocation: InvocationInfo,
  command: string,
): Promise<number> {
  const tests = results.filter((r) => r.resourceType === 'test' || r.resourceType === 'unit_test');
  if (tests.length === 0) return 0;
  const relation = {
    relationName: adapter.dialect.relation({ schema: target.schema, identifier: target.table }),
    schema: target.schema,
    identifier: target.table,
  };
  const rows: TestHistoryRow[] = tests.map((r) => ({
    invocationId: invocation.invocationId,
    command,
    targetName: invocation.targetName,
    uniqueId: r.uniqueId,
    testName: r.name,
    testType: r.resourceType === 'unit_test' ? 'unit' : 'data',
    attachedNode: r.attachedNode,
    columnName: r.columnName,
    status: r.status,
    failures: r.failures,
    message: r.message,
    executionTime: r.executionTime,
    startedAt: r.timing[0]?.startedAt,
    completedAt: r.timing[0]?.completedAt,
  }));
  await adapter.connection.prepareSchemas([target.schema]);
  await adapter.connection.execute({ statements: adapter.planner.testHistory(relation, rows), verb: 'INSERT' }, { kind: 'test', name: 'test_history' });
  return tests.length;
}
