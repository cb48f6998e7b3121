/**
 * The files the documentation site is made of, as the page reads them: `data/index.js` (one
 * `SiteIndex`, loaded first, small enough for 10 000 nodes) and one `data/nodes/<file>.js` per
 * node (`SiteNodeDetail`, loaded when the node is opened or a column trace reaches it).
 *
 * The site writer (Node) and the page (browser) both import this module: types, and the few
 * names both sides must agree on (no DOM, no Node API here). The node, column, test and lineage
 * shapes are also the generator's contract (`src/docs/docs-data.ts` names them), defined here
 * once because the browser build cannot import files outside its folder.
 */

export type SiteResourceType = 'model' | 'seed' | 'source' | 'exposure' | 'snapshot';

export type TestStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skipped';

export interface SiteProject {
  name: string;
  /** ISO timestamp of the generation. */
  generatedAt: string;
  tsdbtVersion: string;
  target: { name: string; type: string };
  /** Markdown of the project's `__overview__` doc block (dbt's name), or of a default text. */
  overviewMarkdown: string;
  /** When run_results.json was read: its generated_at and the command it came from. */
  lastRun?: { generatedAt: string; command: string };
}

/** The global `data/index.js` assigns. */
export const INDEX_GLOBAL = '__tsdbtDocsIndex';
/** The global function every `data/nodes/<file>.js` calls with its node's id and detail. */
export const DETAIL_CALLBACK = '__tsdbtDocsNode';

/**
 * A node's detail file name (without `.js`): a readable start of the id, and a key from a hash
 * of it against collisions and case-insensitive disks. Stable across generations, so a copy of
 * the site to a bucket only uploads what changed.
 */
export function detailFile(id: string, key: string): string {
  return `${id.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60)}.${key}`;
}

export interface SiteIndex {
  /** Changes with every generation that changes the data: appended to file URLs against stale caches. */
  version: string;
  project: SiteProject;
  /** Folder paths, referenced by position from `SiteIndexNode.f`. */
  folders: string[][];
  nodes: SiteIndexNode[];
}

/** Test results of a node and its columns: pass, fail, warn, error, skipped, never run. */
export type TestCounts = [number, number, number, number, number, number];

/** One node in the index. Keys are one letter: they repeat 10 000 times. */
export interface SiteIndexNode {
  /** Unique id. */
  i: string;
  /** Resource type. */
  t: SiteResourceType;
  /** Label (tree, graph). */
  l: string;
  /** Name, when it differs from the label. */
  n?: string;
  /** Folder: position in `SiteIndex.folders`. */
  f: number;
  /** Detail file key: the file is `data/nodes/${detailFile(i, d)}.js`. */
  d: string;
  /** Tags. */
  g?: string[];
  /** The start of the description as plain text, for search. */
  s?: string;
  /** Column names, space-separated, for search. */
  c?: string;
  /** Parents: positions in `SiteIndex.nodes` (children are derived by the page). */
  p?: number[];
  /** Materialization. */
  m?: string;
  /** Test results, when the node has tests. */
  r?: TestCounts;
  /** Column lineage status, when the lineage document has the node. */
  x?: 'ok' | 'partial' | 'unparsed';
}

export interface SiteTest {
  id: string;
  /** The test's name as written: not_null, unique, accepted_values, dbt_utils.expression_is_true… */
  name: string;
  severity: 'error' | 'warn';
  /** Result of the last run that executed it (run_results.json); absent when never run. */
  status?: TestStatus;
  failures?: number;
  message?: string;
}

export interface SiteColumn {
  name: string;
  /** Engine type from the catalog, else the declared data_type. */
  type?: string;
  description: string;
  /** 1-based position in the relation (catalog), else the declaration order. */
  index: number;
  tests: SiteTest[];
}

export interface SiteNode {
  /** dbt unique id: model.pkg.name, seed.pkg.name, source.pkg.source.table, exposure.pkg.name. */
  id: string;
  resourceType: SiteResourceType;
  name: string;
  /** Label the tree and graph show: the name, `source.table` for sources, an exposure's label. */
  label: string;
  packageName: string;
  /** Folder path for the tree, e.g. ['models', 'gold'] or ['sources', 'rte']. */
  folder: string[];
  /** File the resource is defined in, relative to the project (models/gold/x.sql, a YAML file). */
  originalFilePath: string;
  /** Markdown, doc blocks already substituted. */
  description: string;
  tags: string[];
  /** Config as written (merged from project.yml, YAML and the file), for the config panel. */
  config: Record<string, unknown>;
  materialized?: string;
  /** The relation in the warehouse, as SQL names it (absent for ephemeral models and exposures). */
  relation?: string;
  columns: SiteColumn[];
  /** Tests on the node not tied to one column (e.g. a unique combination, expression_is_true). */
  tests: SiteTest[];
  rawSql?: string;
  compiledSql?: string;
  /** Upstream and downstream unique ids (direct edges only; the site walks further itself). */
  parents: string[];
  children: string[];
  /** From the catalog, when the engine knows them. */
  stats?: { rowCount?: number; bytes?: number };
  /** "Open in Looker Studio" link (Linking API), for BigQuery relations and dashboard exposures. */
  lookerStudioUrl?: string;
  exposure?: { type: string; owner: Record<string, unknown>; url?: string; maturity?: string };
  /** A small SVG chart of the numeric columns over the date column, when one could be drawn. */
  previewSvg?: string;
}

export interface SiteLineageEdge {
  /** Unique id of the upstream model, seed or source. */
  node: string;
  column: string;
  kind: 'passthrough' | 'transformation' | 'filter';
}

export interface SiteColumnLineage {
  upstream: SiteLineageEdge[];
  /** Set when this column could not be traced, with why. */
  unresolved?: string;
}

export interface SiteNodeLineage {
  /** 'ok' when every output column was traced, 'partial' when some were not, 'unparsed' when none. */
  status: 'ok' | 'partial' | 'unparsed';
  /** Why the parser could not follow the model (or part of it): never a silent gap. */
  reason?: string;
  /** Every output column of the model, in output order. */
  columns: Record<string, SiteColumnLineage>;
  /** Upstream columns the model filters, joins or groups on: they shape every output row. */
  keys: SiteLineageEdge[];
}

export interface SiteNodeDetail {
  node: SiteNode;
  lineage?: SiteNodeLineage;
}
