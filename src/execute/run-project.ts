import type { Adapter, ScratchAdapter } from '../adapters/adapter.js';
import type { CompiledProject } from '../compile/types.js';
import type { RunListener } from './events.js';
import type { SourceTable } from '../project/types.js';
import { runDataTests } from './data-tests.js';
import { throughEphemeral, type ExecutionUnit } from './plan.js';
import type { BatchSelection } from './batches.js';
import { runNode } from './run-node.js';
import { runSchedule } from './scheduler.js';
import type { NodeResult } from './types.js';
import { runUnitTest } from './unit-tests.js';

export interface RunProjectOptions {
  project: CompiledProject;
  adapter: Adapter;
  /** In-memory engine for unit tests (created only when the plan has some). */
  scratchAdapter?: () => Promise<ScratchAdapter>;
  units: ExecutionUnit[];
  threads: number;
  fullRefresh: boolean;
  failFast: boolean;
  /** Every event of the run goes to it (reporters and artifact writers, fanned out). */
  listener: Required<RunListener>;
  signal: AbortSignal;
  command: string;
  targetName: string;
  /** Lake root, for adapters that create objects over lake sources. */
  lakeRoot: string;
  dryRun?: boolean;
  /** Data tests are reported skipped with this message instead of run (--empty). */
  skipDataTests?: string;
  /** Snapshots too (--empty: a snapshot of zero rows would end every current version). */
  skipSnapshots?: string;
  /** Microbatch models: the window of batches and the invocation recorded with each. */
  batches?: { selection: BatchSelection; invocationId: string };
}

export interface RunOutcome {
  results: NodeResult[];
  elapsed: number;
  interrupted: boolean;
  /** Queries that evaluated data tests (batched tests share one), for the summary and the benchmark. */
  testQueries: number;
}

const FAILED = new Set(['error', 'fail']);

/** Executes the planned units in dependency order with up to `threads` at once. */
export async function runProject(options: RunProjectOptions): Promise<RunOutcome> {
  const { project, adapter, listener, units } = options;
  const startTime = Date.now();
  const unitById = new Map(units.map((u) => [u.id, u]));
  const total = units.reduce((n, u) => n + u.members.length, 0);
  const results = new Map<string, NodeResult>();
  let finished = 0;
  let started = 0;
  const stop = new AbortController();
  const onAbort = () => {
    stop.abort();
    void adapter.connection.cancelAll();
  };
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener('abort', onAbort, { once: true });

  await adapter.connection.prepareSchemas(
    units.flatMap((u) => u.members.map((id) => project.nodes.get(id)?.schema).filter((s): s is string => s !== undefined)),
  );
  await adapter.connection.prepareSources(adapter.planner.sources(sourcesRead(project, units), options.lakeRoot), { dryRun: options.dryRun ?? false });
  listener.onRunStart({ command: options.command, target: options.targetName, adapter: adapter.type, threads: options.threads, total });
  const record = (result: NodeResult) => {
    results.set(result.uniqueId, result);
    listener.onNodeFinish(result, ++finished, total);
  };
  const freeThreads = Array.from({ length: options.threads }, (_, i) => `Thread-${i + 1}`).reverse();
  let scratch: Promise<ScratchAdapter> | undefined;
  let testQueries = 0;

  const execute = async (unit: ExecutionUnit, threadId: string): Promise<NodeResult[]> => {
    for (const member of unit.members) listener.onNodeStart({ uniqueId: member, name: nameOf(project, member) }, ++started, total);
    if (unit.kind === 'node' && options.skipSnapshots && project.nodes.get(unit.id)?.resourceType === 'snapshot') {
      return [skippedResult(project, unit.id, options.skipSnapshots)];
    }
    if (unit.kind === 'node')
      return [
        await runNode(project.nodes.get(unit.id)!, {
          adapter,
          project,
          fullRefresh: options.fullRefresh,
          threadId,
          dryRun: options.dryRun,
          batches: options.batches && { ...options.batches, threads: options.threads, lakeRoot: options.lakeRoot },
        }),
      ];
    if (unit.kind === 'unit_test') {
      scratch ??= options.scratchAdapter!();
      const test = project.unitTests.get(unit.id)!;
      // The input relations' real columns bound the fixtures; an input not built yet is not checked.
      const relationColumns = (relation: string) =>
        adapter.connection.queryColumns({ sql: `select * from ${relation}` }, { kind: 'test', name: test.name }).catch(() => undefined);
      return [await runUnitTest(test, await scratch, threadId, relationColumns)];
    }
    if (options.skipDataTests) return unit.members.map((id) => skippedResult(project, id, options.skipDataTests!));
    testQueries++;
    return runDataTests(
      unit.members.map((id) => project.tests.get(id)!),
      { adapter, threadId, dryRun: options.dryRun },
    );
  };

  try {
    await runSchedule({
      order: units.map((u) => u.id),
      parents: (id) => unitById.get(id)!.parents,
      concurrency: adapter.capabilities.parallelQueries ? options.threads : 1,
      signal: stop.signal,
      run: async (id) => {
        const unit = unitById.get(id)!;
        const threadId = freeThreads.pop() ?? 'Thread-1';
        try {
          const unitResults = await execute(unit, threadId);
          unitResults.forEach(record);
          const failed = unitResults.some((r) => FAILED.has(r.status));
          if (failed && options.failFast && !stop.signal.aborted) {
            listener.onInfo(`--fail-fast: stopping after the failure of ${unitResults.find((r) => FAILED.has(r.status))!.name}`);
            stop.abort();
            await adapter.connection.cancelAll();
          }
          return !failed;
        } finally {
          freeThreads.push(threadId);
        }
      },
      skip: (id, reason, cause) => {
        const unit = unitById.get(id)!;
        const causeName = cause ? describeCause(project, unitById.get(cause), results) : undefined;
        const message = reason === 'upstream' ? `skipped: upstream ${causeName ?? 'node'} failed` : 'skipped: run stopped';
        for (const member of unit.members) record(skippedResult(project, member, message));
      },
    });
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    if (scratch) await (await scratch).connection.close();
  }

  const ordered = units.flatMap((u) => u.members.map((id) => results.get(id)!)).filter(Boolean);
  const outcome = { results: ordered, elapsed: (Date.now() - startTime) / 1000, interrupted: options.signal.aborted, testQueries };
  listener.onRunEnd(outcome);
  return outcome;
}

/** Sources read by the planned models and tests, directly or through ephemeral models. */
function sourcesRead(project: CompiledProject, units: ExecutionUnit[]): SourceTable[] {
  const sourcesOf = throughEphemeral(project, (id) => project.sources.has(id));
  const ids = new Set(units.flatMap((unit) => unit.members.flatMap(sourcesOf)));
  return [...ids].map((id) => project.sources.get(id)!);
}

function skippedResult(project: CompiledProject, id: string, message: string): NodeResult {
  return {
    uniqueId: id,
    name: nameOf(project, id),
    resourceType: resourceTypeOf(project, id),
    materialized: project.nodes.get(id)?.materialized,
    relationName: project.nodes.get(id)?.relationName,
    attachedNode: project.tests.get(id)?.attachedNode ?? project.unitTests.get(id)?.model,
    columnName: project.tests.get(id)?.columnName,
    status: 'skipped',
    message,
    executionTime: 0,
    timing: [],
    threadId: '',
  };
}

function nameOf(project: CompiledProject, id: string): string {
  return project.nodes.get(id)?.name ?? project.tests.get(id)?.name ?? project.unitTests.get(id)?.name ?? id;
}

function resourceTypeOf(project: CompiledProject, id: string): string {
  return project.nodes.get(id)?.resourceType ?? (project.tests.has(id) ? 'test' : 'unit_test');
}

/** "model x" for a node; for a test batch, the test that failed. */
function describeCause(project: CompiledProject, unit: ExecutionUnit | undefined, results: Map<string, NodeResult>): string | undefined {
  if (!unit) return undefined;
  const failed = unit.members.find((m) => FAILED.has(results.get(m)?.status ?? '')) ?? unit.members[0]!;
  const kind = resourceTypeOf(project, failed);
  return kind === 'model' || kind === 'seed' ? nameOf(project, failed) : `${kind.replace('_', ' ')} ${nameOf(project, failed)}`;
}
