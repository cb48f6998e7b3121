import type { Adapter } from '../adapters/adapter.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import type { Reporter } from '../reporters/reporter.js';
import { runNode } from './run-node.js';
import { runSchedule } from './scheduler.js';
import type { NodeResult } from './types.js';

export interface RunProjectOptions {
  project: CompiledProject;
  adapter: Adapter;
  /** Ids to execute (already filtered to the command's resource types). */
  selected: Set<string>;
  threads: number;
  fullRefresh: boolean;
  failFast: boolean;
  reporter: Required<Reporter>;
  signal: AbortSignal;
  command: string;
  targetName: string;
}

export interface RunOutcome {
  results: NodeResult[];
  elapsed: number;
  interrupted: boolean;
}

/** Executes the selected nodes in DAG order with up to `threads` at once. */
export async function runProject(options: RunProjectOptions): Promise<RunOutcome> {
  const { project, adapter, reporter } = options;
  const startTime = Date.now();
  // Ephemeral models have nothing to build; they are part of their children's SQL.
  const runnable = project.order.filter((id) => {
    const node = project.nodes.get(id);
    return node !== undefined && options.selected.has(id) && node.materialized !== 'ephemeral';
  });
  const total = runnable.length;
  const results = new Map<string, NodeResult>();
  let finished = 0;
  let started = 0;
  const stop = new AbortController();
  const onAbort = () => {
    stop.abort();
    void adapter.cancelAll();
  };
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener('abort', onAbort, { once: true });

  await adapter.prepareSchemas(runnable.map((id) => project.nodes.get(id)!.schema));
  reporter.onRunStart({ command: options.command, target: options.targetName, adapter: adapter.type, threads: options.threads, total });
  const record = (result: NodeResult) => {
    results.set(result.uniqueId, result);
    reporter.onNodeFinish(result, ++finished, total);
  };
  const parentsThroughEphemeral = executableParents(project);
  const freeThreads = Array.from({ length: options.threads }, (_, i) => `Thread-${i + 1}`).reverse();

  await runSchedule({
    order: runnable,
    parents: parentsThroughEphemeral,
    concurrency: adapter.capabilities.parallelQueries ? options.threads : 1,
    signal: stop.signal,
    run: async (id) => {
      const node = project.nodes.get(id)!;
      const threadId = freeThreads.pop() ?? 'Thread-1';
      reporter.onNodeStart({ uniqueId: id, name: node.name }, ++started, total);
      try {
        const result = await runNode(node, { adapter, project, fullRefresh: options.fullRefresh, threadId });
        record(result);
        if (result.status === 'error' && options.failFast && !stop.signal.aborted) {
          reporter.onInfo(`--fail-fast: stopping after the failure of ${node.name}`);
          stop.abort();
          await adapter.cancelAll();
        }
        return result.status !== 'error';
      } finally {
        freeThreads.push(threadId);
      }
    },
    skip: (id, reason, cause) => {
      const node = project.nodes.get(id)!;
      const causeName = cause ? project.nodes.get(cause)?.name ?? cause : undefined;
      record({
        uniqueId: id,
        name: node.name,
        resourceType: node.resourceType,
        materialized: node.materialized,
        relationName: node.relationName,
        status: 'skipped',
        message: reason === 'upstream' ? `skipped: upstream ${causeName ?? 'node'} failed` : 'skipped: run stopped',
        executionTime: 0,
        timing: [],
        threadId: '',
      });
    },
  });
  options.signal.removeEventListener('abort', onAbort);

  const ordered = runnable.map((id) => results.get(id)!).filter(Boolean);
  const outcome = { results: ordered, elapsed: (Date.now() - startTime) / 1000, interrupted: options.signal.aborted };
  reporter.onRunEnd(outcome);
  return outcome;
}

/** Parents to wait for, looking through ephemeral models and sources to the nodes that run. */
function executableParents(project: CompiledProject): (id: string) => string[] {
  const memo = new Map<string, string[]>();
  const isExecutable = (node: CompiledNode | undefined) => node !== undefined && node.materialized !== 'ephemeral';
  const resolve = (id: string): string[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    const out = new Set<string>();
    for (const parent of project.dag.parents(id)) {
      const node = project.nodes.get(parent);
      if (isExecutable(node)) out.add(parent);
      else if (node) resolve(parent).forEach((p) => out.add(p));
    }
    const list = [...out];
    memo.set(id, list);
    return list;
  };
  return resolve;
}
