import type { Adapter, ExistingRelation, QueryEvaluator, ScratchAdapter } from '../adapters/adapter.js';
import { kindSuffices } from './materialize.js';
import type { CompiledProject } from '../compile/types.js';
import type { RunListener } from './events.js';
import type { SourceTable } from '../project/types.js';
import { onSlice, runDataTests } from './data-tests.js';
import { throughEphemeral, type ExecutionUnit } from './plan.js';
import type { BatchSelection } from './batches.js';
import type { FileLedger } from './file-batches.js';
import { runNode } from './run-node.js';
import { runSchedule } from './scheduler.js';
import type { NodeResult } from './types.js';
import { runUnitTest, runUnitTestOnEvaluator } from './unit-tests.js';
import type { Reuse, ReuseCheck } from './reuse.js';

export interface RunProjectOptions {
  project: CompiledProject;
  adapter: Adapter;
  /** In-memory engine for unit tests (created only when the plan has some). */
  scratchAdapter?: () => Promise<ScratchAdapter>;
  /** Set when unit tests run on an evaluator of the target's own SQL instead (started once, when the plan has some). */
  unitTestEvaluator?: () => Promise<QueryEvaluator>;
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
  batches?: { selection: BatchSelection; invocationId: string; ledger: FileLedger };
  /** State-aware run: nodes whose inputs did not change are left as they are (unset: everything runs, nothing is recorded). */
  reuse?: Reuse;
}

export interface RunOutcome {
  results: NodeResult[];
  elapsed: number;
  interrupted: boolean;
  /** Queries that evaluated data tests (batched tests share one), for the summary and the benchmark. */
  testQueries: number;
}

/** What stops the nodes downstream (a partial microbatch model misses the failed batches' rows). */
const FAILED = new Set(['error', 'fail', 'partial success']);

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
  const listed = await listRelationKinds(project, units, adapter);
  listener.onRunStart({ command: options.command, target: options.targetName, adapter: adapter.type, threads: options.threads, total });
  const record = (result: NodeResult) => {
    results.set(result.uniqueId, result);
    listener.onNodeFinish(result, ++finished, total);
  };
  const freeThreads = Array.from({ length: options.threads }, (_, i) => `Thread-${i + 1}`).reverse();
  let scratch: Promise<ScratchAdapter> | undefined;
  let evaluator: Promise<QueryEvaluator> | undefined;
  let testQueries = 0;

  const checks = new Map<string, ReuseCheck>();
  /** Models that loaded only a slice in this run: the condition selecting it. */
  const slices = new Map<string, string>();
  const execute = async (unit: ExecutionUnit, threadId: string): Promise<NodeResult[]> => {
    for (const member of unit.members) listener.onNodeStart({ uniqueId: member, name: nameOf(project, member) }, ++started, total);
    if (options.reuse && (unit.kind === 'node' || unit.kind === 'tests')) {
      for (const member of unit.members) checks.set(member, await options.reuse.check(member));
      const reused = unit.members.filter((m) => checks.get(m)!.reusable);
      if (reused.length > 0) {
        const rest = { ...unit, members: unit.members.filter((m) => !checks.get(m)!.reusable) };
        const results = reused.map((id) => ({ ...reusedResult(project, id), threadId }));
        return rest.members.length === 0 ? results : [...results, ...(await executeUnit(rest, threadId))];
      }
    }
    return executeUnit(unit, threadId);
  };
  const executeUnit = async (unit: ExecutionUnit, threadId: string): Promise<NodeResult[]> => {
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
          batches: options.batches && { ...options.batches, threads: options.threads },
          listed: listed?.(unit.id),
        }),
      ];
    if (unit.kind === 'unit_test') {
      const test = project.unitTests.get(unit.id)!;
      // The input relations' real columns bound the fixtures; an input not built yet is not checked.
      const relationColumns = (relation: string) =>
        adapter.connection.queryColumns({ sql: `select * from ${relation}` }, { kind: 'test', name: test.name }).catch(() => undefined);
      if (options.unitTestEvaluator) {
        evaluator ??= options.unitTestEvaluator();
        return [await runUnitTestOnEvaluator(test, await evaluator, threadId, relationColumns)];
      }
      scratch ??= options.scratchAdapter!();
      return [await runUnitTest(test, await scratch, threadId, relationColumns)];
    }
    if (options.skipDataTests) return unit.members.map((id) => skippedResult(project, id, options.skipDataTests!));
    // `incremental: true` tests of a model that loaded only a slice read that slice (their own query).
    const tests = unit.members.map((id) => project.tests.get(id)!);
    const sliced = tests.map((test) => onSlice(test, test.attachedNode ? slices.get(test.attachedNode) : undefined));
    const groups = [sliced.filter((t) => t !== undefined), tests.filter((_, i) => sliced[i] === undefined)].filter((g) => g.length > 0);
    const results: NodeResult[] = [];
    for (const group of groups) {
      testQueries++;
      results.push(...(await runDataTests(group, { adapter, threadId, dryRun: options.dryRun })));
    }
    return results;
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
          for (const result of unitResults) {
            const check = checks.get(result.uniqueId);
            if (check) options.reuse!.settle(result.uniqueId, check, result);
            if (result.slice !== undefined) slices.set(result.uniqueId, result.slice);
          }
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
    if (evaluator) (await evaluator).close();
  }
  // A stopped run (Ctrl-C, --fail-fast, a full disk) records nothing: its nodes are built again next time.
  if (options.reuse && !stop.signal.aborted) {
    await options.reuse
      .save()
      .catch((error: Error) => listener.onWarning(`the builds of this run were not recorded (${error.message}): the next run builds them again`));
  }

  const ordered = units.flatMap((u) => u.members.map((id) => results.get(id)!)).filter(Boolean);
  const outcome = { results: ordered, elapsed: (Date.now() - startTime) / 1000, interrupted: options.signal.aborted, testQueries };
  listener.onRunEnd(outcome);
  return outcome;
}

/**
 * One listing of the relations of the table and view models about to be built, where the engine
 * lists cheaply (a lookup per model costs more than its CREATE on DuckDB). Each relation is built
 * by its own node only, so the listing holds until that node runs.
 */
async function listRelationKinds(
  project: CompiledProject,
  units: ExecutionUnit[],
  adapter: Adapter,
): Promise<((id: string) => { existing: ExistingRelation | undefined } | undefined) | undefined> {
  if (!adapter.connection.relationKinds) return undefined;
  const nodes = units
    .filter((u) => u.kind === 'node')
    .map((u) => project.nodes.get(u.id)!)
    .filter((node) => kindSuffices(adapter, node));
  if (nodes.length === 0) return undefined;
  const kinds = await adapter.connection.relationKinds(nodes.map((n) => ({ relationName: n.relationName!, schema: n.schema, identifier: n.identifier })));
  const covered = new Set(nodes.map((n) => n.uniqueId));
  return (id) => {
    if (!covered.has(id)) return undefined;
    const kind = kinds.get(project.nodes.get(id)!.relationName!);
    return { existing: kind ? { kind } : undefined };
  };
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

function reusedResult(project: CompiledProject, id: string): NodeResult {
  const test = project.tests.has(id);
  return {
    ...skippedResult(project, id, test ? 'reused: passed on the same inputs last time' : 'reused: nothing it reads changed since its last build'),
    status: 'reused',
    detail: 'reused',
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
