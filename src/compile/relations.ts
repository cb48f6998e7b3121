import { TsdbtError } from '../errors/tsdbt-error.js';
import { codeFrame } from '../errors/code-frame.js';
import { didYouMean } from '../errors/suggest.js';
import type { SourceTable } from '../project/types.js';
import type { Dialect } from './dialect.js';
import { PLACEHOLDER, type RenderState, refPlaceholder, sourcePlaceholder } from './template-environment.js';
import type { CompiledNode } from './types.js';
import { type CompiledSql, embeddable, inFile, joinWithLines, type RenderedText, sliceWithLines } from './line-map.js';

const CTE_PREFIX = '__tsdbt__cte__';

/** Placeholder kinds: `ref` (key = model name), `src` (key = source.table), `this`. */
export type PlaceholderOverride = (kind: 'ref' | 'src' | 'this', key: string) => string | undefined;

/** Turns recorded refs/sources into graph edges, and placeholders into relations. */
export interface RelationResolver {
  /** Graph parents of a render, or errors naming the unknown ones. */
  parentsOf(
    state: RenderState,
    owner: { kind: string; name: string; file: string; source: string; nodeId?: string },
  ): { parents: string[]; errors: TsdbtError[] };
  /** Placeholders → relations; ephemeral parents inlined as CTEs (unless overridden), lines mapped. */
  finalize(rendered: RenderedText, self?: CompiledNode, override?: PlaceholderOverride): CompiledSql;
  /**
   * `ref('x')` / `source('a', 'b')` written in YAML → its unique id, its relation SQL, and the
   * placeholder that finalize() turns into that relation (kept to re-resolve it for --defer).
   */
  relationOfExpression(expression: string): { id: string; relation: string; placeholder: string } | { error: string; hint: string };
  modelsByName: ReadonlyMap<string, CompiledNode>;
  sourcesByKey: ReadonlyMap<string, SourceTable>;
}

export function createRelationResolver(
  nodes: Iterable<CompiledNode>,
  sources: Iterable<SourceTable>,
  dialect: Dialect,
  lakeRoot: string | undefined,
  /** Models tsdbt does not build (Python files), by name → file, for the message of a ref to one. */
  unbuiltModels: ReadonlyMap<string, string> = new Map(),
): RelationResolver {
  const modelsByName = new Map<string, CompiledNode>();
  for (const node of nodes) modelsByName.set(node.name, node);
  const sourcesByKey = new Map<string, SourceTable>();
  for (const source of sources) sourcesByKey.set(`${source.sourceName}.${source.name}`, source);

  const relationOf = (node: CompiledNode): string => node.relationName ?? `(\n${node.compiledCode.trim()}\n) as ${CTE_PREFIX}${node.name}`;

  return {
    modelsByName,
    sourcesByKey,

    parentsOf(state, owner) {
      const parents = new Set<string>();
      const errors: TsdbtError[] = [];
      const fail = (what: string, location: RenderState['refs'][number]['location'], hint: string) =>
        errors.push(
          new TsdbtError(`${owner.kind} "${owner.name}" references unknown ${what}`, {
            code: what.startsWith('ref') ? 'E_UNKNOWN_REF' : 'E_UNKNOWN_SOURCE',
            kind: 'project',
            nodeId: owner.nodeId,
            location: { file: owner.file, line: location?.line, column: location?.column },
            frame: location ? codeFrame(owner.source, location.line, location.column) : undefined,
            hint,
          }),
        );
      for (const ref of state.refs) {
        const target = modelsByName.get(ref.name);
        if (target) parents.add(target.uniqueId);
        else {
          const unbuilt = unbuiltModels.get(ref.name);
          const hint = unbuilt
            ? `${unbuilt} is a Python model, which tsdbt does not build: rewrite it in SQL`
            : (didYouMean(ref.name, modelsByName.keys()) ?? `there is no model or seed named "${ref.name}"`);
          fail(`ref "${ref.name}"`, ref.location, hint);
        }
      }
      for (const ref of state.sources) {
        const key = `${ref.sourceName}.${ref.tableName}`;
        const target = sourcesByKey.get(key);
        if (target) parents.add(target.uniqueId);
        else
          fail(
            `source "${ref.sourceName}" "${ref.tableName}"`,
            ref.location,
            didYouMean(key, sourcesByKey.keys()) ?? `no source table ${key} is declared in a sources: block`,
          );
      }
      return { parents: [...parents], errors };
    },

    finalize(rendered, self, override) {
      const ephemeral: CompiledNode[] = [];
      const body = rendered.text.replace(PLACEHOLDER, (_m, kind: 'ref' | 'src' | 'this', key: string) => {
        const replaced = override?.(kind, key);
        if (replaced !== undefined) return replaced;
        if (kind === 'this') return self?.relationName ?? `${CTE_PREFIX}${self?.name ?? 'inline'}`;
        if (kind === 'src') return dialect.sourceRelation(sourcesByKey.get(key)!, lakeRoot);
        const parent = modelsByName.get(key)!;
        if (parent.materialized !== 'ephemeral') return parent.relationName!;
        if (!ephemeral.includes(parent)) ephemeral.push(parent);
        return `${CTE_PREFIX}${parent.name}`;
      });
      // Relations are one line each: replacing placeholders keeps every line where it was.
      if (ephemeral.length === 0) return { text: body, lines: rendered.origins };
      const first = rendered.origins[0] ?? 1;
      // An ephemeral parent's own SQL already carries its ephemeral parents as CTEs; its lines keep its file.
      const ctes = ephemeral.flatMap((parent, i) => {
        const inner = embeddable({ text: parent.compiledCode, lines: parent.compiledLines });
        return [
          { text: `${i > 0 ? ',\n' : ''}${CTE_PREFIX}${parent.name} as (\n`, lines: [first] },
          { text: inner.text, lines: inFile(inner.lines, parent.originalFilePath) },
          { text: '\n)', lines: [first] },
        ];
      });
      const leadingWith = /^(\s*(?:--[^\n]*\n\s*)*)with(\s+recursive)?\s/i.exec(body);
      if (leadingWith) {
        const cut = leadingWith[0].length;
        return joinWithLines([
          { text: body.slice(0, cut), lines: rendered.origins },
          ...ctes,
          { text: ',\n', lines: [first] },
          sliceWithLines({ text: body, lines: rendered.origins }, cut),
        ]);
      }
      return joinWithLines([{ text: 'with ', lines: [first] }, ...ctes, { text: '\n', lines: [first] }, { text: body, lines: rendered.origins }]);
    },

    relationOfExpression(expression) {
      const ref = /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(expression);
      if (ref) {
        const node = modelsByName.get(ref[1]!);
        return node
          ? { id: node.uniqueId, relation: relationOf(node), placeholder: refPlaceholder(node.name) }
          : { error: `unknown ref('${ref[1]}')`, hint: didYouMean(ref[1]!, modelsByName.keys()) ?? 'name a model or seed of the project' };
      }
      const src = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(expression);
      if (src) {
        const key = `${src[1]}.${src[2]}`;
        const source = sourcesByKey.get(key);
        return source
          ? { id: source.uniqueId, relation: dialect.sourceRelation(source, lakeRoot), placeholder: sourcePlaceholder(source.sourceName, source.name) }
          : { error: `unknown source('${src[1]}', '${src[2]}')`, hint: didYouMean(key, sourcesByKey.keys()) ?? 'declare it in a sources: block' };
      }
      return { error: `cannot read "${expression}"`, hint: "write ref('model') or source('source', 'table')" };
    },
  };
}
