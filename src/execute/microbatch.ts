import type {
  Adapter,
  ExistingRelation,
  IntervalRecord,
  JobInfo,
  MaterializationPlan,
  MicrobatchPlanner,
  PlannedModel,
  RelationRef,
  Statement,
} from '../adapters/adapter.js';
import { alone } from '../adapters/statements.js';
import type { CompiledSql } from '../compile/line-map.js';
import { fullRefreshOf, type MicrobatchConfig, type ResolvedModelConfig } from '../compile/node-config.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import { sha256 } from '../project/checksum.js';
import { type BatchPlan, type BatchSelection, type BatchWindow, type BuiltInterval, batchesBetween, flagInstant, isoOf, planBatches } from './batches.js';

/** Where tsdbt records the built batches of microbatch models, in the target. */
export const INTERVALS_TABLE: RelationRef = { relationName: 'tsdbt_state.intervals', schema: 'tsdbt_state', identifier: 'intervals' };

/** What the batches of one model did: successful windows, and failed ones with their error and plan. */
export interface BatchOutcome {
  plan: BatchPlan;
  successful: BatchWindow[];
  failed: Array<{ window: BatchWindow; error: unknown }>;
  statements: Statement[];
  rows: number;
  /** The first batch's SQL (target/compiled shows a batch as it ran). */
  executedSql?: CompiledSql;
}

export interface MicrobatchOptions {
  fullRefresh: boolean;
  selection: BatchSelection;
  /** concurrent_batches: true runs up to this many batches at once. */
  threads: number;
  invocationId: string;
  now?: Date;
  /** Wraps a plan's execution so that a failure carries its plan (materialize.ts's PlanFailure). */
  run<T>(plan: MaterializationPlan, work: () => Promise<T>): Promise<T>;
}

/** The microbatch planner of an engine, or an internal error (the compiler refuses microbatch elsewhere). */
export function microbatchPlanner(adapter: Adapter): MicrobatchPlanner {
  const planner = adapter.planner.microbatch;
  if (!planner) throw new Error(`microbatch reached the ${adapter.type} adapter, which does not build it`);
  return planner;
}

/** The checksum recorded with each batch: a changed compiled SQL makes every batch missing. */
export const checksumOf = (node: CompiledNode) => sha256(node.compiledCode);

/** The model's recorded batches (empty when the state table does not exist yet). */
export async function readIntervals(adapter: Adapter, uniqueId: string): Promise<BuiltInterval[]> {
  const planner = microbatchPlanner(adapter);
  const exists = await adapter.connection.describeRelation(INTERVALS_TABLE, {});
  if (!exists) return [];
  const result = await adapter.connection.query(planner.readIntervals(INTERVALS_TABLE, uniqueId));
  return result.rows.map((row) => ({
    start: new Date(Number(row.start_ms)),
    end: new Date(Number(row.end_ms)),
    checksum: String(row.checksum),
    loadedAt: new Date(Number(row.loaded_at_ms)),
  }));
}

/**
 * Builds the batches a run needs (planBatches), each as one unit that replaces its slice and
 * records its interval. The first batch creates the table when there is none (or on a full
 * refresh); the others run in order, or up to concurrent_batches at once. A failed batch does not
 * stop the others: each is reported.
 */
export async function buildBatches(
  adapter: Adapter,
  project: CompiledProject,
  node: CompiledNode & { resolvedConfig: ResolvedModelConfig },
  config: MicrobatchConfig,
  model: (sql: CompiledSql) => PlannedModel,
  options: MicrobatchOptions,
): Promise<BatchOutcome> {
  const planner = microbatchPlanner(adapter);
  const { connection } = adapter;
  const job: JobInfo = { kind: 'model', name: node.name };
  const relation = { relationName: node.relationName!, schema: node.schema, identifier: node.identifier };
  await connection.execute({ statements: planner.intervalsTable(INTERVALS_TABLE), verb: 'STATE' }, { kind: 'query', name: 'intervals' });
  let existing: ExistingRelation | undefined = await connection.describeRelation(relation, { columns: true });
  // --restate rebuilds its batches in the table as it is: with --full-refresh it would keep only them.
  const refresh = (fullRefreshOf(node.resolvedConfig, options.fullRefresh) && !options.selection.restate) || existing?.kind !== 'table';
  const checksum = checksumOf(node);
  const built = refresh ? [] : await readIntervals(adapter, node.uniqueId);
  const plan = planBatches(config, built, options.selection, { fullRefresh: refresh, checksum, now: options.now ?? new Date() });
  const outcome: BatchOutcome = { plan, successful: [], failed: [], statements: [], rows: 0 };
  const statementsOf = new Map<number, Statement[]>();

  const runBatch = async (window: BatchWindow, replace: boolean): Promise<boolean> => {
    const sql = project.renderBatch(node.uniqueId, { start: isoOf(window.start), end: isoOf(window.end) });
    outcome.executedSql ??= sql;
    const planned = model(sql);
    const record: IntervalRecord = {
      table: INTERVALS_TABLE,
      uniqueId: node.uniqueId,
      start: isoOf(window.start),
      end: isoOf(window.end),
      checksum,
      invocationId: options.invocationId,
    };
    try {
      const newColumns = replace ? undefined : await connection.queryColumns(alone(sql, node.originalFilePath), job);
      const batchPlan = planner.batch(planned, existing, record, { replace, newColumns });
      const report = await options.run(batchPlan, () => connection.execute(batchPlan, job));
      statementsOf.set(window.start.getTime(), batchPlan.statements);
      outcome.rows += report.newRows ?? 0;
      outcome.successful.push(window);
      return true;
    } catch (error) {
      outcome.failed.push({ window, error });
      return false;
    }
  };

  const queue = [...plan.toRun];
  // Until a batch has created the table, batches run one at a time and each tries to create it.
  let replacing = refresh;
  while (replacing && queue.length > 0) {
    if (await runBatch(queue.shift()!, true)) {
      replacing = false;
      existing = await connection.describeRelation(relation, { columns: true });
    }
  }
  const width = config.concurrentBatches === 'threads' ? Math.max(1, options.threads) : config.concurrentBatches;
  const workers = Array.from({ length: Math.min(width, queue.length) }, async () => {
    for (let window = queue.shift(); window; window = queue.shift()) await runBatch(window, false);
  });
  await Promise.all(workers);
  const byStart = (a: BatchWindow, b: BatchWindow) => a.start.getTime() - b.start.getTime();
  outcome.successful.sort(byStart);
  outcome.failed.sort((a, b) => byStart(a.window, b.window));
  for (const window of outcome.successful) outcome.statements.push(...(statementsOf.get(window.start.getTime()) ?? []));
  return outcome;
}

/** Built and missing batches of a model's window, for `tsdbt ls --output json`. */
export function intervalReport(
  config: MicrobatchConfig,
  built: readonly BuiltInterval[],
  checksum: string,
  now: Date,
): { built: Array<[string, string]>; missing: Array<[string, string]> } {
  const window = batchesBetween(flagInstant(config.begin, config.timezone)!, now, config.batchSize, config.timezone);
  const plan = planBatches(config, built, {}, { fullRefresh: false, checksum, now });
  const missing = new Set(plan.missing.map((w) => w.start.getTime()));
  const pair = (w: BatchWindow): [string, string] => [isoOf(w.start), isoOf(w.end)];
  return { built: window.filter((w) => !missing.has(w.start.getTime())).map(pair), missing: plan.missing.map(pair) };
}
