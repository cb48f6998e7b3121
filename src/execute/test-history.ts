import type { Adapter } from '../adapters/adapter.js';
import type { InvocationInfo } from '../artifacts/schema-versions.js';
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
  const d = adapter.dialect;
  const t = d.renderings.type;
  const relation = d.relation({ schema: target.schema, identifier: target.table });
  const columns: Array<[string, string]> = [
    ['invocation_id', t('string')],
    ['command', t('string')],
    ['target_name', t('string')],
    ['unique_id', t('string')],
    ['test_name', t('string')],
    ['test_type', t('string')],
    ['attached_node', t('string')],
    ['column_name', t('string')],
    ['status', t('string')],
    ['failures', t('int')],
    ['message', t('string')],
    ['execution_time', t('float')],
    ['started_at', t('timestamp')],
    ['completed_at', t('timestamp')],
  ];
  await adapter.prepareSchemas([target.schema]);
  await adapter.query(`CREATE TABLE IF NOT EXISTS ${relation} (\n  ${columns.map(([c, type]) => `${c} ${type}`).join(',\n  ')}\n)`);
  const text = (value: string | undefined | null) => (value === undefined || value === null ? 'NULL' : d.literal(value));
  const time = (value: string | undefined) => (value ? d.renderings.cast(d.literal(value.replace('T', ' ').replace('Z', '')), 'timestamp') : 'NULL');
  const rows = tests.map(
    (r) =>
      `(${[
        text(invocation.invocationId),
        text(command),
        text(invocation.targetName),
        text(r.uniqueId),
        text(r.name),
        text(r.resourceType === 'unit_test' ? 'unit' : 'data'),
        text(r.attachedNode),
        text(r.columnName),
        text(r.status),
        r.failures === undefined || r.failures === null ? 'NULL' : String(r.failures),
        text(r.message.slice(0, 2000)),
        String(r.executionTime),
        time(r.timing[0]?.startedAt),
        time(r.timing[0]?.completedAt),
      ].join(', ')})`,
  );
  await adapter.query(`INSERT INTO ${relation} (${columns.map(([c]) => c).join(', ')}) VALUES\n${rows.join(',\n')}`);
  return tests.length;
}
