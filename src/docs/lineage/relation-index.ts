import type { CompiledNode, CompiledProject } from '../../compile/types.js';
import { pathKey, relationTextPath } from './sql-ast.js';

/** Maps what compiled SQL reads back to node ids. */
export interface RelationIndex {
  /** The model, seed or source a table name (path segments) of compiled SQL is. */
  nodeOf(path: readonly string[]): string | undefined;
  /**
   * The model's compiled SQL, each source it reads that renders as no plain table name (a
   * reader over lake files, a subquery adding the file name column) replaced by a marker table
   * that `nodeOf` knows. Relations render on one line, so lines and the rest of the text stay put.
   */
  markSources(node: CompiledNode): string;
}

const MARKER_PREFIX = '__tsdbt_lineage_source_';
const SEPARATOR = '\n-- tsdbt lineage: next source --\n';

/**
 * Models and seeds render as their relationName; sources as the dialect renders them, asked of
 * the project itself (`renderAdHoc` of `{{source …}}`), so that no engine's syntax is guessed here.
 */
export function relationIndex(project: CompiledProject): RelationIndex {
  const byPath = new Map<string, string>();
  for (const node of project.nodes.values()) {
    const path = node.relationName ? relationTextPath(node.relationName) : undefined;
    if (path) byPath.set(pathKey(path), node.uniqueId);
  }

  const sources = [...project.sources.values()];
  const rendered = renderSources(project, sources);
  /** source.table → [rendered text, marker] for sources that are no plain name. */
  const markers = new Map<string, { text: string; marker: string }>();
  sources.forEach((source, i) => {
    const text = rendered[i];
    if (text === undefined) return;
    const path = relationTextPath(text);
    if (path) {
      byPath.set(pathKey(path), source.uniqueId);
      return;
    }
    const marker = `${MARKER_PREFIX}${i}`;
    byPath.set(marker, source.uniqueId);
    markers.set(`${source.sourceName}.${source.name}`, { text, marker });
  });

  return {
    nodeOf: (path) => byPath.get(pathKey(path)),
    markSources(node) {
      const replacements = node.sources
        .map(([sourceName, table]) => markers.get(`${sourceName}.${table}`))
        .filter((m): m is { text: string; marker: string } => m !== undefined)
        .sort((a, b) => b.text.length - a.text.length);
      let sql = node.compiledCode;
      for (const { text, marker } of replacements) sql = sql.split(text).join(marker);
      return sql;
    },
  };
}

/** How each source renders in this project's dialect (undefined where it cannot be rendered). */
function renderSources(project: CompiledProject, sources: readonly { sourceName: string; name: string }[]): Array<string | undefined> {
  const template = (s: { sourceName: string; name: string }) => `{{source ${JSON.stringify(s.sourceName)} ${JSON.stringify(s.name)}}}`;
  try {
    const all = project.renderAdHoc(sources.map(template).join(SEPARATOR), 'lineage').split(SEPARATOR);
    if (all.length === sources.length) return all.map((t) => t.trim());
  } catch {
    // One at a time below: a source that does not render is left out, not the others.
  }
  return sources.map((source) => {
    try {
      return project.renderAdHoc(template(source), 'lineage').trim();
    } catch {
      return undefined;
    }
  });
}
