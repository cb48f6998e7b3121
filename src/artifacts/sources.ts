import { join } from 'node:path';
import type { FreshnessResult } from '../execute/freshness.js';
import type { InvocationInfo } from '../execute/types.js';
import { metadata, SOURCES_SCHEMA } from './schema-versions.js';
import { writeArtifactFile } from './write-file.js';

/** target/sources.json in dbt's layout: one entry per freshness check. */
export function writeSources(dir: string, results: readonly FreshnessResult[], elapsed: number, invocation: InvocationInfo): string {
  const path = join(dir, 'sources.json');
  const body = {
    metadata: metadata(SOURCES_SCHEMA, invocation),
    results: results.map((r) =>
      // A check that could not compute an age (the query failed, no rows) is dbt's runtime error.
      r.maxLoadedAt === null || r.ageSeconds === null
        ? { unique_id: r.uniqueId, status: 'runtime error', error: r.message }
        : {
            unique_id: r.uniqueId,
            status: r.status,
            max_loaded_at: r.maxLoadedAt,
            snapshotted_at: r.snapshottedAt,
            max_loaded_at_time_ago_in_s: r.ageSeconds,
            criteria: { warn_after: r.criteria.warnAfter ?? null, error_after: r.criteria.errorAfter ?? null, filter: r.criteria.filter ?? null },
            adapter_response: {},
            timing: r.timing.map((t) => ({ name: t.name, started_at: t.startedAt, completed_at: t.completedAt })),
            thread_id: r.threadId,
            execution_time: r.executionTime,
          },
    ),
    elapsed_time: elapsed,
  };
  writeArtifactFile(path, JSON.stringify(body, null, 1));
  return path;
}
