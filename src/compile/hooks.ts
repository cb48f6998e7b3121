import { type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import type { CompiledHook, HookConfig, NodeHooks } from './hook-config.js';
import { findJinja, jinjaError } from './jinja/detect.js';
import type { RenderedText, SourceLine } from './line-map.js';
import type { RelationResolver } from './relations.js';
import { isBlankSql, sqlBody } from './sql-text.js';
import { type CompiledTemplate, newRenderState, type TemplateEnvironment } from './template-environment.js';
import { templateError } from './template-errors.js';
import type { CompiledNode } from './types.js';

/** A node's hooks rendered with placeholders, to resolve once every relation is known (and again for --defer). */
export interface RenderedHooks {
  pre: RenderedHook[];
  post: RenderedHook[];
}

interface RenderedHook {
  hook: HookConfig;
  label: string;
  output: RenderedText;
}

/**
 * Renders a node's pre- and post-hooks as templates, with the models' helpers: `{{this}}` is the
 * node's relation, `ref` and `source` resolve (and make the node depend on what they name).
 * A hook that renders blank (an `{{#if}}` that is false on this target) is left out.
 */
export function renderHooks(
  environment: TemplateEnvironment,
  resolver: RelationResolver,
  node: CompiledNode,
): { rendered: RenderedHooks; parents: string[]; macros: string[]; errors: TsdbtError[] } {
  const { hooks } = node.resolvedConfig;
  const rendered: RenderedHooks = { pre: [], post: [] };
  const parents = new Set<string>();
  const macros = new Set<string>();
  const errors: TsdbtError[] = [];
  for (const when of ['pre', 'post'] as const) {
    for (const [index, hook] of hooks[when].entries()) {
      const label = `${when}-hook ${index + 1}`;
      const located = (error: TsdbtError) => relocated(error, hook.location, `${label} of ${node.resourceType} "${node.name}"`);
      const jinja = findJinja(hook.sql);
      if (jinja) {
        errors.push(located(jinjaError(hook.location.file, hook.sql, jinja, node.uniqueId)));
        continue;
      }
      const state = newRenderState(node.uniqueId, hook.location.file, hook.sql);
      let output: RenderedText;
      try {
        output = environment.render(compiled(environment, hook.sql), state);
      } catch (error) {
        errors.push(located(templateError(error, hook.location.file, hook.sql, node.uniqueId)));
        continue;
      }
      if (Object.keys(state.config).length > 0) {
        errors.push(
          new TsdbtError(`${label} of ${node.resourceType} "${node.name}" calls {{config}}`, {
            code: 'E_CONFIG',
            kind: 'project',
            nodeId: node.uniqueId,
            location: hook.location,
            hint: `set the config where the ${node.resourceType} is configured, not in a hook`,
          }),
        );
        continue;
      }
      const found = resolver.parentsOf(state, {
        kind: `${label} of ${node.resourceType}`,
        name: node.name,
        file: hook.location.file,
        source: hook.sql,
        nodeId: node.uniqueId,
      });
      errors.push(...found.errors.map((error) => relocated(error, hook.location)));
      for (const parent of found.parents) if (parent !== node.uniqueId) parents.add(parent);
      for (const macro of state.macros) macros.add(macro);
      if (!isBlankSql(output.text)) rendered[when].push({ hook, label, output });
    }
  }
  return { rendered, parents: [...parents], macros: [...macros], errors };
}

// A project.yml hook applies to every model of its folders: it is compiled once per environment.
const templates = new WeakMap<TemplateEnvironment, Map<string, CompiledTemplate>>();
function compiled(environment: TemplateEnvironment, source: string): CompiledTemplate {
  const cache = templates.get(environment) ?? new Map<string, CompiledTemplate>();
  templates.set(environment, cache);
  const template = cache.get(source) ?? environment.compile(source);
  cache.set(source, template);
  return template;
}

/** The hooks' SQL with every relation resolved; each line maps to the file and line the hook is written on. */
export function finalizeHooks(rendered: RenderedHooks, node: CompiledNode, resolver: RelationResolver): NodeHooks {
  const finalize = ({ hook, label, output }: RenderedHook): CompiledHook => {
    const sql = resolver.finalize(output, node);
    const first = hook.location.line ?? 1;
    const lines: SourceLine[] = sql.lines.map((line) => (typeof line === 'number' ? { file: hook.location.file, line: first + line - 1 } : line));
    // A trailing semicolon goes (plans join statements themselves); a last line that is a comment
    // ends with a newline, so that what follows the statement is not commented out.
    const body = sqlBody(sql.text.trim());
    const text = /--[^\n]*$/.test(body) ? `${body}\n` : body;
    return { label, sql: { text, lines: lines.slice(leadingBlankLines(sql.text)) }, transaction: hook.transaction, location: hook.location };
  };
  return { pre: rendered.pre.map(finalize), post: rendered.post.map(finalize) };
}

function leadingBlankLines(text: string): number {
  const leading = /^(\s*\n)*/.exec(text)![0];
  return leading.split('\n').length - 1;
}

/**
 * An error located in a hook's own text (line 1 = the hook's first line) → located in the file the
 * hook is written in, its message naming the hook.
 */
function relocated(error: TsdbtError, at: SourceLocation, what?: string): TsdbtError {
  const line = error.location?.line;
  const location: SourceLocation =
    line === undefined || at.line === undefined
      ? at
      : {
          file: at.file,
          line: at.line + line - 1,
          // On its first line, the hook's text starts at the hook's column.
          column: line > 1 ? error.location?.column : at.column === undefined ? undefined : at.column + (error.location?.column ?? 1) - 1,
        };
  return new TsdbtError(what ? `${what}: ${error.message}` : error.message, {
    code: error.code,
    kind: error.kind,
    nodeId: error.nodeId,
    location,
    hint: error.hint,
    cause: error,
  });
}
