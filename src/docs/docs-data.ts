/**
 * What the documentation site shows, gathered once by `tsdbt docs generate` from the compiled
 * project, the catalog, the column lineage and the last run_results.json. The site writer splits
 * it into files (an index the page loads first, details loaded per node) — this type is the whole
 * of what crosses from the generator to the site.
 */
export interface DocsData {
  project: {
    name: string;
    /** ISO timestamp of the generation. */
    generatedAt: string;
    tsdbtVersion: string;
    target: { name: string; type: string };
    /** Markdown of the project's `__overview__` doc block (dbt's name), or of a default text. */
    overviewMarkdown: string;
    /** When run_results.json was read: its generated_at and the command it came from. */
    lastRun?: { generatedAt: string; command: string };
  };
  nodes: DocsNode[];
  /** Column lineage, per model (see LineageDocument). */
  lineage: LineageDocument;
}

export type DocsResourceType = 'model' | 'seed' | 'source' | 'exposure' | 'snapshot';

export interface DocsNode {
  /** dbt unique id: model.pkg.name, seed.pkg.name, source.pkg.source.table, exposure.pkg.name. */
  id: string;
  resourceType: DocsResourceType;
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
  columns: DocsColumn[];
  /** Tests on the node not tied to one column (e.g. a unique combination, expression_is_true). */
  tests: DocsTest[];
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

export interface DocsColumn {
  name: string;
  /** Engine type from the catalog, else the declared data_type. */
  type?: string;
  description: string;
  /** 1-based position in the relation (catalog), else the declaration order. */
  index: number;
  tests: DocsTest[];
}

export interface DocsTest {
  id: string;
  /** The test's name as written: not_null, unique, accepted_values, dbt_utils.expression_is_true… */
  name: string;
  severity: 'error' | 'warn';
  /** Result of the last run that executed it (run_results.json); absent when never run. */
  status?: 'pass' | 'fail' | 'warn' | 'error' | 'skipped';
  failures?: number;
  message?: string;
}

/** target/lineage.json: for every model, where each of its columns comes from. */
export interface LineageDocument {
  metadata: { generatedAt: string; tsdbtVersion: string; parser: string };
  nodes: Record<string, NodeLineage>;
}

export interface NodeLineage {
  /** 'ok' when every output column was traced, 'partial' when some were not, 'unparsed' when none. */
  status: 'ok' | 'partial' | 'unparsed';
  /** Why the parser could not follow the model (or part of it): never a silent gap. */
  reason?: string;
  /** Every output column of the model, in output order. */
  columns: Record<string, ColumnLineage>;
  /** Upstream columns the model filters, joins or groups on: they shape every output row. */
  keys: LineageEdge[];
}

export interface ColumnLineage {
  upstream: LineageEdge[];
  /** Set when this column could not be traced, with why. */
  unresolved?: string;
}

export interface LineageEdge {
  /** Unique id of the upstream model, seed or source. */
  node: string;
  column: string;
  kind: 'passthrough' | 'transformation' | 'filter';
}
