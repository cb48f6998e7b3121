/**
 * The files the documentation site is made of, as the page reads them: `data/index.js` (one
 * `SiteIndex`, loaded first, small enough for 10 000 nodes) and one `data/nodes/<file>.js` per
 * node (`SiteNodeDetail`, loaded when the node is opened or a column trace reaches it).
 *
 * The site writer (Node) and the page (browser) both import this module: types, and the few
 * names both sides must agree on (no DOM, no Node API here). The shapes mirror
 * `src/docs/docs-data.ts`, which the browser build cannot import; the writer assigns the
 * generator's values to these types, so a change of the contract that the page does not follow
 * fails to compile there.
 */

export type SiteResourceType = 'model' | 'seed' | 'source' | 'exposure' | 'snapshot';

export type TestStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skipped';

export interface SiteProject {
  name: string;
  generatedAt: string;
  tsdbtVersion: string;
  target: { name: string; type: string };
  overviewMarkdown: string;
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
  name: string;
  severity: 'error' | 'warn';
  status?: TestStatus;
  failures?: number;
  message?: string;
}

export interface SiteColumn {
  name: string;
  type?: string;
  description: string;
  index: number;
  tests: SiteTest[];
}

export interface SiteNode {
  id: string;
  resourceType: SiteResourceType;
  name: string;
  label: string;
  packageName: string;
  folder: string[];
  originalFilePath: string;
  description: string;
  tags: string[];
  config: Record<string, unknown>;
  materialized?: string;
  relation?: string;
  columns: SiteColumn[];
  tests: SiteTest[];
  rawSql?: string;
  compiledSql?: string;
  parents: string[];
  children: string[];
  stats?: { rowCount?: number; bytes?: number };
  lookerStudioUrl?: string;
  exposure?: { type: string; owner: Record<string, unknown>; url?: string; maturity?: string };
  previewSvg?: string;
}

export interface SiteLineageEdge {
  node: string;
  column: string;
  kind: 'passthrough' | 'transformation' | 'filter';
}

export interface SiteNodeLineage {
  status: 'ok' | 'partial' | 'unparsed';
  reason?: string;
  columns: Record<string, { upstream: SiteLineageEdge[]; unresolved?: string }>;
  keys: SiteLineageEdge[];
}

export interface SiteNodeDetail {
  node: SiteNode;
  lineage?: SiteNodeLineage;
}
