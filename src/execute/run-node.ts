import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Adapter, type ExistingRelation, QueryError, type Statement } from '../adapters/adapter.js';
import { locateFailure } from '../adapters/statements.js';
import type { CompiledSql, SourceLine } from '../compile/line-map.js';
import type { ResolvedModelConfig, ResolvedSeedConfig, ResolvedSnapshotConfig } from '../compile/node-config.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import { codeFrame } from '../errors/code-frame.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { loadSeed, materializeModel, PlanFailure, takeSnapshot } from './materialize.js';
import type { BatchSelection, BatchWindow } from './batches.js';
import type { FileLedger } from './file-batches.js';
import { timingSince } from './timing.js';
import type { NodeResult } from './types.js';

export interface RunNodeOptions {
  adapter: Adapter;
  project: CompiledProject;
  fullRefresh: boolean;
  threadId: string;
  /** Validate and price instead of running (--dry-run). */
  dryRun?: boolean;
  /** Microbatch models: the window of batches (--event-time-start/-end, --restate) and the run's identity. */
  batches?: { selection: BatchSelection; threads: number; invocationId: string; ledger: FileLedger };
  /** What is under the model's relation, listed before the run (only for models whose build needs nothing more). */
  listed?: { existing: ExistingRelation | undefined };
}

/**
 * Builds one model or seed. Failures become an error result here (the node boundary):
 * a user's SQL error marks the node failed; it never escapes as an exception.
 */
export async function runNode(node: CompiledNode, options: RunNodeOptions): Promise<NodeResult> {
  const { adapter, project } = options;
  const startedAt = new Date();
  const base = {
    uniqueId: node.uniqueId,
    name: node.name,
    resourceType: node.resourceType,
    materialized: node.materialized,
    relationName: node.relationName,
    threadId: options.threadId,
    compiledPath: node.resourceType === 'seed' ? undefined : node.compiledPath,
  };
  const config = node.resolvedConfig;
  try {
    if (config.materialized === 'seed') {
      if (options.dryRun) return { ...base, status: 'success', message: 'not loaded (--dry-run)', ...timingSince(startedAt) };
      const outcome = await loadSeed(adapter, node as CompiledNode & { resolvedConfig: ResolvedSeedConfig });
      return {
        ...base,
        status: 'success',
        message: outcome.message,
        rowsAffected: outcome.rowsAffected,
        statements: outcome.statements.map((s) => s.sql),
        ...timingSince(startedAt),
      };
    }
    const outcome =
      config.materialized === 'snapshot'
        ? await takeSnapshot(adapter, node as CompiledNode & { resolvedConfig: ResolvedSnapshotConfig }, { dryRun: options.dryRun ?? false })
        : await materializeModel(adapter, node as CompiledNode & { resolvedConfig: ResolvedModelConfig }, {
            fullRefresh: options.fullRefresh,
            dryRun: options.dryRun ?? false,
            renderIncremental: () => project.renderIncremental(node.uniqueId),
            batches: options.batches ? { project, ...options.batches } : undefined,
            listed: options.listed,
          });
    const batches = outcome.batches;
    const pair = (w: BatchWindow): [string, string] => [w.start.toISOString(), w.end.toISOString()];
    const batchResults = batches ? { successful: batches.successful.map(pair), failed: batches.failed.map((f) => pair(f.window)) } : undefined;
    if (batches && batches.failed.length > 0) {
      // The first failed batch locates the error; the message lists every failed batch.
      const first = failure(node, batches.failed[0]!.error, project);
      return {
        ...base,
        ...first,
        // dbt's status when some batches were built and others failed.
        status: batches.successful.length > 0 ? 'partial success' : 'error',
        message: outcome.message,
        hint: 'the failed batches are missing in the state: fix the cause and run again (or tsdbt retry); built batches are kept',
        rowsAffected: outcome.rowsAffected,
        statements: outcome.statements.map((s) => s.sql),
        batchResults,
        detail: outcome.detail,
        warnings: outcome.warnings,
        ...timingSince(startedAt),
      };
    }
    return {
      ...base,
      status: 'success',
      message: outcome.message,
      rowsAffected: outcome.rowsAffected,
      bytesProcessed: outcome.bytesProcessed,
      // target/compiled holds exactly what ran: an incremental run runs a different SELECT.
      compiledCode: outcome.executedSql?.text ?? node.compiledCode,
      statements: options.dryRun ? undefined : outcome.statements.map((s) => s.sql),
      batchResults,
      detail: outcome.detail,
      warnings: outcome.warnings,
      slice: outcome.slice,
      ...timingSince(startedAt),
    };
  } catch (thrown) {
    return { ...base, ...failure(node, thrown, project), ...timingSince(startedAt) };
  }
}

type Failure = Pick<NodeResult, 'status' | 'message' | 'location' | 'compiledLocation' | 'frame' | 'inlinedFrom' | 'hint' | 'compiledCode'>;

function failure(node: CompiledNode, thrown: unknown, project: CompiledProject): Failure {
  const error = thrown instanceof PlanFailure ? thrown.error : thrown;
  if (error instanceof QueryError) {
    if (error.cancelled) return { status: 'error', message: 'cancelled (interrupted)', location: { file: node.originalFilePath } };
    const plan = thrown instanceof PlanFailure ? thrown.plan : undefined;
    const { compiledLine, origin } = plan ? locateFailure(plan, error) : {};
    const failedSql = plan?.statements[error.statement ?? -1]?.embeds?.sql;
    const hook = plan?.statements[error.statement ?? -1]?.hook;
    if (hook && failedSql) return hookFailure(node, project, hook, error, origin ?? originOfLine(failedSql.lines[0]), failedSql);
    const source = origin ? sourceOf(project, origin.file) : undefined;
    return {
      status: 'error',
      message: error.message,
      location: origin ? { file: origin.file, line: origin.line } : { file: node.originalFilePath },
      compiledLocation: { file: node.compiledPath, line: compiledLine },
      frame: origin && source !== undefined ? codeFrame(source, origin.line) : undefined,
      inlinedFrom: origin && origin.file !== node.originalFilePath ? origin.file : undefined,
      hint: 'fix the SQL and run again; the previous relation was left untouched',
      compiledCode: failedSql ? sqlOf(failedSql) : undefined,
    };
  }
  if (error instanceof TsdbtError) {
    return { status: 'error', message: error.message, location: error.location ?? { file: node.originalFilePath }, frame: error.frame, hint: error.hint };
  }
  const internal = error as Error;
  return {
    status: 'error',
    message: `internal error: ${internal.message}`,
    location: { file: node.originalFilePath },
    hint: 'this is a tsdbt bug: rerun with --debug and report the stack trace',
  };
}

/** A pre- or post-hook failed: the message names it, the location is where the hook is written. */
function hookFailure(
  node: CompiledNode,
  project: CompiledProject,
  hook: NonNullable<Statement['hook']>,
  error: QueryError,
  origin: SourceLine | undefined,
  sql: CompiledSql,
): Failure {
  let source = origin ? sourceOf(project, origin.file) : undefined;
  if (origin && source === undefined) {
    try {
      source = readFileSync(join(project.projectDir, origin.file), 'utf8');
    } catch {
      source = undefined;
    }
  }
  return {
    status: 'error',
    message: `${hook.label} failed: ${error.message}`,
    location: origin ? { file: origin.file, line: origin.line } : { file: node.originalFilePath },
    frame: origin && source !== undefined ? codeFrame(source, origin.line) : undefined,
    hint: hook.afterBuild
      ? `the ${node.resourceType} was built: only the hook failed; fix it and run again`
      : 'fix the hook and run again; the previous relation was left untouched',
    compiledCode: sqlOf(sql),
  };
}

const originOfLine = (line: CompiledSql['lines'][number] | undefined): SourceLine | undefined => (typeof line === 'object' ? line : undefined);

/** The template text of a project file, for a code frame (models, and ephemeral models inlined). */
function sourceOf(project: CompiledProject, file: string): string | undefined {
  for (const node of project.nodes.values()) if (node.originalFilePath === file) return node.rawCode;
  return undefined;
}

const sqlOf = (sql: CompiledSql) => sql.text;
