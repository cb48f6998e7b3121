import { join } from 'node:path';
import { createAdapter } from '../../adapters/registry.js';
import { metadata, SOURCES_SCHEMA } from '../../artifacts/schema-versions.js';
import { writeArtifactFile } from '../../artifacts/write-file.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { checkFreshness, freshnessRule, type FreshnessResult } from '../../execute/freshness.js';
import type { CommandContext } from '../main.js';
import type { Flags } from '../flags.js';
import { invocationFor, openFromFlags } from '../invocation.js';
import { selectIds } from '../selection.js';

/** `tsdbt source freshness`: max(loaded_at_field) of each selected source against its rule. */
export async function sourceCommand(flags: Flags, { reporter, signal }: CommandContext): Promise<number> {
  if (flags.args[0] !== 'freshness') {
    throw new TsdbtError(`unknown source action "${flags.args[0] ?? ''}"`, { code: 'E_USAGE', kind: 'usage', hint: 'run tsdbt source freshness' });
  }
  const opened = await openFromFlags(flags);
  const { project, target } = opened;
  const selected = selectIds(project, flags.select, flags.exclude, new Set(['source']));
  const checks = [...selected]
    .map((id) => project.sources.get(id)!)
    .flatMap((source) => {
      const rule = freshnessRule(source);
      return rule ? [{ source, rule }] : [];
    });
  if (checks.length === 0) {
    reporter.onWarning('no selected source has a freshness rule (loaded_at_field + freshness: warn_after/error_after)');
    return 0;
  }
  const adapter = await createAdapter(target);
  await adapter.open();
  const started = Date.now();
  const results: FreshnessResult[] = [];
  try {
    reporter.onRunStart({ command: 'source freshness', target: target.name, adapter: adapter.type, threads: 1, total: checks.length });
    for (const [index, { source, rule }] of checks.entries()) {
      if (signal.aborted) break;
      const result = await checkFreshness(source, rule, adapter, target.lakeRoot);
      results.push(result);
      reporter.onNodeFinish(result, index + 1, checks.length);
    }
  } finally {
    await adapter.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  reporter.onRunEnd({ results, elapsed, interrupted: signal.aborted });
  writeArtifactFile(
    join(project.projectDir, project.targetPath, 'sources.json'),
    JSON.stringify(
      {
        metadata: metadata(SOURCES_SCHEMA, invocationFor(opened)),
        results: results.map((r) => ({
          unique_id: r.uniqueId,
          status: r.status,
          max_loaded_at: r.maxLoadedAt,
          snapshotted_at: r.snapshottedAt,
          max_loaded_at_time_ago_in_s: r.ageSeconds,
          criteria: { warn_after: r.criteria.warnAfter ?? null, error_after: r.criteria.errorAfter ?? null, filter: r.criteria.filter ?? null },
          execution_time: r.executionTime,
          timing: r.timing.map((t) => ({ name: t.name, started_at: t.startedAt, completed_at: t.completedAt })),
          message: r.message,
        })),
        elapsed_time: elapsed,
      },
      null,
      1,
    ),
  );
  if (signal.aborted) return 130;
  return results.some((r) => r.status === 'error') ? 1 : 0;
}
