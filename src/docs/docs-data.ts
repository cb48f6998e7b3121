import type {
  SiteColumn,
  SiteColumnLineage,
  SiteLineageEdge,
  SiteNode,
  SiteNodeLineage,
  SiteProject,
  SiteResourceType,
  SiteTest,
} from './site/browser/site-data.js';

/**
 * What the documentation site shows, gathered once by `tsdbt docs generate` from the compiled
 * project, the catalog, the column lineage and the last run_results.json. The site writer splits
 * it into files (an index the page loads first, details loaded per node): this type is the whole
 * of what crosses from the generator to the site. The shapes are defined in the page's own
 * module (site/browser/site-data.ts), which both sides compile against.
 */
export interface DocsData {
  project: SiteProject;
  nodes: DocsNode[];
  /** Column lineage, per model. */
  lineage: LineageDocument;
}

export type DocsResourceType = SiteResourceType;
export type DocsNode = SiteNode;
export type DocsColumn = SiteColumn;
export type DocsTest = SiteTest;

/** target/lineage.json: for every model, where each of its columns comes from. */
export interface LineageDocument {
  metadata: { generatedAt: string; tsdbtVersion: string; parser: string };
  nodes: Record<string, NodeLineage>;
}

export type NodeLineage = SiteNodeLineage;
export type ColumnLineage = SiteColumnLineage;
export type LineageEdge = SiteLineageEdge;
