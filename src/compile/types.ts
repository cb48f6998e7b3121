import type { Dag } from '../graph/dag.js';
import type { Exposure, LoadedProject, ParsedNode, ResourceBase, SourceTable } from '../project/types.js';
import type { NodeConfig } from '../project/config-merge.js';
import type { Dialect } from './dialect.js';
import type { CompiledSql, LineMap } from './line-map.js';
import type { NodeHooks } from './hook-config.js';
import type { FileSelection } from './file-batches.js';
import type { Materialization, ResolvedNodeConfig } from './node-config.js';

export interface CompiledNode extends ParsedNode {
  /** The merged config as written (dbt's shape: the manifest and `config.X:` selectors read it). */
  config: NodeConfig & { materialized: Materialization };
  /** The same config checked and typed at compile time: what planners read. */
  resolvedConfig: ResolvedNodeConfig;
  /** The target engine's own options (BigQuery partitioning, …), typed by that engine's config spec. */
  engineOptions: unknown;
  materialized: Materialization;
  schema: string;
  identifier: string;
  /** Fully qualified, quoted as the engine needs. Ephemeral models have none. */
  relationName?: string;
  dependsOn: { nodes: string[]; macros: string[] };
  refs: string[][];
  sources: string[][];
  /** The SQL that runs (a SELECT; materializations wrap it). */
  compiledCode: string;
  /** Where each line of compiledCode was written (its template, or an inlined ephemeral model's). */
  compiledLines: LineMap;
  /** target/compiled/<project>/<original path>, relative to the project. */
  compiledPath: string;
  /** Its pre- and post-hooks, rendered (unset: none). */
  hooks?: NodeHooks;
}

export type Severity = 'error' | 'warn';

/** A data test ready to run: generic (from YAML) or singular (tests/*.sql). */
export interface CompiledTest extends ResourceBase {
  resourceType: 'test';
  testType: 'data';
  kind: 'generic' | 'singular';
  /** Generic test name (`not_null`, a custom test) or the singular test's file name. */
  testName: string;
  attachedNode?: string;
  columnName?: string;
  severity: Severity;
  warnIf: string;
  errorIf: string;
  limit?: number;
  storeFailures: boolean;
  /**
   * Config `incremental: true`: on a run that loaded only a slice of the tested model (new lake
   * files, new batches), the test reads only that slice.
   */
  incremental: boolean;
  /** Generic tests: the tested relation as the SQL names it (a slice replaces it). */
  testedRelation?: string;
  /** Set at run time on an `incremental: true` test that reads only the rows its model loaded. */
  sliced?: boolean;
  /** Schema for store_failures tables. */
  auditSchema: string;
  /** store_failures table name (config alias); default: the test's name. */
  auditIdentifier?: string;
  dependsOn: { nodes: string[]; macros: string[] };
  /** Query returning the failing rows (`where` applied). */
  failingRowsSql: string;
  /** Singular tests: the test file's line of each line of failingRowsSql. */
  compiledLines?: LineMap;
  /** Singular tests: the file's template. */
  rawCode?: string;
  /** Generic tests, as dbt's manifest records them: the test, its arguments and package. */
  testMetadata?: { name: string; kwargs: Record<string, unknown>; namespace: string | null };
  /** Generic tests: `models.<name>` / `sources.<source>` (dbt's file_key_name). */
  fileKeyName?: string;
  /**
   * The same query with placeholders for the relations it reads besides the one it tests
   * (relationships, equal_rowcount, custom and singular tests): resolved again under --defer.
   */
  failingRowsTemplate?: string;
  /** For tests evaluated together with others in one scan of `relation`. */
  batch?: { relation: string; failureCount: string };
  description: string;
  compiledPath: string;
  location: { file: string; line?: number; column?: number };
}

/** A unit test: the model's SQL run on in-memory fixtures. */
export interface CompiledUnitTest extends ResourceBase {
  resourceType: 'unit_test';
  testType: 'unit';
  model: string;
  description: string;
  /** Fixture tables to create, keyed by the name the model SQL reads them under. */
  inputs: Array<{
    input: string;
    table: string;
    rows: Array<Record<string, unknown>>;
    columnTypes: Record<string, string>;
    /** What the input reads in the target (its columns bound the fixture's), when it is a relation. */
    relation?: string;
  }>;
  expect: Array<Record<string, unknown>>;
  /** The model's SELECT with every input replaced by its fixture table. */
  sql: string;
  dependsOn: { nodes: string[]; macros: string[] };
  location: { file: string; line?: number; column?: number };
}

export interface CompiledProject {
  name: string;
  projectDir: string;
  targetPath: string;
  nodes: Map<string, CompiledNode>;
  sources: Map<string, SourceTable>;
  exposures: Map<string, Exposure & { dependsOn: { nodes: string[] } }>;
  tests: Map<string, CompiledTest>;
  unitTests: Map<string, CompiledUnitTest>;
  groups: LoadedProject['groups'];
  docs: LoadedProject['docs'];
  selectors: LoadedProject['selectors'];
  /** Macros and user generic tests, with checksums so slim CI sees a changed macro. */
  macros: Array<{ uniqueId: string; name: string; packageName: string; originalFilePath: string; checksum: string; macroSql: string }>;
  dag: Dag;
  /** DAG order of every node, source and exposure id. */
  order: string[];
  /** Renders a model again for an incremental run (`is_incremental()` true). */
  renderIncremental(uniqueId: string): CompiledSql;
  /**
   * Renders a microbatch model for one batch (`is_incremental()` true): every `ref` / `source`
   * whose target declares `event_time` reads only the rows in [start, end) (ISO instants).
   */
  renderBatch(uniqueId: string, window: { start: string; end: string }): CompiledSql;
  /** Renders a files model for one run: its lake sources and files parents read only the selected files. */
  renderFiles(uniqueId: string, selection: FileSelection, mode: { incremental: boolean }): CompiledSql;
  /** Renders SQL that is not a model (show --inline, hooks): refs and sources resolve. */
  renderAdHoc(source: string, file: string): string;
  /**
   * --defer: the same project with some nodes read from other relations (the state's); every
   * model and test that reads them is resolved again. Nothing is rendered again.
   */
  deferTo(relations: ReadonlyMap<string, string>): CompiledProject;
  /**
   * --empty: the same project with every `ref` and `source` read as zero rows
   * (`(select * from x where false)`), the model's own relation (`this`) untouched.
   */
  emptied(): CompiledProject;
  /** The unit tests with their models rendered in another engine's dialect (the scratch engine's). */
  unitTestsIn(dialect: Dialect): Promise<Map<string, CompiledUnitTest>>;
  warnings: string[];
}
