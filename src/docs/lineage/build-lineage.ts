import { parse as parseCsv } from 'csv-parse/sync';
import type { Dialect } from '../../compile/dialect.js';
import type { CompiledNode, CompiledProject } from '../../compile/types.js';
import type { ColumnLineage, LineageDocument, LineageEdge, NodeLineage } from '../docs-data.js';
import { INLINED_CTE_PREFIX, queryLineage } from './query-lineage.js';
import { type NodeColumns, type Origin, type OutputColumn, type OutputItem, resolveInGap, unique } from './scope.js';
import { relationIndex, type RelationIndex } from './relation-index.js';
import { loadSqlParser, type SqlParser } from './sql-parser.js';

export interface BuildLineageOptions {
  /** Columns in order, per node id (model / seed / source), when known: from the warehouse catalog, or YAML declarations. May be empty. */
  knownColumns: ReadonlyMap<string, readonly string[]>;
  generatedAt: string;
  tsdbtVersion: string;
  /** The target's dialect: its `sqlParserDialect` is the SQL the parser reads (default: a generic SQL). */
  dialect?: Pick<Dialect, 'sqlParserDialect'>;
}

/**
 * target/lineage.json: for every model, where each output column comes from (the upstream model,
 * seed or source columns, through CTEs, joins, stars and unions), and the upstream columns it
 * filters, joins or groups on. Models go in DAG order, so that a `*` over an upstream model expands
 * to the columns its own lineage found. An ephemeral model is traced as a node of its own: its
 * children's edges point at it (as their `depends_on` does), and it points at its own upstream.
 */
export async function buildLineage(project: CompiledProject, options: BuildLineageOptions): Promise<LineageDocument> {
  const parser = await loadSqlParser();
  const dialect = options.dialect?.sqlParserDialect ?? 'generic';
  const relations = relationIndex(project);
  const builder = createBuilder(project, options, parser, dialect, relations);
  const nodes: Record<string, NodeLineage> = {};
  for (const id of project.order) {
    const node = project.nodes.get(id);
    if (node?.resourceType !== 'model') continue;
    nodes[id] = builder.model(node);
  }
  return { metadata: { generatedAt: options.generatedAt, tsdbtVersion: options.tsdbtVersion, parser: `${parser.name} (${dialect})` }, nodes };
}

function createBuilder(project: CompiledProject, options: BuildLineageOptions, parser: SqlParser, dialect: string, relations: RelationIndex) {
  const done = new Map<string, { lineage: NodeLineage; complete: boolean }>();
  const modelsByName = new Map<string, CompiledNode>();
  for (const node of project.nodes.values()) if (node.resourceType === 'model') modelsByName.set(node.name.toLowerCase(), node);
  const known = (id: string): readonly string[] | undefined => {
    const columns = options.knownColumns.get(id);
    return columns && columns.length > 0 ? columns : undefined;
  };

  /**
   * The columns a model, seed or source offers to the models reading it, and whether that is all
   * of them: a model's own lineage when its SQL listed every column, a seed's CSV header; known
   * columns and YAML declarations may list only some.
   */
  const columnsOf = (id: string): { columns?: readonly string[]; complete: boolean } => {
    const node = project.nodes.get(id);
    if (node?.resourceType === 'model') {
      const computed = done.get(id);
      if (computed?.complete) return { columns: Object.keys(computed.lineage.columns), complete: true };
      return { columns: known(id) ?? (computed ? Object.keys(computed.lineage.columns) : undefined) ?? declared(node.columns), complete: false };
    }
    if (node?.resourceType === 'seed') {
      const header = csvHeader(node);
      return header ? { columns: header, complete: true } : { columns: known(id) ?? declared(node.columns), complete: false };
    }
    // A snapshot's table: its query's columns and the meta columns, as the catalog or YAML lists them.
    if (node?.resourceType === 'snapshot') return { columns: known(id) ?? declared(node.columns), complete: false };
    const source = project.sources.get(id);
    if (!source) return { complete: false };
    const columns = known(id) ?? declared(source.columns);
    // The reader adds the file name column (DuckDB's filename =, BigQuery's _FILE_NAME).
    const fileColumn = source.external?.file_name_column;
    if (!fileColumn || !columns || columns.some((c) => c.toLowerCase() === fileColumn.toLowerCase())) return { columns, complete: false };
    return { columns: [...columns, fileColumn], complete: false };
  };

  /** How messages name a node: `source lake.events`, `seed regions`, `model daily`. */
  const labelOf = (id: string): string => {
    const source = project.sources.get(id);
    if (source) return `source ${source.sourceName}.${source.name}`;
    const node = project.nodes.get(id);
    return node ? `${node.resourceType} ${node.name}` : id;
  };
  const nodeColumns = (id: string): NodeColumns => ({ node: id, label: labelOf(id), ...columnsOf(id) });

  return {
    model(node: CompiledNode): NodeLineage {
      let result: { lineage: NodeLineage; complete: boolean };
      try {
        result = modelLineage(node);
      } catch (error) {
        // A bug of the lineage itself: the model is still listed, with why.
        result = unparsed(`lineage failed on this SQL (a tsdbt bug): ${(error as Error).message}`, known(node.uniqueId));
      }
      done.set(node.uniqueId, result);
      return result.lineage;
    },
  };

  function modelLineage(node: CompiledNode): { lineage: NodeLineage; complete: boolean } {
    const own = known(node.uniqueId);
    const sql = relations.markSources(node);
    const parsed = parser.parse(sql, dialect);
    if (!parsed.ok) {
      const at = parsed.line === undefined ? '' : ` at compiled line ${parsed.line}${whereWritten(node, parsed.line)}`;
      return unparsed(`the SQL parser stops${at}: ${parsed.error}`, own);
    }
    const statements = parsed.statements.filter((s) => s !== null && s !== undefined);
    if (statements.length !== 1) return unparsed(`${statements.length} statements: lineage reads one SELECT`, own);

    const env = {
      resolveTable: (path: readonly string[]) => {
        const id = relations.nodeOf(path);
        return id ? nodeColumns(id) : undefined;
      },
      resolveInlinedModel: (cteName: string) => {
        const parent = modelsByName.get(cteName.slice(INLINED_CTE_PREFIX.length).toLowerCase());
        return parent?.materialized === 'ephemeral' ? nodeColumns(parent.uniqueId) : undefined;
      },
    };
    const query = queryLineage(statements[0], env);
    const { columns, complete, problems } = outputColumns(query.items, own, (expression) => parser.expressionSql(expression, dialect));
    return { lineage: assemble(columns, query.keys, [...query.problems, ...problems]), complete };
  }
}

/** The model's output columns: `*` gaps filled from its own known columns, unaliased expressions named. */
function outputColumns(
  items: readonly OutputItem[],
  own: readonly string[] | undefined,
  expressionSql: (expression: unknown) => string | undefined,
): { columns: OutputColumn[]; complete: boolean; problems: string[] } {
  const named = items.filter((i): i is OutputColumn => i.kind === 'column');
  const gaps = items.filter((i) => i.kind === 'gap');
  const problems: string[] = [];
  if (gaps.length === 0) {
    // The SQL lists every column. Known columns (a catalog) name what it leaves unnamed, and spell
    // names as the engine does; a YAML may list fewer, or in another order, so only then.
    const sameCount = own !== undefined && own.length === named.length;
    const taken = new Set(named.map((c) => c.name?.toLowerCase()));
    const columns = named.map((c, i) => {
      const catalogName = sameCount ? own[i] : undefined;
      if (c.name) return catalogName && catalogName.toLowerCase() === c.name.toLowerCase() ? { ...c, name: catalogName } : c;
      if (catalogName && !taken.has(catalogName.toLowerCase())) return { ...c, name: catalogName };
      return { ...c, name: expressionSql(c.expression) ?? `column ${i + 1}` };
    });
    return { columns, complete: true, problems };
  }
  const listed = named.map((c, i) => (c.name ? c : { ...c, name: expressionSql(c.expression) ?? `column ${i + 1}` }));
  if (!own) {
    // Soft gaps may stand for no column: only a `*` over a relation with no known column is a gap.
    problems.push(...unique(gaps.filter((g) => !g.soft).map((g) => `${g.reason}: the model's columns are not all listed`)));
    return { columns: listed, complete: false, problems };
  }
  // A `*` the SQL cannot expand (fully): the model's own known columns say what it gave.
  const byName = new Map<string, OutputColumn>();
  for (const c of listed) if (!byName.has(c.name!.toLowerCase())) byName.set(c.name!.toLowerCase(), c);
  const columns: OutputColumn[] = own.map((name) => {
    const explicit = byName.get(name.toLowerCase());
    if (explicit) return { ...explicit, name };
    const hits = gaps.map((g) => resolveInGap(g, name)).filter((h) => h !== undefined);
    if (hits.length === 1) return { kind: 'column', name, origins: hits[0]!.origins, problems: hits[0]!.problems };
    const why = hits.length > 1 ? `${name} could come from several \`*\`` : unique(gaps.map((g) => g.reason)).join('; ');
    return { kind: 'column', name, origins: [], problems: [why] };
  });
  const ownNames = new Set(own.map((n) => n.toLowerCase()));
  columns.push(...listed.filter((c) => !ownNames.has(c.name!.toLowerCase())));
  return { columns, complete: false, problems };
}

function assemble(columns: readonly OutputColumn[], keys: readonly Origin[], problems: readonly string[]): NodeLineage {
  const out: Record<string, ColumnLineage> = {};
  const duplicates: string[] = [];
  let untraced = 0;
  for (const column of columns) {
    const name = column.name!;
    if (Object.hasOwn(out, name)) {
      duplicates.push(name);
      continue;
    }
    const lineage: ColumnLineage = { upstream: edges(column.origins) };
    const unresolved = unique(column.problems);
    if (unresolved.length > 0) {
      lineage.unresolved = unresolved.join('; ');
      untraced++;
    }
    out[name] = lineage;
  }
  const reasons = unique([...problems, ...duplicates.map((d) => `two output columns are named ${d}: the second is not listed`)]);
  const total = Object.keys(out).length;
  if (untraced > 0) {
    const first = Object.entries(out).find(([, c]) => c.unresolved)!;
    reasons.push(`${untraced} of ${total} columns not traced (${first[0]}: ${first[1].unresolved})`);
  }
  // None traced: every column unresolved, or no column could be listed at all.
  const none = total > 0 ? untraced === total : reasons.length > 0;
  const status: NodeLineage['status'] = none ? 'unparsed' : reasons.length > 0 ? 'partial' : 'ok';
  const lineage: NodeLineage = { status, columns: out, keys: edges(keys, 'filter') };
  if (reasons.length > 0) lineage.reason = reasons.join('; ');
  return lineage;
}

/** One edge per upstream column; a copy only if every path to it copies. */
function edges(origins: readonly Origin[], kind?: 'filter'): LineageEdge[] {
  const byKey = new Map<string, LineageEdge>();
  for (const origin of origins) {
    const key = `${origin.node}\u0000${origin.column.toLowerCase()}`;
    const edgeKind = kind ?? (origin.passthrough ? 'passthrough' : 'transformation');
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { node: origin.node, column: origin.column, kind: edgeKind });
    else if (seen.kind === 'passthrough' && edgeKind === 'transformation') seen.kind = 'transformation';
  }
  return [...byKey.values()];
}

function unparsed(reason: string, own: readonly string[] | undefined): { lineage: NodeLineage; complete: boolean } {
  const columns: Record<string, ColumnLineage> = {};
  for (const name of own ?? []) columns[name] = { upstream: [], unresolved: 'the model was not parsed' };
  return { lineage: { status: 'unparsed', reason, columns, keys: [] }, complete: false };
}

function whereWritten(node: CompiledNode, line: number): string {
  const origin = node.compiledLines[line - 1];
  if (origin === undefined) return '';
  return typeof origin === 'number' ? ` (${node.originalFilePath}:${origin})` : ` (${origin.file}:${origin.line})`;
}

function declared(columns: Record<string, { name: string }>): readonly string[] | undefined {
  const names = Object.values(columns).map((c) => c.name);
  return names.length > 0 ? names : undefined;
}

function csvHeader(seed: CompiledNode): readonly string[] | undefined {
  const text = seed.rawCode.replace(/^\uFEFF/, '');
  const end = text.search(/\r?\n/);
  const firstLine = end >= 0 ? text.slice(0, end) : text;
  const config = seed.resolvedConfig;
  const delimiter = (config.materialized === 'seed' ? config.delimiter : undefined) ?? sniff(firstLine);
  try {
    const [header] = parseCsv(firstLine, { delimiter, relax_column_count: true }) as string[][];
    return header && header.length > 0 ? header.map((h) => h.trim()) : undefined;
  } catch {
    return undefined;
  }
}

function sniff(line: string): string {
  const unquoted = line.replace(/"[^"]*"/g, '');
  let best = ',';
  let count = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const n = unquoted.split(candidate).length - 1;
    if (n > count) [best, count] = [candidate, n];
  }
  return best;
}
