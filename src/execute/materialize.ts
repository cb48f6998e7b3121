import type {
  Adapter,
  ExecutionReport,
  ExistingRelation,
  JobInfo,
  MaterializationPlan,
  PlannedModel,
  PlannedSeed,
  PlannedSnapshot,
  Statement,
} from '../adapters/adapter.js';
import { alone } from '../adapters/statements.js';
import { checkContract } from './contract-check.js';
import type { CompiledSql } from '../compile/line-map.js';
import {
  type CommonConfig,
  fullRefreshOf,
  plainTableConfig,
  type ResolvedModelConfig,
  type ResolvedSeedConfig,
  type ResolvedSnapshotConfig,
} from '../compile/node-config.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import { formatBytes } from '../text/format-bytes.js';
import { countOf } from '../text/plural.js';
import type { BatchSelection, BatchWindow } from './batches.js';
import { type BatchOutcome, buildBatches } from './microbatch.js';
import { buildFiles, type FileLedger } from './file-batches.js';

/** What building one relation did: for the result, the console and target/run. */
export interface MaterializeOutcome {
  /** The statements that ran, in order (target/run/** is exactly these). */
  statements: Statement[];
  /** The SELECT that ran (an incremental run's differs from the compiled one). */
  executedSql?: CompiledSql;
  rowsAffected?: number;
  /** "CREATE TABLE (1 234 rows)". */
  message: string;
  /** --dry-run: what the engine estimates the plan would read. */
  bytesProcessed?: number;
  /** The plan that ran or failed, for mapping an engine error back to the model's lines. */
  plan?: MaterializationPlan;
  /** A microbatch model: each batch's outcome (failed ones with their error). */
  batches?: BatchOutcome;
  /** In place of the row count on the console: how many batches or files ran. */
  detail?: string;
  warnings?: string[];
  /** The rows this run loaded, as a condition on the model's rows (a files or microbatch run that was not a rebuild). */
  slice?: string;
}

export interface MaterializeOptions {
  fullRefresh: boolean;
  dryRun: boolean;
  /** The model rendered with is_incremental() true, when its table exists. */
  renderIncremental(): CompiledSql;
  /** Microbatch and files models: the project (each batch renders again), the window, the lake and the run's identity. */
  batches?: {
    project: CompiledProject;
    selection: BatchSelection;
    threads: number;
    invocationId: string;
    /** The run's lake listings and file records (files models). */
    ledger: FileLedger;
  };
  /** What is under the model's relation, when the run listed it up front (see kindSuffices). */
  listed?: { existing: ExistingRelation | undefined };
}

/**
 * Whether knowing what kind of relation a model's name holds is all its build needs to look up:
 * a table or a view, no pre-hook that could change it first, no grants to compare. Such models
 * can take their relation's kind from one listing made before the run.
 */
export function kindSuffices(adapter: Adapter, node: CompiledNode): boolean {
  const config = node.resolvedConfig;
  return (
    node.resourceType === 'model' &&
    (config.materialized === 'table' || config.materialized === 'view') &&
    (node.hooks?.pre.length ?? 0) === 0 &&
    !managesGrants(adapter, config)
  );
}

/** Thrown with the plan that failed, so the caller can map the engine's line back to the template. */
export class PlanFailure extends Error {
  constructor(
    readonly plan: MaterializationPlan,
    readonly error: unknown,
  ) {
    super((error as Error)?.message ?? String(error));
  }
}

/**
 * Builds one model: what exists under its name, then the planner's statements for its
 * materialization, run by the connection as one unit (or only priced, with --dry-run).
 */
export async function materializeModel(
  adapter: Adapter,
  node: CompiledNode & { resolvedConfig: ResolvedModelConfig },
  options: MaterializeOptions,
): Promise<MaterializeOutcome> {
  const { planner, connection } = adapter;
  const config = node.resolvedConfig;
  const job: JobInfo = { kind: 'model', name: node.name };
  const relation = { relationName: node.relationName!, schema: node.schema, identifier: node.identifier };
  const model = (sql: CompiledSql): PlannedModel => ({ ...planned(node), config, sql });
  const incremental = config.materialized === 'incremental';
  const existing = options.listed
    ? options.listed.existing
    : await connection.describeRelation(relation, {
        columns: incremental,
        rows: incremental && !options.dryRun,
        grants: managesGrants(adapter, config),
      });
  let plan: MaterializationPlan;
  let sql: CompiledSql = { text: node.compiledCode, lines: node.compiledLines };
  // An enforced contract: the SELECT's columns are compared with it before anything is built.
  const contract = (select: CompiledSql) =>
    checkContract(adapter, node, select, job, (run) => runOrFail({ statements: [alone(select, node.originalFilePath)], verb: 'SELECT' }, run));
  if (incremental && config.incremental.microbatch && options.batches && !options.dryRun) {
    // An enforced contract is compared with the model's columns once, before any batch.
    await contract(sql);
    const { project, ...rest } = options.batches;
    const batches = await buildBatches(adapter, project, node, config.incremental.microbatch, model, {
      ...rest,
      fullRefresh: options.fullRefresh,
      run: runOrFail,
    });
    const message = batchMessage(batches);
    const { successful } = batches;
    const filter = adapter.dialect.eventTimeFilter;
    // The batches a run (not a rebuild) built, as one window: what its incremental tests read.
    const slice =
      successful.length > 0 && batches.plan.reason !== 'full refresh' && filter
        ? filter(
            adapter.dialect.quoteIdentifier(config.incremental.microbatch.eventTime),
            successful[0]!.start.toISOString(),
            successful.at(-1)!.end.toISOString(),
          )
        : undefined;
    return {
      statements: batches.statements,
      executedSql: batches.executedSql,
      rowsAffected: batches.rows,
      message,
      detail: message.split('\n')[0],
      batches,
      slice,
    };
  }
  if (incremental && config.incremental.files && options.batches && !options.dryRun) {
    await contract(sql);
    const { project, invocationId, ledger } = options.batches;
    const files = await buildFiles(adapter, project, node, model, { fullRefresh: options.fullRefresh, invocationId, ledger, run: runOrFail });
    const { rebuild, change } = files.plan;
    const { dialect } = adapter;
    // The files a run (not a rebuild) read: what its incremental tests read.
    const slice =
      rebuild || files.statements.length === 0
        ? undefined
        : change.loaded.length === 0
          ? 'false'
          : `${dialect.quoteIdentifier(config.incremental.files.fileColumn!)} in (${change.loaded.map((f) => dialect.literal(f.path)).join(', ')})`;
    return {
      statements: files.statements,
      executedSql: files.executedSql,
      rowsAffected: files.rows,
      message: files.message,
      detail: files.message,
      warnings: files.warnings,
      slice,
    };
  }
  if (config.materialized === 'view') {
    await contract(sql);
    plan = planner.view(model(sql), existing);
  } else if (incremental && existing?.kind === 'table' && !fullRefreshOf(config, options.fullRefresh)) {
    sql = options.renderIncremental();
    const planned = model(sql);
    const checked = await contract(sql);
    // Pricing only (--dry-run) never needs the new columns: schema changes are applied for real runs.
    const newColumns =
      planner.needsNewColumns(planned) && !options.dryRun ? (checked ?? (await connection.queryColumns(alone(sql, node.originalFilePath), job))) : undefined;
    plan = planner.incremental(planned, existing, newColumns);
  } else {
    await contract(sql);
    plan = planner.table(model(sql), existing);
  }

  const ran = await dryRunOrExecute(connection, plan, job, options.dryRun);
  if ('estimate' in ran) return ran.estimate;
  const { report, bytes } = ran;
  const outcome = { statements: plan.statements, executedSql: sql, plan };
  if (config.materialized === 'view') return { ...outcome, message: bytes ? `${plan.verb} (${bytes})` : plan.verb };
  if (incremental && plan.verb !== 'CREATE TABLE') {
    const after = (await connection.describeRelation(relation, { rows: true }))?.rows;
    return { ...outcome, ...incrementalSummary(plan, report, existing, after, bytes) };
  }
  const rows = report.newRows ?? (await connection.describeRelation(relation, { rows: true }))?.rows;
  const counted = rows !== undefined ? countOf(rows, 'row') : 'done';
  return { ...outcome, rowsAffected: rows, message: `${plan.verb} (${[counted, bytes].filter(Boolean).join(', ')})` };
}

/** "MICROBATCH (3 of 3 batches, 96 rows; 3 missing + 1 lookback)". */
function batchMessage(batches: BatchOutcome): string {
  const { plan, successful, failed, rows } = batches;
  if (plan.toRun.length === 0) return `MICROBATCH (up to date: ${plan.window.length} batch${plan.window.length === 1 ? '' : 'es'} built)`;
  const done = `${successful.length} of ${plan.toRun.length} batch${plan.toRun.length === 1 ? '' : 'es'}`;
  const lines = [`MICROBATCH (${done}, ${countOf(rows, 'row')}; ${plan.reason})`];
  for (const { window, error } of failed) lines.push(`  batch ${windowLabel(window)} failed: ${firstLine(error)}`);
  return lines.join('\n');
}

export const windowLabel = (w: BatchWindow) => `[${w.start.toISOString()}, ${w.end.toISOString()})`;

function firstLine(error: unknown): string {
  const inner = error instanceof PlanFailure ? error.error : error;
  return String((inner as Error)?.message ?? inner).split('\n')[0]!;
}

/** "MERGE (2 new rows, +1 net)": the new rows (or the rows the engine says changed) and the net change. */
function incrementalSummary(
  plan: MaterializationPlan,
  report: ExecutionReport,
  existing: ExistingRelation | undefined,
  rowsAfter: number | undefined,
  bytes: string,
): Pick<MaterializeOutcome, 'rowsAffected' | 'message'> {
  const net = rowsAfter !== undefined && existing?.rows !== undefined ? rowsAfter - existing.rows : undefined;
  const parts = [
    report.newRows !== undefined
      ? countOf(report.newRows, 'new row')
      : report.rowsAffected !== undefined
        ? `${countOf(report.rowsAffected, 'row')} affected`
        : '',
    net !== undefined ? `${net >= 0 ? '+' : ''}${net} net` : '',
    bytes,
  ].filter(Boolean);
  return { rowsAffected: report.newRows ?? report.rowsAffected ?? net, message: `${plan.verb} (${parts.join(', ')})` };
}

/**
 * Records a snapshot: the table and (when it exists) the columns of its query first, then one
 * unit that creates the table or applies the changes. --full-refresh never rebuilds a
 * snapshot (its history is not in the query), as in dbt.
 */
export async function takeSnapshot(
  adapter: Adapter,
  node: CompiledNode & { resolvedConfig: ResolvedSnapshotConfig },
  options: { dryRun: boolean },
): Promise<MaterializeOutcome> {
  const { planner, connection } = adapter;
  const job: JobInfo = { kind: 'snapshot', name: node.name };
  const sql: CompiledSql = { text: node.compiledCode, lines: node.compiledLines };
  const snapshot: PlannedSnapshot = { ...planned(node), config: node.resolvedConfig, sql };
  const existing = await connection.describeRelation(snapshot, { columns: true, rows: !options.dryRun, grants: managesGrants(adapter, node.resolvedConfig) });
  // A later run compares the query's columns with the table's; the first one needs none of them.
  const select = alone(sql, node.originalFilePath);
  const sourceColumns = existing ? await runOrFail({ statements: [select], verb: 'SELECT' }, () => connection.queryColumns(select, job)) : undefined;
  const plan = planner.snapshot(snapshot, existing, sourceColumns);
  const ran = await dryRunOrExecute(connection, plan, job, options.dryRun);
  if ('estimate' in ran) return ran.estimate;
  const { report, bytes } = ran;
  const outcome = { statements: plan.statements, executedSql: sql, plan };
  const after = (await connection.describeRelation(snapshot, { rows: true }))?.rows;
  if (!existing) {
    const rows = report.newRows ?? after;
    const counted = rows !== undefined ? countOf(rows, 'row') : 'done';
    return { ...outcome, rowsAffected: rows, message: `${plan.verb} (${[counted, bytes].filter(Boolean).join(', ')})` };
  }
  return { ...outcome, ...incrementalSummary(plan, report, existing, after, bytes) };
}

/** Loads a seed: the planner's plans (several jobs for a large seed on BigQuery), in order. */
export async function loadSeed(adapter: Adapter, node: CompiledNode & { resolvedConfig: ResolvedSeedConfig }): Promise<MaterializeOutcome> {
  const { planner, connection } = adapter;
  const seed: PlannedSeed = { ...planned(node), csvPath: node.absolutePath, config: node.resolvedConfig };
  const existing = await connection.describeRelation(seed, { grants: managesGrants(adapter, node.resolvedConfig) });
  const plans = planner.seed(seed, existing, node.rawCode);
  const statements: Statement[] = [];
  let rows = 0;
  for (const plan of plans) {
    const report = await runOrFail(plan, () => connection.execute(plan, { kind: 'seed', name: node.name }));
    statements.push(...plan.statements);
    rows += report.newRows ?? plan.rows ?? report.rowsAffected ?? 0;
  }
  return { statements, rowsAffected: rows, message: `INSERT ${rows}` };
}

/** A plain table of a query, replacing what exists under its name (store_failures tables). */
export async function buildTable(
  adapter: Adapter,
  relation: { relationName: string; schema: string; identifier: string },
  query: { uniqueId: string; name: string; file: string; sql: CompiledSql },
): Promise<MaterializeOutcome> {
  const existing = await adapter.connection.describeRelation(relation, {});
  const plan = adapter.planner.table({ ...relation, ...query, config: plainTableConfig(), engineOptions: undefined, description: '', columns: {} }, existing);
  await runOrFail(plan, () => adapter.connection.execute(plan, { kind: 'test', name: query.name }));
  return { statements: plan.statements, message: plan.verb, plan };
}

/** Whether the plan needs the relation's current grants: the engine has grants and the config lists some. */
const managesGrants = (adapter: Adapter, config: CommonConfig) => adapter.capabilities.grants && Object.keys(config.grants).length > 0;

/** What every planned model, seed and snapshot carries from its compiled node. */
function planned(node: CompiledNode) {
  return {
    relationName: node.relationName!,
    schema: node.schema,
    identifier: node.identifier,
    uniqueId: node.uniqueId,
    name: node.name,
    file: node.originalFilePath,
    engineOptions: node.engineOptions,
    description: node.description,
    columns: node.columns,
    hooks: node.hooks,
  };
}

/** After planning: --dry-run's estimate, or the plan executed with what it processed. */
async function dryRunOrExecute(
  connection: Adapter['connection'],
  plan: MaterializationPlan,
  job: JobInfo,
  dryRun: boolean,
): Promise<{ estimate: MaterializeOutcome } | { report: ExecutionReport; bytes: string }> {
  if (dryRun) {
    const estimate = await runOrFail(plan, () => connection.dryRun(plan, job));
    return {
      estimate: {
        statements: [],
        message: `${plan.verb}: would process ${formatBytes(estimate.bytesProcessed)}`,
        bytesProcessed: estimate.bytesProcessed,
        plan,
      },
    };
  }
  const report = await runOrFail(plan, () => connection.execute(plan, job));
  return { report, bytes: report.bytesProcessed ? `${formatBytes(report.bytesProcessed)} processed` : '' };
}

async function runOrFail<T>(plan: MaterializationPlan, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new PlanFailure(plan, error);
  }
}
