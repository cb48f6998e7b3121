import { join } from 'node:path';
import { writeArtifactFile } from '../artifacts/write-file.js';
import { QueryError, type Adapter, type MaterializeResult } from '../adapters/adapter.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import { TsdbtError, formatLocation } from '../errors/tsdbt-error.js';
import { timingSince } from './timing.js';
import type { NodeResult } from './types.js';

export interface RunNodeOptions {
  adapter: Adapter;
  project: CompiledProject;
  fullRefresh: boolean;
  threadId: string;
  /** Validate and price instead of running (--dry-run). */
  dryRun?: boolean;
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
    compiledPath: node.resourceType === 'model' ? node.compiledPath : undefined,
  };
  let outcome: MaterializeResult;
  try {
    if (node.resourceType === 'seed' && options.dryRun) {
      return { ...base, status: 'success', message: 'not loaded (--dry-run)', ...timingSince(startedAt) };
    }
    const config = node.resolvedConfig;
    if (config.materialized === 'seed') {
      outcome = await adapter.loadSeed(
        {
          uniqueId: node.uniqueId,
          name: node.name,
          schema: node.schema,
          identifier: node.identifier,
          relationName: node.relationName!,
          csvPath: node.absolutePath,
          config,
          engineOptions: node.engineOptions,
        },
        { fullRefresh: options.fullRefresh },
      );
    } else {
      const model = {
        uniqueId: node.uniqueId,
        name: node.name,
        materialized: config.materialized,
        schema: node.schema,
        identifier: node.identifier,
        relationName: node.relationName!,
        config,
        engineOptions: node.engineOptions,
        compiledSql: node.compiledCode,
        renderIncremental: () => project.renderIncremental(node.uniqueId),
        description: node.description,
        columns: node.columns,
      };
      if (options.dryRun) {
        const estimate = await adapter.dryRun(model, { fullRefresh: options.fullRefresh });
        return {
          ...base,
          status: 'success',
          message: estimate.message,
          bytesProcessed: estimate.bytesProcessed,
          ...timingSince(startedAt),
          compiledCode: node.compiledCode,
        };
      }
      outcome = await adapter.materialize(model, { fullRefresh: options.fullRefresh });
      if (outcome.executedSql !== undefined && outcome.executedSql !== node.compiledCode) {
        // target/compiled holds exactly what ran: an incremental run runs a different SELECT.
        writeArtifactFile(join(project.projectDir, node.compiledPath), outcome.executedSql);
      }
    }
    writeArtifactFile(join(project.projectDir, project.targetPath, 'run', project.name, node.originalFilePath), `${outcome.statements.join(';\n\n')};\n`);
  } catch (error) {
    return { ...base, ...failure(node, error, project), ...timingSince(startedAt) };
  }
  return {
    ...base,
    status: 'success',
    message: outcome.message,
    rowsAffected: outcome.rowsAffected,
    ...timingSince(startedAt),
    compiledCode: node.compiledCode,
  };
}

function failure(node: CompiledNode, error: unknown, project: CompiledProject): Pick<NodeResult, 'status' | 'message' | 'errorLocation' | 'hint'> {
  if (error instanceof QueryError) {
    const compiledLine = error.sqlLine;
    const source = compiledLine === undefined ? undefined : locateInTemplates(node, compiledLine, project);
    const compiled = `compiled ${node.compiledPath}${compiledLine !== undefined ? `:${compiledLine}` : ''}`;
    const where = source
      ? `${source.file}:${source.line}${source.file !== node.originalFilePath ? ` (inlined into ${node.name})` : ''}, ${compiled}`
      : `${node.originalFilePath}, ${compiled}`;
    return {
      status: 'error',
      message: error.cancelled ? 'cancelled (interrupted)' : error.message,
      errorLocation: where,
      hint: error.cancelled ? undefined : 'fix the SQL and run again; the previous relation was left untouched',
    };
  }
  if (error instanceof TsdbtError) {
    return { status: 'error', message: error.message, errorLocation: formatLocation(error.location) || node.originalFilePath, hint: error.hint };
  }
  const internal = error as Error;
  return {
    status: 'error',
    message: `internal error: ${internal.message}`,
    errorLocation: node.originalFilePath,
    hint: 'this is a tsdbt bug: rerun with --debug and report the stack trace',
  };
}

/** The model's own template first, then the ephemeral models inlined into it as CTEs. */
function locateInTemplates(node: CompiledNode, compiledLine: number, project: CompiledProject): { file: string; line: number } | undefined {
  const text = node.compiledCode.split('\n')[compiledLine - 1];
  if (text === undefined) return undefined;
  const seen = new Set<string>();
  const candidates: CompiledNode[] = [node];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    const line = mapToTemplateLine(candidate.rawCode, text);
    if (line !== undefined) return { file: candidate.originalFilePath, line };
    for (const parentId of candidate.dependsOn.nodes) {
      const parent = project.nodes.get(parentId);
      if (parent?.materialized === 'ephemeral' && !seen.has(parentId)) {
        seen.add(parentId);
        candidates.push(parent);
      }
    }
  }
  return undefined;
}

/**
 * The compiled line's text usually appears verbatim in the template (refs aside), so the first
 * unique match gives the line in the model file; otherwise we only name the compiled line.
 */
export function mapToTemplateLine(rawCode: string, compiledText: string): number | undefined {
  const text = compiledText.trim();
  if (!text) return undefined;
  const lines = rawCode.split('\n').map((l) => l.trim());
  const exact = lines.flatMap((l, i) => (l === text ? [i + 1] : []));
  if (exact.length === 1) return exact[0];
  // Lines with a rendered ref differ; match on the part before the first template tag.
  const candidates = lines.flatMap((l, i) => {
    const head = l.split('{{')[0]!;
    return head.length >= 6 && text.startsWith(head) ? [i + 1] : [];
  });
  return candidates.length === 1 ? candidates[0] : undefined;
}
