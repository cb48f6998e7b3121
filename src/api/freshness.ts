import { join } from 'node:path';
import { createAdapter } from '../adapters/registry.js';
import { writeSources } from '../artifacts/sources.js';
import { fanOut, type RunListener } from '../execute/events.js';
import { checkFreshness, type FreshnessResult, freshnessRule } from '../execute/freshness.js';
import { type SelectionOptions, selectForCommand } from '../graph/select-project.js';
import { newInvocation } from './invocation.js';
import type { OpenedProject } from './open-project.js';

export interface FreshnessOutcome {
  results: FreshnessResult[];
  elapsed: number;
  /** 0 fresh (or warnings only), 1 a source is stale past error_after or failed, 130 interrupted. */
  exitCode: number;
}

/** `tsdbt source freshness`: max(loaded_at_field) of each selected source against its rule; writes target/sources.json. */
export async function sourceFreshness(
  opened: OpenedProject,
  options: { select?: string[]; exclude?: string[]; selection?: SelectionOptions; listeners?: RunListener[]; signal?: AbortSignal } = {},
): Promise<FreshnessOutcome> {
  const { project, target } = opened;
  const listener = fanOut(options.listeners ?? []);
  const signal = options.signal ?? new AbortController().signal;
  const checks = [...selectForCommand(project, options.select, options.exclude, new Set(['source']), undefined, options.selection)]
    .map((id) => project.sources.get(id)!)
    .flatMap((source) => {
      const rule = freshnessRule(source);
      return rule ? [{ source, rule }] : [];
    });
  if (checks.length === 0) {
    listener.onWarning('no selected source has a freshness rule (loaded_at_field + freshness: warn_after/error_after)');
    return { results: [], elapsed: 0, exitCode: 0 };
  }
  const adapter = await createAdapter(target);
  await adapter.connection.open();
  const started = Date.now();
  const results: FreshnessResult[] = [];
  try {
    listener.onRunStart({ command: 'source freshness', target: target.name, adapter: adapter.type, threads: 1, total: checks.length });
    for (const [index, { source, rule }] of checks.entries()) {
      if (signal.aborted) break;
      const result = await checkFreshness(source, rule, adapter, target.lakeRoot);
      results.push(result);
      listener.onNodeFinish(result, index + 1, checks.length);
    }
  } finally {
    await adapter.connection.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  listener.onRunEnd({ results, elapsed, interrupted: signal.aborted });
  writeSources(join(project.projectDir, project.targetPath), results, elapsed, newInvocation(opened));
  const exitCode = signal.aborted ? 130 : results.some((r) => r.status === 'error') ? 1 : 0;
  return { results, elapsed, exitCode };
}
