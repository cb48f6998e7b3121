import { join, resolve } from 'node:path';
import type { Adapter } from '../../adapters/adapter.js';
import { createAdapter, createScratchAdapter, scratchDialect } from '../../adapters/registry.js';
import { writeJunit } from '../../artifacts/junit.js';
import { writeCompiledFiles, writeManifest } from '../../artifacts/manifest.js';
import { writeRunResults } from '../../artifacts/run-results.js';
import type { CompiledProject } from '../../compile/types.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { planExecution } from '../../execute/plan.js';
import { runProject } from '../../execute/run-project.js';
import { appendTestHistory } from '../../execute/test-history.js';
import type { ResourceType } from '../../project/types.js';
import type { CommandContext } from '../main.js';
import type { Flags } from '../flags.js';
import { argsRecord, invocationFor, openFromFlags, stateFromFlags } from '../invocation.js';
import type { OpenedProject } from '../../open-project.js';
import type { StateComparison } from '../../graph/state.js';
import { selectIds } from '../selection.js';

interface CommandShape {
  name: string;
  types: Set<ResourceType>;
  /** Models wait for their unit tests and their parents' data tests (build). */
  gateOnTests: boolean;
}

const SEED: CommandShape = { name: 'seed', types: new Set(['seed']), gateOnTests: false };
const RUN: CommandShape = { name: 'run', types: new Set(['model']), gateOnTests: false };
const TEST: CommandShape = { name: 'test', types: new Set(['test', 'unit_test']), gateOnTests: false };
const BUILD: CommandShape = { name: 'build', types: new Set(['seed', 'model', 'test', 'unit_test']), gateOnTests: true };

export const seedCommand = (flags: Flags, context: CommandContext) => execute(SEED, flags, context);
export const runCommand = (flags: Flags, context: CommandContext) => execute(RUN, flags, context);
export const testCommand = (flags: Flags, context: CommandContext) => execute(TEST, flags, context);
export const buildCommand = (flags: Flags, context: CommandContext) => execute(BUILD, flags, context);

/** load → compile → select → plan → execute → report, for every command that runs SQL. */
async function execute(command: CommandShape, flags: Flags, { reporter, signal }: CommandContext): Promise<number> {
  let opened = await openFromFlags(flags);
  const { target } = opened;
  opened.project.warnings.forEach((w) => reporter.onWarning(w));
  const invocation = invocationFor(opened);
  const state = stateFromFlags(flags, opened, invocation);
  const selected = selectIds(opened.project, flags.select, flags.exclude, command.types, state);
  const planOptions = { batchTests: flags.batch, gateOnTests: command.gateOnTests };
  let units = planExecution(opened.project, selected, planOptions);
  if (units.length === 0) {
    reporter.onWarning(`nothing to ${command.name}: the selection matched no ${[...command.types].join(' or ')}`);
    return 0;
  }
  const adapter = await createAdapter(target, { invocationId: invocation.invocationId });
  if (flags.dryRun && !adapter.capabilities.dryRun) {
    throw new TsdbtError(`--dry-run needs an engine with dry runs; target "${target.name}" is ${target.type}`, {
      code: 'E_DRY_RUN',
      kind: 'usage',
      hint: 'use a BigQuery target, or drop --dry-run',
    });
  }
  await adapter.open();
  const cancel = () => void adapter.cancelAll();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    if (flags.defer && state) {
      opened = await deferUnselected(flags, opened, state, selected, adapter, reporter);
      // Deferred relations change the test queries a batch shares: plan the recompiled project.
      units = planExecution(opened.project, selected, planOptions);
    }
    const { project } = opened;
    await compileUnitTestsForScratch(flags, opened, selected);
    const targetDir = join(project.projectDir, project.targetPath);
    writeCompiledFiles(project, new Set([...project.nodes.keys(), ...selected]));
    writeManifest(project, invocation);
    if (signal.aborted) return 130;
    await runHooks(opened.config.onRunStart, 'on-run-start', project, adapter);
    if (signal.aborted) return 130;
    const outcome = await runProject({
      project,
      adapter,
      scratchAdapter: () => createScratchAdapter(target.threads),
      units,
      threads: target.threads,
      fullRefresh: flags.fullRefresh,
      failFast: flags.failFast,
      reporter,
      signal,
      command: command.name,
      targetName: target.name,
      lakeRoot: target.lakeRoot,
      dryRun: flags.dryRun,
    });
    writeRunResults(targetDir, outcome.results, outcome.elapsed, argsRecord(command.name, flags), invocation);
    if (command.types.has('test')) {
      const junitPath = flags.junit ? resolve(flags.junit) : join(targetDir, 'junit.xml');
      writeJunit(junitPath, outcome.results, outcome.elapsed);
    }
    if (outcome.interrupted) return 130;
    if (opened.config.testHistory && command.types.has('test')) {
      const rows = await appendTestHistory(adapter, opened.config.testHistory, outcome.results, invocation, command.name);
      if (rows > 0) reporter.onInfo(`test history: ${rows} rows appended to ${opened.config.testHistory.schema}.${opened.config.testHistory.table}`);
    }
    await runHooks(opened.config.onRunEnd, 'on-run-end', project, adapter);
    return outcome.results.some((r) => r.status === 'error' || r.status === 'fail') ? 1 : 0;
  } finally {
    signal.removeEventListener('abort', cancel);
    await adapter.close();
  }
}

/**
 * --defer: compile again so that parents outside the selection read the relations they have in
 * the state's target (attached read-only when it is another database of the same engine).
 */
async function deferUnselected(
  flags: Flags,
  opened: OpenedProject,
  state: StateComparison,
  selected: Set<string>,
  adapter: Adapter,
  reporter: CommandContext['reporter'],
): Promise<OpenedProject> {
  const prefix = state.database ? await adapter.attachForDeferral(state.database) : '';
  const overrides = new Map<string, string>();
  for (const node of opened.project.nodes.values()) {
    const relation = state.relationInState(node.uniqueId);
    if (!selected.has(node.uniqueId) && node.materialized !== 'ephemeral' && relation) overrides.set(node.uniqueId, prefix + relation);
  }
  reporter.onInfo(
    `--defer: ${overrides.size} unselected node${overrides.size === 1 ? '' : 's'} read from the state's relations${prefix ? ` (${state.database})` : ''}`,
  );
  return openFromFlags(flags, overrides);
}

/**
 * Unit tests always run on the in-memory DuckDB: when the target is another engine, the tested
 * models are compiled again in DuckDB's dialect for them.
 */
async function compileUnitTestsForScratch(flags: Flags, opened: OpenedProject, selected: Set<string>): Promise<void> {
  const scratch = await scratchDialect();
  const wanted = [...opened.project.unitTests.keys()].filter((id) => selected.has(id));
  if (wanted.length === 0 || opened.target.type === scratch.type) return;
  const { project } = await openFromFlags(flags, undefined, scratch);
  for (const id of wanted) opened.project.unitTests.set(id, project.unitTests.get(id)!);
}

/** project.yml on-run-start / on-run-end: templated SQL statements around the run. */
async function runHooks(hooks: string[], label: string, project: CompiledProject, adapter: Adapter): Promise<void> {
  for (const [index, hook] of hooks.entries()) {
    const sql = project.renderAdHoc(hook, `project.yml ${label}[${index}]`);
    try {
      await adapter.query(sql);
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
