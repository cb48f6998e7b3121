import { join } from 'node:path';
import type { RunListener } from '../execute/events.js';
import type { NodeResult } from '../execute/types.js';
import { writeArtifactFile } from './write-file.js';
import type { InvocationInfo } from '../execute/types.js';
import { RUN_RESULTS_SCHEMA, metadata } from './schema-versions.js';

/** target/run_results.json in dbt's layout. */
export function writeRunResults(dir: string, results: NodeResult[], elapsed: number, args: Record<string, unknown>, invocation: InvocationInfo): string {
  const path = join(dir, 'run_results.json');
  const body = {
    metadata: metadata(RUN_RESULTS_SCHEMA, invocation),
    results: results.map((r) => ({
      unique_id: r.uniqueId,
      status: r.status,
      timing: r.timing.map((t) => ({ name: t.name, started_at: t.startedAt, completed_at: t.completedAt })),
      thread_id: r.threadId,
      execution_time: r.executionTime,
      adapter_response: r.rowsAffected === undefined ? {} : { _message: r.message, rows_affected: r.rowsAffected },
      message: r.message,
      failures: r.failures ?? null,
      relation_name: r.relationName ?? null,
      compiled: r.compiledCode !== undefined,
      compiled_code: r.compiledCode ?? null,
      ...(r.batchResults ? { batch_results: r.batchResults } : {}),
    })),
    elapsed_time: elapsed,
    args,
  };
  writeArtifactFile(path, JSON.stringify(body, null, 1));
  return path;
}

/** Writes target/run_results.json when the run ends. */
export function createRunResultsWriter(dir: string, args: Record<string, unknown>, invocation: InvocationInfo): RunListener {
  return { onRunEnd: ({ results, elapsed }) => void writeRunResults(dir, results, elapsed, args, invocation) };
}
