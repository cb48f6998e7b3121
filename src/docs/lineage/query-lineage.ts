/**
 * Column lineage of one SELECT statement, read from its AST: for every output column the upstream
 * (node, column) pairs it is computed from, through CTEs, subqueries, joins, stars and set
 * operations, and the upstream columns the statement filters, joins or groups on. A `*` over
 * columns that are not known stays a gap (see scope.ts): the caller fills a gap at the model's
 * output from the model's own known columns.
 */
import { asArray, type AstBody, children, field, identifierList, identifierName, kindOf, tablePath } from './sql-ast.js';
import {
  type CteEntry,
  dottedTablePath,
  findCte,
  findWindow,
  lower,
  type NodeColumns,
  newScope,
  nodeRelation,
  type Origin,
  type OutputColumn,
  type OutputItem,
  type Relation,
  type Resolved,
  resolveColumn,
  resolveUnqualified,
  type Scope,
  type StarGap,
  transformed,
  unique,
} from './scope.js';

export interface LineageEnvironment {
  /** The node a table name of the SQL reads (a path: catalog, schema, table), if any. */
  resolveTable(path: readonly string[]): NodeColumns | undefined;
  /** The ephemeral model a `__tsdbt__cte__<name>` CTE inlines, if any: traced as that node. */
  resolveInlinedModel(cteName: string): NodeColumns | undefined;
}

export interface QueryLineage {
  items: OutputItem[];
  /** Upstream columns used in WHERE, JOIN ON/USING, GROUP BY, HAVING, QUALIFY, PARTITION BY, DISTINCT ON, EXCEPT/INTERSECT. */
  keys: Origin[];
  /** What the statement does that lineage does not follow (beyond single columns). */
  problems: string[];
}

interface Context {
  env: LineageEnvironment;
  keys: Origin[];
  problems: string[];
}

export const INLINED_CTE_PREFIX = '__tsdbt__cte__';

const QUERY_KINDS = new Set(['select', 'union', 'intersect', 'except', 'subquery', 'values', 'paren']);
const CAST_KINDS = new Set(['cast', 'try_cast', 'safe_cast']);
const AGGREGATES = new Set(
  (
    'sum count avg min max var_samp var_pop variance stddev stddev_samp stddev_pop aggregate_function approx_distinct ' +
    'approx_count_distinct array_agg string_agg group_concat listagg list median mode quantile quantile_cont quantile_disc ' +
    'percentile_cont percentile_disc any_value arbitrary first last arg_max arg_min max_by min_by count_if countif bool_and ' +
    'bool_or logical_and logical_or bit_and bit_or bit_xor corr covar_pop covar_samp approx_quantile approx_percentile ' +
    'array_concat_agg histogram product entropy kurtosis skewness fsum favg sumkahan geometric_mean regr_slope ' +
    'regr_intercept regr_r2 regr_count regr_avgx regr_avgy regr_sxx regr_syy regr_sxy'
  ).split(' '),
);
/** Table functions that read files or other databases: an upstream outside the project's nodes. */
const READER_FUNCTION = /^(read_|.*_scan$)/i;

/** Lineage of one parsed statement (a query expression of the AST). */
export function queryLineage(statement: unknown, env: LineageEnvironment): QueryLineage {
  const ctx: Context = { env, keys: [], problems: [] };
  const items = evalQuery(statement, newScope(undefined), ctx);
  return { items, keys: ctx.keys, problems: unique(ctx.problems) };
}

// ---------------------------------------------------------------------------------------------
// Queries

function evalQuery(node: unknown, scope: Scope, ctx: Context): OutputItem[] {
  const k = kindOf(node);
  if (!k) {
    ctx.problems.push('a query the lineage does not recognise');
    return [];
  }
  const { kind, body } = k;
  switch (kind) {
    case 'select':
      return evalSelect(body, withCtes(body, scope), ctx);
    case 'union':
    case 'intersect':
    case 'except':
      return evalSetOperation(kind, body, withCtes(body, scope), ctx);
    case 'subquery':
    case 'paren':
      return applyColumnAliases(evalQuery(body.this, withCtes(body, scope), ctx), identifierList(body.column_aliases), ctx);
    case 'values':
      return evalValues(body, scope, ctx);
    default:
      ctx.problems.push(`${kind.toUpperCase()} statement: not a query`);
      return [];
  }
}

function withCtes(body: AstBody, scope: Scope): Scope {
  const withClause = field(body, 'with');
  if (!withClause) return scope;
  const inner = newScope(scope);
  const recursive = withClause.recursive === true;
  for (const cte of asArray(withClause.ctes)) {
    if (cte === null || typeof cte !== 'object') continue;
    const c = cte as AstBody;
    const name = identifierName(c.alias);
    if (!name) continue;
    inner.ctes.set(lower(name), { name, body: c.this, columns: identifierList(c.columns), recursive, scope: inner });
  }
  return inner;
}

function cteRelation(cte: CteEntry, ctx: Context): Relation {
  if (cte.relation) return cte.relation;
  if (cte.evaluating) {
    if (cte.evaluating.provisional) return cte.evaluating.provisional;
    ctx.problems.push(`CTE ${cte.name} refers to itself`);
    return { label: cte.name, items: [], fallback: { kind: 'unknown', problem: `CTE ${cte.name} refers to itself` } };
  }
  cte.evaluating = {};
  const k = kindOf(cte.body);
  if (cte.recursive && k?.kind === 'union') {
    // The anchor branch gives the columns the recursive branch reads.
    const anchor = evalQuery(k.body.left, cte.scope, { ...ctx, keys: [], problems: [] });
    cte.evaluating.provisional = { label: cte.name, items: applyColumnAliases(anchor, cte.columns, ctx) };
  }
  const items = applyColumnAliases(evalQuery(cte.body, cte.scope, ctx), cte.columns, ctx);
  cte.relation = { label: cte.name, items };
  cte.evaluating = undefined;
  return cte.relation;
}

function applyColumnAliases(items: OutputItem[], names: readonly string[], ctx: Context): OutputItem[] {
  if (names.length === 0) return items;
  if (items.some((i) => i.kind === 'gap' && !i.soft)) {
    ctx.problems.push(`column names (${names.join(', ')}) given to a query whose columns are not all known`);
    return items;
  }
  let next = 0;
  return items.map((item) => (item.kind === 'column' && next < names.length ? { ...item, name: names[next++] } : item));
}

function evalValues(body: AstBody, scope: Scope, ctx: Context): OutputItem[] {
  const columns: OutputColumn[] = [];
  for (const row of asArray(body.expressions)) {
    const values = asArray((row as AstBody | null)?.expressions ?? row);
    values.forEach((value, i) => {
      const r = collectRefs(value, scope, ctx);
      columns[i] ??= { kind: 'column', name: `col${i}`, origins: [], problems: [] };
      const column = columns[i];
      column.origins.push(...transformed(r.origins));
      column.problems.push(...r.problems);
    });
  }
  return columns;
}

function evalSetOperation(kind: 'union' | 'intersect' | 'except', body: AstBody, scope: Scope, ctx: Context): OutputItem[] {
  const left = evalQuery(body.left, scope, ctx);
  const right = evalQuery(body.right, scope, ctx);
  if (kind !== 'union') {
    // The right branch only removes or keeps rows of the left one.
    for (const item of right) if (item.kind === 'column') ctx.keys.push(...item.origins);
    return left;
  }
  if (body.by_name === true) return unionByName(left, right);
  // Columns pair by position: listed columns first; soft gaps (maybe no column) can only trail.
  const l = withoutTrailingSoftGaps(left);
  const r = withoutTrailingSoftGaps(right);
  if ([...l.items, ...r.items].some((i) => i.kind === 'gap')) {
    ctx.problems.push('UNION of a branch with a `*` over unknown columns: its columns cannot be aligned');
    return left.map((item) =>
      item.kind === 'column' ? { ...item, problems: [...item.problems, 'UNION branches not aligned (a `*` over unknown columns)'] } : item,
    );
  }
  const tails = [...l.gaps, ...r.gaps];
  if (l.items.length !== r.items.length && tails.length === 0) ctx.problems.push(`UNION branches with ${l.items.length} and ${r.items.length} columns`);
  // Past the shorter branch, a branch's soft gap stands for the other's extra columns.
  const merged: OutputItem[] = [];
  for (let i = 0; i < Math.max(l.items.length, r.items.length); i++) {
    const [a, b] = [l.items[i], r.items[i]];
    if (a?.kind === 'column' && b?.kind === 'column') merged.push({ ...a, origins: [...a.origins, ...b.origins], problems: [...a.problems, ...b.problems] });
    else if (a ?? b) merged.push((a ?? b)!);
  }
  if (tails.length > 0) merged.push({ kind: 'gap', over: tails.flatMap((g) => g.over), except: new Set(), reason: tails[0]!.reason, soft: true });
  return merged;
}

function withoutTrailingSoftGaps(items: readonly OutputItem[]): { items: OutputItem[]; gaps: StarGap[] } {
  let end = items.length;
  while (end > 0 && items[end - 1]!.kind === 'gap' && (items[end - 1] as StarGap).soft) end--;
  return { items: items.slice(0, end), gaps: items.slice(end) as StarGap[] };
}

function unionByName(left: OutputItem[], right: OutputItem[]): OutputItem[] {
  const out: OutputItem[] = left.map((item) => (item.kind === 'column' ? { ...item, origins: [...item.origins], problems: [...item.problems] } : item));
  const byName = new Map<string, OutputColumn>();
  for (const item of out) if (item.kind === 'column' && item.name) byName.set(lower(item.name), item);
  for (const item of right) {
    const same = item.kind === 'column' && item.name ? byName.get(lower(item.name)) : undefined;
    if (same && item.kind === 'column') {
      same.origins.push(...item.origins);
      same.problems.push(...item.problems);
    } else out.push(item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// SELECT

function evalSelect(body: AstBody, outer: Scope, ctx: Context): OutputItem[] {
  const scope = newScope(outer);
  const from = field(body, 'from');
  for (const item of asArray(from?.expressions)) addFromItem(scope, item, ctx);
  for (const join of asArray(body.joins)) addJoin(scope, join as AstBody, ctx);
  for (const window of asArray(body.windows)) {
    const name = identifierName((window as AstBody | null)?.name);
    if (name) scope.windows.set(lower(name), (window as AstBody).spec);
  }
  for (const window of scope.windows.values()) addKeys(asArray((window as AstBody | null)?.partition_by), scope, ctx);

  const items: OutputItem[] = [];
  const perExpression: Array<{ expression: unknown; columns: OutputColumn[] }> = [];
  for (const expression of asArray(body.expressions)) {
    const produced = selectItem(expression, scope, ctx);
    items.push(...produced);
    const columns = produced.filter((p): p is OutputColumn => p.kind === 'column');
    perExpression.push({ expression, columns });
    for (const column of columns) if (column.name) scope.aliases.set(lower(column.name), { origins: column.origins, problems: column.problems });
  }

  const where = field(body, 'where_clause');
  if (where) addKeys([where.this ?? where], scope, ctx);
  const groupBy = field(body, 'group_by');
  if (groupBy) {
    if (groupBy.all === true) {
      for (const { expression, columns } of perExpression) {
        if (!containsAggregate(expression)) for (const c of columns) ctx.keys.push(...c.origins);
      }
    }
    for (const expression of asArray(groupBy.expressions)) {
      const position = ordinal(expression);
      if (position !== undefined) {
        const item = items[position - 1];
        if (item?.kind === 'column') ctx.keys.push(...item.origins);
      } else addKeys([expression], scope, ctx);
    }
  }
  const having = field(body, 'having');
  if (having) addKeys([having.this ?? having], scope, ctx);
  const qualify = field(body, 'qualify');
  if (qualify) addKeys([qualify.this ?? qualify], scope, ctx);
  const distinctOn = asArray(field(body, 'distinct_on')?.expressions ?? body.distinct_on);
  if (distinctOn.length > 0) addKeys(distinctOn, scope, ctx);
  return items;
}

/** A GROUP BY position (`group by 1`), if the expression is one. */
function ordinal(expression: unknown): number | undefined {
  const k = kindOf(expression);
  if (k?.kind !== 'literal' || k.body.literal_type !== 'number') return undefined;
  const n = Number(k.body.value);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function addKeys(expressions: readonly unknown[], scope: Scope, ctx: Context): void {
  for (const expression of expressions) {
    const r = collectRefs(expression, scope, ctx);
    ctx.keys.push(...r.origins);
    for (const problem of r.problems) ctx.problems.push(`filter/join/group key: ${problem}`);
  }
}

function addFromItem(scope: Scope, item: unknown, ctx: Context): void {
  const k = kindOf(item);
  if (!k) return;
  let { kind, body } = k;
  let alias: string | undefined;
  let columnAliases: string[] = [];
  if (kind === 'alias') {
    alias = identifierName(body.alias);
    columnAliases = identifierList(body.column_aliases);
    const inner = kindOf(body.this);
    if (!inner) return;
    ({ kind, body } = inner);
  }
  alias ??= identifierName(body.alias);
  if (columnAliases.length === 0) columnAliases = identifierList(body.column_aliases);

  switch (kind) {
    case 'table': {
      const path = tablePath(body);
      const name = path[path.length - 1] ?? '';
      const relation = tableRelation(path, scope, ctx);
      const items = applyColumnAliases(relation.items, columnAliases, ctx);
      scope.relations.push({ alias: alias ?? name, relation: items === relation.items ? relation : { ...relation, items } });
      return;
    }
    case 'subquery':
    case 'paren': {
      const items = applyColumnAliases(evalQuery(body.this, withCtes(body, scope), ctx), columnAliases, ctx);
      scope.relations.push({ alias: alias ?? '', relation: { label: alias ?? 'a subquery', items } });
      return;
    }
    case 'values': {
      const items = applyColumnAliases(evalValues(body, scope, ctx), columnAliases, ctx);
      scope.relations.push({ alias: alias ?? 'valueslist', relation: { label: alias ?? 'VALUES', items } });
      return;
    }
    case 'joined_table': {
      addFromItem(scope, body.left, ctx);
      for (const join of asArray(body.joins)) addJoin(scope, join as AstBody, ctx);
      return;
    }
    case 'unnest':
    case 'function': {
      const name = kind === 'unnest' ? 'unnest' : String(body.name ?? 'function');
      const argRefs = collectRefs(kind === 'unnest' ? [body.this, body.expressions] : body.args, scope, ctx);
      const origins = transformed(argRefs.origins);
      if (READER_FUNCTION.test(name)) {
        const problem = `reads ${name}(…), which is no model, seed or source of the project`;
        ctx.problems.push(problem);
        scope.relations.push({ alias: alias ?? name, relation: { label: `${name}(…)`, items: [], fallback: { kind: 'unknown', problem } } });
        return;
      }
      // A generator (unnest, range, generate_series…): its columns come from its arguments.
      const names = columnAliases.length > 0 ? columnAliases : kind === 'unnest' || lower(name) === 'unnest' ? [alias ?? 'unnest'] : [];
      const items: OutputItem[] = names.map((n) => ({ kind: 'column', name: n, origins, problems: argRefs.problems }));
      if (kind === 'unnest' && body.with_ordinality === true)
        items.push({ kind: 'column', name: identifierName(body.offset_alias) ?? 'offset', origins: [], problems: [] });
      scope.relations.push({ alias: alias ?? name, relation: { label: `${name}(…)`, items, fallback: { kind: 'generated', origins } } });
      return;
    }
    default: {
      const problem = `FROM ${kind.toUpperCase()} not followed`;
      ctx.problems.push(problem);
      scope.relations.push({ alias: alias ?? kind, relation: { label: kind.toUpperCase(), items: [], fallback: { kind: 'unknown', problem } } });
    }
  }
}

function tableRelation(path: readonly string[], scope: Scope, ctx: Context): Relation {
  const name = path[path.length - 1] ?? '';
  if (path.length === 1) {
    const cte = findCte(scope, name);
    if (cte) {
      if (lower(name).startsWith(INLINED_CTE_PREFIX)) {
        const model = ctx.env.resolveInlinedModel(name);
        if (model) return nodeRelation(model);
      }
      return cteRelation(cte, ctx);
    }
  }
  const node = ctx.env.resolveTable(path);
  if (node) return nodeRelation(node);
  const label = path.join('.');
  const problem = `reads ${label}, which is no model, seed or source of the project`;
  ctx.problems.push(problem);
  return { label, items: [], fallback: { kind: 'unknown', problem } };
}

function addJoin(scope: Scope, join: AstBody, ctx: Context): void {
  const before = scope.relations.length;
  addFromItem(scope, join.this, ctx);
  const on = join.on;
  if (on !== null && on !== undefined) addKeys([on], scope, ctx);
  const using = identifierList(join.using);
  if (using.length === 0) return;
  const left = newScope(scope.parent);
  left.relations = scope.relations.slice(0, before);
  left.using = scope.using;
  const right = newScope(scope.parent);
  right.relations = scope.relations.slice(before);
  for (const name of using) {
    const l = resolveUnqualified(left, name, false);
    const r = resolveUnqualified(right, name, false);
    ctx.keys.push(...l.origins, ...r.origins);
    for (const problem of [...l.problems, ...r.problems]) ctx.problems.push(`filter/join/group key: ${problem}`);
    const full = String(join.kind ?? '')
      .toLowerCase()
      .includes('full');
    scope.using.set(lower(name), full ? { origins: transformed([...l.origins, ...r.origins]), problems: [] } : l);
  }
}

// ---------------------------------------------------------------------------------------------
// Select items and stars

function selectItem(expression: unknown, scope: Scope, ctx: Context): OutputItem[] {
  const k = kindOf(expression);
  if (k?.kind === 'star') return expandStar(k.body, scope, ctx);
  let inner = expression;
  let alias: string | undefined;
  if (k?.kind === 'alias') {
    alias = identifierName(k.body.alias);
    inner = k.body.this;
  }
  const columnsCall = findColumnsCall(inner);
  if (columnsCall) return expandColumnsCall(inner, columnsCall, scope, ctx);
  const r = collectRefs(inner, scope, ctx);
  const origins = isPassthroughShape(inner, scope) ? r.origins : transformed(r.origins);
  return [{ kind: 'column', name: alias ?? implicitName(inner), origins, problems: r.problems, expression: inner }];
}

/** The name an engine gives an unaliased column or struct field; undefined for other expressions. */
function implicitName(expression: unknown): string | undefined {
  const k = kindOf(expression);
  if (k?.kind === 'column') return identifierName(k.body.name);
  if (k?.kind === 'dot') return identifierName(k.body.field);
  return undefined;
}

/** A column (`schema.table.column` too), possibly parenthesised or cast: its value is copied. */
function isPassthroughShape(expression: unknown, scope: Scope): boolean {
  const k = kindOf(expression);
  if (!k) return false;
  if (k.kind === 'column') return true;
  if (k.kind === 'dot') return dottedTablePath(k.body, scope) !== undefined;
  if (k.kind === 'paren' || CAST_KINDS.has(k.kind)) return isPassthroughShape(k.body.this, scope);
  return false;
}

/** The relations a star covers: `t.*` one, `*` all of the SELECT's (not the outer queries'). */
function starRelations(table: string | undefined, scope: Scope, ctx: Context): Array<{ alias: string; relation: Relation }> {
  if (!table) return scope.relations;
  const found = scope.relations.find((r) => lower(r.alias) === lower(table));
  if (!found) {
    ctx.problems.push(`${table}.* names no relation of its FROM`);
    return [];
  }
  return [found];
}

function expandStar(star: AstBody, scope: Scope, ctx: Context): OutputItem[] {
  const table = identifierName(star.table);
  const except = new Set(identifierList(star.except).map(lower));
  const replace = new Map<string, unknown>();
  for (const r of asArray(star.replace)) {
    const k = kindOf(r);
    const entry = k?.kind === 'alias' ? k.body : (r as AstBody | null);
    const name = identifierName(entry?.alias);
    if (name && entry) replace.set(lower(name), entry.this);
  }
  const rename = new Map<string, string>();
  for (const pair of asArray(star.rename)) {
    const [from, to] = asArray(pair).map(identifierName);
    if (from && to) rename.set(lower(from), to);
  }
  const out: OutputItem[] = [];
  const usingSeen = new Set<string>();
  for (const { relation } of starRelations(table, scope, ctx)) {
    if (relation.items.length === 0 && relation.fallback) {
      const why =
        relation.fallback.kind === 'unknown'
          ? relation.fallback.problem
          : `\`*\` over ${relation.label}, whose columns are unknown (no catalog or YAML columns)`;
      out.push({ kind: 'gap', over: [relation], except, reason: why, soft: false });
      continue;
    }
    for (const item of relation.items) {
      if (item.kind === 'gap') {
        out.push({ ...item, except: new Set([...item.except, ...except]) });
        continue;
      }
      const name = item.name;
      const key = name ? lower(name) : undefined;
      if (key && except.has(key)) continue;
      // `*` over a USING join lists a merged column once.
      if (!table && key && scope.using.has(key)) {
        if (usingSeen.has(key)) continue;
        usingSeen.add(key);
      }
      const replaced = key ? replace.get(key) : undefined;
      if (replaced !== undefined) {
        const r = collectRefs(replaced, scope, ctx);
        out.push({
          kind: 'column',
          name,
          origins: isPassthroughShape(replaced, scope) ? r.origins : transformed(r.origins),
          problems: r.problems,
          expression: replaced,
        });
        continue;
      }
      out.push({ ...item, name: (key && rename.get(key)) ?? name });
    }
    if (relation.partial && relation.items.length > 0) {
      out.push({ kind: 'gap', over: [relation], except, reason: `columns of ${relation.label} beyond those known`, soft: true });
    }
  }
  return out;
}

/** DuckDB's `columns('regex')` / `columns(*)` / `columns(['a', 'b'])` inside a select item. */
function findColumnsCall(expression: unknown): AstBody | undefined {
  const k = kindOf(expression);
  if (k) {
    if (k.kind === 'function' && lower(String(k.body.name ?? '')) === 'columns') return k.body;
    if (QUERY_KINDS.has(k.kind)) return undefined;
  }
  for (const child of children(k ? k.body : expression)) {
    const found = findColumnsCall(child);
    if (found) return found;
  }
  return undefined;
}

function expandColumnsCall(expression: unknown, call: AstBody, scope: Scope, ctx: Context): OutputItem[] {
  const arg = asArray(call.args)[0];
  const a = kindOf(arg);
  let pick: ((name: string) => boolean) | undefined;
  if (a?.kind === 'star') pick = () => true;
  else if (a?.kind === 'literal' && a.body.literal_type === 'string') {
    try {
      const pattern = new RegExp(String(a.body.value));
      pick = (name) => pattern.test(name);
    } catch {
      pick = undefined;
    }
  } else if (a?.kind === 'array_func') {
    const names = new Set(asArray(a.body.expressions).map((e) => lower(String(kindOf(e)?.body.value ?? ''))));
    pick = (name) => names.has(lower(name));
  }
  const star = expandStar({}, scope, ctx);
  if (!pick) {
    const reason = 'columns(…) with an argument other than *, a regular expression or a list of names';
    ctx.problems.push(reason);
    return [{ kind: 'gap', over: scope.relations.map((r) => r.relation), except: new Set(), reason, soft: false }];
  }
  const bare = kindOf(expression)?.kind === 'function';
  const rest = bare ? { origins: [], problems: [] } : collectRefs(expression, scope, ctx, call);
  const out: OutputItem[] = [];
  for (const item of star) {
    if (item.kind === 'gap') {
      out.push({ ...item, reason: `columns(…) over unknown columns: ${item.reason}` });
      continue;
    }
    if (!item.name || !pick(item.name)) continue;
    out.push(
      bare
        ? item
        : { kind: 'column', name: item.name, origins: [...transformed(item.origins), ...rest.origins], problems: [...item.problems, ...rest.problems] },
    );
  }
  return out;
}

function containsAggregate(expression: unknown): boolean {
  const k = kindOf(expression);
  if (k) {
    if (k.kind === 'window_function' || QUERY_KINDS.has(k.kind)) return false;
    if (AGGREGATES.has(k.kind)) return true;
    if (k.kind === 'function' && AGGREGATES.has(lower(String(k.body.name ?? '')))) return true;
  }
  return children(k ? k.body : expression).some(containsAggregate);
}

// ---------------------------------------------------------------------------------------------
// Expressions

/** Every upstream column an expression reads (subqueries included); `skip` is a node left out. */
function collectRefs(expression: unknown, scope: Scope, ctx: Context, skip?: AstBody): Resolved {
  const out: Resolved = { origins: [], problems: [] };
  const add = (r: Resolved) => {
    out.origins.push(...r.origins);
    out.problems.push(...r.problems);
  };
  const walk = (node: unknown, s: Scope): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, s);
      return;
    }
    const k = kindOf(node);
    if (!k) {
      for (const child of children(node)) walk(child, s);
      return;
    }
    const { kind, body } = k;
    if (body === skip) return;
    switch (kind) {
      case 'column':
        add(resolveColumn(s, body));
        return;
      case 'dot': {
        const path = dottedTablePath(body, s);
        if (path) add(path);
        else {
          const r = collectRefs(body.this, s, ctx);
          add({ origins: transformed(r.origins), problems: r.problems });
        }
        return;
      }
      case 'exists':
        // Its rows only filter: what it selects does not matter (its WHERE is recorded as keys).
        evalQuery(body.this, s, ctx);
        return;
      case 'select':
      case 'union':
      case 'intersect':
      case 'except':
      case 'subquery':
      case 'values': {
        for (const item of evalQuery(node, s, ctx)) {
          if (item.kind === 'column') add({ origins: transformed(item.origins), problems: item.problems });
          else add({ origins: [], problems: [item.reason] });
        }
        return;
      }
      case 'window_function': {
        walk(body.this, s);
        const over = field(body, 'over');
        if (over) {
          const named = identifierName(over.window_name);
          const spec = named ? (s.windows.get(lower(named)) ?? findWindow(s, named)) : undefined;
          for (const w of [over, spec as AstBody | undefined]) {
            if (!w) continue;
            const partition = asArray(w.partition_by);
            for (const p of partition) {
              const r = collectRefs(p, s, ctx);
              ctx.keys.push(...r.origins);
              add(r);
            }
            walk(w.order_by, s);
            walk(w.frame, s);
          }
        }
        return;
      }
      case 'comprehension': {
        // [this for expression in iterator if condition]: `expression` names the element.
        walk(body.iterator, s);
        const variable = kindOf(body.expression);
        const name = variable?.kind === 'column' ? identifierName(variable.body.name) : undefined;
        const inner: Scope = name ? { ...s, shadow: new Set([...s.shadow, lower(name)]) } : s;
        walk(body.this, inner);
        walk(body.condition, inner);
        return;
      }
      case 'lambda': {
        const params = new Set([...s.shadow, ...identifierList(body.parameters).map(lower)]);
        const inner: Scope = { ...s, shadow: params };
        walk(body.body ?? body.this, inner);
        return;
      }
      default:
        for (const child of children(body)) walk(child, s);
    }
  };
  walk(expression, scope);
  return out;
}
