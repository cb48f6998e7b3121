import { join, resolve } from 'node:path';
import type { Adapter, QueryEvaluator } from '../adapters/adapter.js';
import { createAdapter, createScratchAdapter, scratchDialect, unitTestEngineOf } from '../adapters/registry.js';
import { createJunitWriter } from '../artifacts/junit.js';
import { writeCompiledFiles, writeManifest } from '../artifacts/manifest.js';
import { createRunFilesWriter } from '../artifacts/run-files.js';
import { createRunResultsWriter } from '../artifacts/run-results.js';
import { ensureWritableFolder } from '../artifacts/write-file.js';
import type { CompiledProject } from '../compile/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { fanOut, type RunListener } from '../execute/events.js';
import { planExecution } from '../execute/plan.js';
import { type RunOutcome, runProject } from '../execute/run-project.js';
import { appendTestHistory } from '../execute/test-history.js';
import type { StateComparison } from '../graph/state.js';
import type { BatchSelection } from '../execute/batches.js';
import type { ResourceType } from '../project/types.js';
import { type Invocation, newInvocation, stateOf } from './invocation.js';
import type { OpenedProject } from './open-project.js';
import { type SelectionOptions, selectForCommand } from '../graph/select-project.js';
import { Reuse } from '../execute/reuse.js';
import { countOf } from '../text/plural.js';
import { FileLedger } from '../execute/file-batches.js';

/** The commands that run SQL, and what each builds or tests. */
export type BuildCommand = 'seed' | 'snapshot' | 'run' | 'test' | 'build';

const COMMANDS: Record<BuildCommand, { types: ReadonlySet<ResourceType>; gateOnTests: boolean }> = {
  seed: { types: new Set(['seed']), gateOnTests: false },
  snapshot: { types: new Set(['snapshot']), gateOnTests: false },
  run: { types: new Set(['model']), gateOnTests: false },
  test: { types: new Set(['test', 'unit_test']), gateOnTests: false },
  // Models and snapshots wait for their unit tests and their parents' data tests.
  build: { types: new Set(['seed', 'snapshot', 'model', 'test', 'unit_test']), gateOnTests: true },
};

export interface BuildOptions {
  command: BuildCommand;
  /** dbt selection syntax; a space-separated selector or several. */
  select?: string[];
  exclude?: string[];
  /** Folder with an earlier run's manifest.json: state:new / state:modified selectors. */
  state?: string;
  /** With state: read unselected parents from the state's relations. */
  defer?: boolean;
  /** With defer: read the state's relation even where this target has one (dbt's --favor-state). */
  favorState?: boolean;
  fullRefresh?: boolean;
  /** false: build every selected node, even those whose SQL and inputs are unchanged since their last build. */
  reuse?: boolean;
  failFast?: boolean;
  /** false: one query per data test. */
  batchTests?: boolean;
  /** Validate and price every statement without running (engines with dry runs). */
  dryRun?: boolean;
  /** Where the JUnit report goes (commands that run tests); default target/junit.xml. */
  junitPath?: string;
  /** Reporters and other listeners of the run's events (the artifact writers are added). */
  listeners?: RunListener[];
  /** Aborting cancels in-flight queries; unstarted nodes are skipped. */
  signal?: AbortSignal;
  /** The invocation's arguments as run_results.json records them. */
  args?: Record<string, unknown>;
  /** --selector (a selectors.yml name) and --indirect-selection. */
  selection?: SelectionOptions;
  /** --empty: every ref and source read as zero rows; data tests are skipped, unit tests run. */
  empty?: boolean;
  /** Exactly these unique ids instead of a selection (tsdbt retry); ids of other commands' types are left out. */
  nodes?: ReadonlySet<string>;
  /** Microbatch models: --event-time-start / --event-time-end, or --restate. */
  batches?: BatchSelection;
}

export interface BuildOutcome extends RunOutcome {
  invocation: Invocation;
  /** 0 success, 1 a model or an error-severity test failed, 130 interrupted. */
  exitCode: number;
}

/**
 * seed / run / test / build: select → plan → connect → hooks → run in DAG order → test history
 * → hooks, with run_results.json, junit.xml, target/run and target/compiled written by listeners.
 */
export async function build(opened: OpenedProject, options: BuildOptions): Promise<BuildOutcome> {
  const listener = fanOut(options.listeners ?? []);
  const shape = COMMANDS[options.command];
  const signal = options.signal ?? new AbortController().signal;
  const invocation = newInvocation(opened);
  const { target, config } = opened;
  let { project } = opened;
  project.warnings.forEach((w) => listener.onWarning(w));
  const state = stateOf(opened, invocation, options);
  const selected = options.nodes
    ? new Set([...options.nodes].filter((id) => shape.types.has(resourceTypeOf(project, id))))
    : selectForCommand(project, options.select, options.exclude, shape.types, state, options.selection);
  const planOptions = { batchTests: options.batchTests ?? true, gateOnTests: shape.gateOnTests };
  if (planExecution(project, selected, planOptions).length === 0) {
    listener.onWarning(`nothing to ${options.command}: the selection matched no ${[...shape.types].join(' or ')}`);
    return { results: [], elapsed: 0, interrupted: false, testQueries: 0, invocation, exitCode: 0 };
  }
  // A read-only or forbidden target/ stops the command here, before anything is built.
  ensureWritableFolder(join(opened.project.projectDir, opened.project.targetPath));
  const adapter = await createAdapter(target, { invocationId: invocation.invocationId });
  if (options.dryRun && !adapter.capabilities.dryRun) {
    throw new TsdbtError(`--dry-run needs an engine with dry runs; target "${target.name}" is ${target.type}`, {
      code: 'E_DRY_RUN',
      kind: 'usage',
      hint: 'use a BigQuery target, or drop --dry-run',
    });
  }
  await adapter.connection.open();
  const cancel = () => void adapter.connection.cancelAll();
  signal.addEventListener('abort', cancel, { once: true });
  // A writer that cannot write (the disk filled up) stops the run: in-flight queries are cancelled
  // and roll back, and the one error is reported once instead of on every node.
  const stopped = new AbortController();
  let writeFailure: unknown;
  const onWriteFailure = (error: unknown) => {
    writeFailure ??= error;
    stopped.abort();
    cancel();
  };
  try {
    if (options.defer && state) project = await deferUnselected(project, state, selected, adapter, listener, options.favorState ?? false);
    if (options.empty) project = project.emptied();
    const units = planExecution(project, selected, planOptions);
    // State-aware: what a run builds is recorded, and a node whose inputs did not change is left as
    // it is. Not under --dry-run, --empty (zero rows are not the inputs' rows) or --defer.
    const ledger = new FileLedger(adapter, project, target.lakeRoot);
    const reuse =
      options.dryRun || options.empty || (options.defer && state)
        ? undefined
        : await Reuse.open(project, adapter, { ledger, invocationId: invocation.invocationId, enabled: !options.fullRefresh && options.reuse !== false });
    // Unit tests run on an evaluator of the target's SQL when its engine has one here; otherwise on
    // the scratch engine, their models rendered in its dialect.
    let unitTestEvaluator: (() => Promise<QueryEvaluator>) | undefined;
    if ([...project.unitTests.keys()].some((id) => selected.has(id))) {
      const unitTestEngine = await unitTestEngineOf(target);
      unitTestEvaluator = unitTestEngine.evaluator;
      if (unitTestEngine.note) listener.onInfo(unitTestEngine.note);
      if (!unitTestEvaluator) project = { ...project, unitTests: await project.unitTestsIn(await scratchDialect()) };
    }
    const targetDir = join(project.projectDir, project.targetPath);
    writeCompiledFiles(project, new Set([...project.nodes.keys(), ...selected]));
    writeManifest(project, invocation);
    if (signal.aborted) return interrupted(invocation);
    await runHooks(config.onRunStart, 'on-run-start', project, adapter);
    if (signal.aborted) return interrupted(invocation);
    const writers: RunListener[] = [createRunFilesWriter(project), createRunResultsWriter(targetDir, options.args ?? {}, invocation)];
    if (shape.types.has('test')) writers.push(createJunitWriter(options.junitPath ? resolve(options.junitPath) : join(targetDir, 'junit.xml')));
    const runSignal = AbortSignal.any([signal, stopped.signal]);
    const outcome = await runProject({
      project,
      adapter,
      scratchAdapter: () => createScratchAdapter(target.threads),
      unitTestEvaluator,
      units,
      threads: target.threads,
      fullRefresh: options.fullRefresh ?? false,
      failFast: options.failFast ?? false,
      listener: fanOut([...(options.listeners ?? []), ...writers.map((writer) => guarded(writer, onWriteFailure))]),
      signal: runSignal,
      command: options.command,
      targetName: target.name,
      lakeRoot: target.lakeRoot,
      dryRun: options.dryRun,
      skipDataTests: options.empty ? 'skipped: --empty builds every model on zero rows, so data tests would test nothing' : undefined,
      batches: { selection: options.batches ?? {}, invocationId: invocation.invocationId, ledger },
      reuse,
      skipSnapshots: options.empty ? 'skipped: --empty reads zero rows, and a snapshot of zero rows would end every current version' : undefined,
    });
    if (writeFailure) throw writeFailure;
    if (outcome.interrupted) return { ...outcome, invocation, exitCode: 130 };
    if (config.testHistory && shape.types.has('test')) {
      const rows = await appendTestHistory(adapter, config.testHistory, outcome.results, invocation, options.command);
      if (rows > 0) listener.onInfo(`test history: ${countOf(rows, 'row')} appended to ${config.testHistory.schema}.${config.testHistory.table}`);
    }
    await runHooks(config.onRunEnd, 'on-run-end', project, adapter);
    const failed = outcome.results.some((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success');
    return { ...outcome, invocation, exitCode: failed ? 1 : 0 };
  } finally {
    signal.removeEventListener('abort', cancel);
    await adapter.connection.close();
  }
}

/** A listener whose failures go to `onFailure` instead of into the scheduler that called it. */
function guarded(listener: RunListener, onFailure: (error: unknown) => void): RunListener {
  const out: RunListener = {};
  for (const [hook, handler] of Object.entries(listener) as Array<[keyof RunListener, (...args: unknown[]) => void]>) {
    (out as Record<string, unknown>)[hook] = (...args: unknown[]) => {
      try {
        handler(...args);
      } catch (error) {
        onFailure(error);
      }
    };
  }
  return out;
}

const interrupted = (invocation: Invocation): BuildOutcome => ({ results: [], elapsed: 0, interrupted: true, testQueries: 0, invocation, exitCode: 130 });

/**
 * --defer: parents outside the selection read the relations they have in the state's target
 * (attached read-only when it is another database of the same engine). The project is resolved
 * again with those relations; nothing is rendered again.
 */
async function deferUnselected(
  project: CompiledProject,
  state: StateComparison,
  selected: ReadonlySet<string>,
  adapter: Adapter,
  listener: Required<RunListener>,
  favorState: boolean,
): Promise<CompiledProject> {
  const prefix = state.database ? await adapter.connection.attachForDeferral(state.database, state.stateDir) : '';
  const unselected = [...project.nodes.values()].filter(
    (node) => !selected.has(node.uniqueId) && node.materialized !== 'ephemeral' && state.relationInState(node.uniqueId),
  );
  // dbt's rule: a parent this target has already built is read here, unless --favor-state.
  const ownRelations = favorState
    ? new Map()
    : await adapter.connection.catalog(unselected.map((n) => ({ relationName: n.relationName!, schema: n.schema, identifier: n.identifier })));
  const relations = new Map<string, string>();
  for (const node of unselected) if (!ownRelations.has(node.relationName!)) relations.set(node.uniqueId, prefix + state.relationInState(node.uniqueId)!);
  const kept = unselected.length - relations.size;
  listener.onInfo(
    `--defer: ${relations.size} unselected node${relations.size === 1 ? '' : 's'} read from the state's relations${prefix ? ` (${state.database})` : ''}${kept ? `, ${kept} built in this target read here (--favor-state reads the state's)` : ''}`,
  );
  return project.deferTo(relations);
}

/** project.yml on-run-start / on-run-end: templated SQL statements around the run. */
async function runHooks(hooks: string[], label: string, project: CompiledProject, adapter: Adapter): Promise<void> {
  for (const [index, hook] of hooks.entries()) {
    const sql = project.renderAdHoc(hook, `project.yml ${label}[${index}]`);
    try {
      await adapter.connection.query(sql);
    } catch (error) {
      throw new TsdbtError(`${label} hook ${index + 1} failed: ${(error as Error).message}`, {
        code: 'E_HOOK',
        kind: 'runtime',
        location: { file: 'project.yml' },
        hint: `fix the ${label} statement in project.yml`,
      });
    }
  }
}

/** The resource type of a unique id of the project (tests and unit tests included). */
function resourceTypeOf(project: CompiledProject, id: string): ResourceType {
  return project.nodes.get(id)?.resourceType ?? project.tests.get(id)?.resourceType ?? project.unitTests.get(id)?.resourceType ?? 'model';
}
