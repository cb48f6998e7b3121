/**
 * What a query's names resolve to: the relations in scope (models, CTEs, subqueries), their
 * columns as far as they are known, and the upstream (node, column) pairs behind each of them.
 *
 * Names compare without case (as both engines compare column names and aliases). A relation's
 * columns may be unknown or partly known (a model not built yet, a YAML that lists a few): a name
 * it does not list still resolves to it when it is the only candidate, and a `*` over it stays a
 * gap.
 */
import { type AstBody, identifierName, kindOf } from './sql-ast.js';

/** An upstream column at the model's boundary; `passthrough` while its value is only copied (renamed, cast). */
export interface Origin {
  node: string;
  column: string;
  passthrough: boolean;
}

/** A model, seed or source the statement reads, as the caller knows it. */
export interface NodeColumns {
  node: string;
  /** For messages: the relation as the SQL names it. */
  label: string;
  /** Its columns in order, when known; names it does not list still resolve to it. */
  columns?: readonly string[];
  /** Whether `columns` is the whole list (else a `*` over it may give more: a YAML lists a few). */
  complete?: boolean;
}

export interface OutputColumn {
  kind: 'column';
  /** Undefined for an expression without an alias (the engine names it; see `expression`). */
  name: string | undefined;
  origins: Origin[];
  /** Why (part of) this column could not be traced. */
  problems: string[];
  /** The select item, for naming an unaliased expression. */
  expression?: unknown;
}

/**
 * Columns a `*` stands for that could not be listed: names not listed elsewhere resolve through
 * them. A soft gap follows columns a `*` did list from a list that may be partial: it may stand
 * for no column at all.
 */
export interface StarGap {
  kind: 'gap';
  over: Relation[];
  except: ReadonlySet<string>;
  reason: string;
  soft: boolean;
}

export type OutputItem = OutputColumn | StarGap;

export interface Relation {
  label: string;
  items: OutputItem[];
  fallback?: Fallback;
  /** A node whose listed columns may not be all of them. */
  partial?: boolean;
}

/** How a name that a relation does not list resolves. */
export type Fallback = { kind: 'node'; node: string } | { kind: 'generated'; origins: Origin[] } | { kind: 'unknown'; problem: string };

export interface Resolved {
  origins: Origin[];
  problems: string[];
}

/**
 * A lookup in one relation: `listed` when the relation names the column, `open` when its columns
 * are not all known (so it may have it), `unlisted` when a complete list does not name it (only
 * trusted when nothing else can have it: a catalog may be older than the SQL).
 */
export type Lookup = (Resolved & { strength: 'listed' | 'open' | 'unlisted' }) | undefined;

export interface CteEntry {
  name: string;
  body: unknown;
  columns: string[];
  recursive: boolean;
  /** The scope it is defined in (its WITH's). */
  scope: Scope;
  relation?: Relation;
  /** While evaluating: the anchor branch of a recursive CTE, else undefined (a cycle). */
  evaluating?: { provisional?: Relation };
}

export interface Scope {
  parent?: Scope;
  ctes: Map<string, CteEntry>;
  relations: Array<{ alias: string; relation: Relation }>;
  /** Columns merged by JOIN … USING: unqualified, they are no longer ambiguous. */
  using: Map<string, Resolved>;
  /** Select-list aliases visible to later items, WHERE, GROUP BY, HAVING and QUALIFY. */
  aliases: Map<string, Resolved>;
  /** Named windows (WINDOW w AS (…)). */
  windows: Map<string, unknown>;
  /** Lambda parameters: names that are no columns. */
  shadow: ReadonlySet<string>;
}

export const lower = (name: string): string => name.toLowerCase();

export function newScope(parent: Scope | undefined, shadow: ReadonlySet<string> = parent?.shadow ?? new Set()): Scope {
  return { parent, ctes: new Map(), relations: [], using: new Map(), aliases: new Map(), windows: new Map(), shadow };
}

export function findCte(scope: Scope, name: string): CteEntry | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const cte = s.ctes.get(lower(name));
    if (cte) return cte;
  }
  return undefined;
}

export function nodeRelation(node: NodeColumns): Relation {
  return {
    label: node.label,
    items: (node.columns ?? []).map((column) => ({ kind: 'column', name: column, origins: [{ node: node.node, column, passthrough: true }], problems: [] })),
    fallback: { kind: 'node', node: node.node },
    partial: node.complete !== true,
  };
}

export function transformed(origins: readonly Origin[]): Origin[] {
  return origins.map((o) => (o.passthrough ? { ...o, passthrough: false } : o));
}

export function findWindow(scope: Scope, name: string): unknown {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const w = s.windows.get(lower(name));
    if (w) return w;
  }
  return undefined;
}

/** `schema.table.column` parses as a field of column `schema.table`: the column of relation `table`. */
export function dottedTablePath(dot: AstBody, scope: Scope): Resolved | undefined {
  const inner = kindOf(dot.this);
  if (inner?.kind !== 'column') return undefined;
  const qualifier = identifierName(inner.body.table);
  const tableName = identifierName(inner.body.name);
  const column = identifierName(dot.field);
  if (!qualifier || !tableName || !column) return undefined;
  if (findRelation(scope, qualifier)) return undefined;
  const relation = findRelation(scope, tableName);
  if (!relation) return undefined;
  return lookupIn(relation, column) ?? { origins: [], problems: [`${tableName} has no column ${column}`] };
}

export function findRelation(scope: Scope, alias: string): Relation | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const found = s.relations.find((r) => lower(r.alias) === lower(alias));
    if (found) return found.relation;
  }
  return undefined;
}

export function resolveColumn(scope: Scope, column: AstBody): Resolved {
  const name = identifierName(column.name);
  if (!name) return { origins: [], problems: [] };
  const table = identifierName(column.table);
  if (!table) {
    if (scope.shadow.has(lower(name))) return { origins: [], problems: [] };
    return resolveUnqualified(scope, name, true);
  }
  const relation = findRelation(scope, table);
  if (relation) return lookupIn(relation, name) ?? { origins: [], problems: [`${table} has no column ${name}`] };
  // `s.field` where s is a struct column, not a relation.
  const struct = resolveUnqualified(scope, table, true);
  if (struct.origins.length > 0) return { origins: transformed(struct.origins), problems: struct.problems };
  return { origins: [], problems: [`${table}.${name}: no relation ${table} in scope`] };
}

export function lookupIn(relation: Relation, name: string): Lookup {
  const key = lower(name);
  for (const item of relation.items) {
    if (item.kind === 'column' && item.name && lower(item.name) === key) return { origins: item.origins, problems: item.problems, strength: 'listed' };
  }
  const gapHits: NonNullable<Lookup>[] = [];
  for (const item of relation.items) {
    if (item.kind !== 'gap' || item.except.has(key)) continue;
    for (const over of item.over) {
      const hit = lookupIn(over, name);
      if (hit) gapHits.push(hit);
    }
  }
  const listed = gapHits.filter((h) => h.strength === 'listed');
  if (listed.length === 1) return listed[0];
  const open = gapHits.filter((h) => h.strength === 'open');
  if (open.length === 1 && listed.length === 0) return open[0];
  if (gapHits.length === 1) return gapHits[0];
  if (gapHits.length > 1) return { origins: [], problems: [`${name} could come from several relations under \`*\` of ${relation.label}`], strength: 'open' };
  const fallback = relation.fallback;
  if (!fallback) return undefined;
  if (fallback.kind === 'node') {
    return { origins: [{ node: fallback.node, column: name, passthrough: true }], problems: [], strength: relation.partial ? 'open' : 'unlisted' };
  }
  if (fallback.kind === 'generated') return { origins: fallback.origins, problems: [], strength: 'open' };
  return { origins: [], problems: [fallback.problem], strength: 'open' };
}

/** An unqualified name: USING columns, listed columns, select aliases, then a single open relation, then outer scopes. */
export function resolveUnqualified(scope: Scope, name: string, aliases: boolean): Resolved {
  const key = lower(name);
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const merged = s.using.get(key);
    if (merged) return merged;
    const hits = s.relations.map((r) => ({ r, hit: lookupIn(r.relation, name) })).filter((h) => h.hit !== undefined);
    const listed = hits.filter((h) => h.hit!.strength === 'listed');
    if (listed.length === 1) return listed[0]!.hit!;
    if (listed.length > 1)
      return { origins: [], problems: [`${name} is ambiguous: ${listed.map((h) => h.r.alias || h.r.relation.label).join(', ')} all have it`] };
    const alias = aliases ? s.aliases.get(key) : undefined;
    if (alias) return alias;
    for (const strength of ['open', 'unlisted']) {
      const candidates = hits.filter((h) => h.hit!.strength === strength);
      if (candidates.length === 1) return candidates[0]!.hit!;
      if (candidates.length > 1) {
        const labels = candidates.map((h) => h.r.alias || h.r.relation.label).join(', ');
        return { origins: [], problems: [`${name} could come from ${labels} (their columns are not all known)`] };
      }
    }
  }
  return { origins: [], problems: [`column ${name} not found in its FROM`] };
}

/** A name a `*` gap stands for, resolved through the relations it covers (undefined: none has it). */
export function resolveInGap(gap: StarGap, name: string): { origins: Origin[]; problems: string[] } | undefined {
  if (gap.except.has(lower(name))) return undefined;
  const hits = gap.over.map((relation) => lookupIn(relation, name)).filter((h) => h !== undefined);
  const listed = hits.filter((h) => h.strength === 'listed');
  if (listed.length === 1) return listed[0];
  const open = hits.filter((h) => h.strength === 'open');
  if (open.length === 1 && listed.length === 0) return open[0];
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) return { origins: [], problems: [`${name} could come from ${gap.over.map((r) => r.label).join(' or ')}`] };
  return undefined;
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
