import { whereText } from './where.js';
import type { Reporter } from './reporter.js';

/** `--log-format json`: one JSON object per line on stdout, for log collectors and CI. */
export function createJsonReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  const emit = (event: string, data: Record<string, unknown>) => out.write(`${JSON.stringify({ ts: new Date().toISOString(), event, ...data })}\n`);
  return {
    onInfo: (message) => emit('info', { message }),
    onWarning: (message) => emit('warning', { message }),
    onOutput: (text, data) => emit('output', data === undefined ? { text } : { data }),
    onRunStart: (event) => emit('run_started', { ...event }),
    onNodeStart: (node, index, total) => emit('node_started', { unique_id: node.uniqueId, name: node.name, index, total }),
    onNodeFinish: (result, index, total) =>
      emit('node_finished', {
        index,
        total,
        unique_id: result.uniqueId,
        name: result.name,
        resource_type: result.resourceType,
        materialized: result.materialized,
        relation: result.relationName,
        status: result.status,
        rows_affected: result.rowsAffected,
        execution_time: result.executionTime,
        message: result.message,
        location: whereText(result),
        source: result.location,
        compiled: result.compiledLocation,
      }),
    onRunEnd: (event) =>
      emit('run_finished', {
        elapsed: event.elapsed,
        interrupted: event.interrupted,
        test_queries: event.testQueries,
        counts: countByStatus(event.results),
      }),
    onError: (error) => emit('error', { code: error.code, message: error.message, location: error.location, node: error.nodeId, hint: error.hint }),
  };
}

function countByStatus(results: ReadonlyArray<{ status: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  return counts;
}
