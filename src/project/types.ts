import type { NamedSelector } from './named-selectors.js';
import type { DocBlock } from './doc-blocks.js';
import type { ConfigLayer, KeyOrigin, NodeConfig } from './config-merge.js';
import type { ExternalLocation } from './properties-schema.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { TestSpec } from './test-entries.js';

export type ResourceType = 'model' | 'seed' | 'snapshot' | 'source' | 'exposure' | 'test' | 'unit_test';

export interface ColumnInfo {
  name: string;
  description: string;
  dataType?: string;
  meta: Record<string, unknown>;
  tags: string[];
  tests: unknown[];
  /** Column-level `constraints:` as written (checked with the model's contract, compile/contract.ts). */
  constraints?: unknown[];
}

/** What every selectable resource shares (graph and selection work on this). */
export interface ResourceBase {
  uniqueId: string;
  resourceType: ResourceType;
  name: string;
  packageName: string;
  /** Path relative to the project root, e.g. models/gold/x.sql. */
  originalFilePath: string;
  fqn: string[];
  tags: string[];
  config: NodeConfig;
}

/** A model, seed or snapshot as read from disk, before templates are rendered. */
export interface ParsedNode extends ResourceBase {
  resourceType: 'model' | 'seed' | 'snapshot';
  /** Path relative to its resource folder (models/, seeds/, snapshots/), e.g. gold/x.sql. */
  path: string;
  /**
   * Where its SQL goes under target/compiled and target/run, relative to the project: its file,
   * or for a snapshot defined in YAML `<properties file>/<name>.sql` (as dbt places generic tests).
   */
  sqlPath: string;
  /** The line of `originalFilePath` the template's first line is on (1; a YAML snapshot's relation: line). */
  templateLine: number;
  absolutePath: string;
  rawCode: string;
  checksum: string;
  description: string;
  columns: Record<string, ColumnInfo>;
  /** Raw `tests:`/`data_tests:` entries, kept for the test runner. */
  tests: unknown[];
  patchPath?: string;
  /** Where a config key of the node was set in project.yml or its properties YAML. */
  locateConfig(key: string): KeyOrigin;
  /** Model-level `constraints:` of its properties entry, as written. */
  constraints?: unknown[];
  /** Where a path of its properties entry is (['columns', 0, 'data_type']); the node's file without one. */
  locateProperty?(path: Array<string | number>): SourceLocation;
  /** Each project.yml level and properties entry that sets a key whose values add up (hooks, grants), outer first. */
  configLayers?(key: string): ConfigLayer[];
  /** dbt's deprecation_date: referring to the model after it is warned about. */
  deprecationDate?: string;
  meta: Record<string, unknown>;
}

export interface SourceTable extends ResourceBase {
  resourceType: 'source';
  sourceName: string;
  identifier: string;
  schema: string;
  database?: string;
  /** dbt's `loader` property: the tool that loads the source (documentation only). */
  loader: string;
  description: string;
  sourceDescription: string;
  external?: ExternalLocation;
  loadedAtField?: string;
  freshness?: unknown;
  columns: Record<string, ColumnInfo>;
  tests: unknown[];
  meta: Record<string, unknown>;
  location: SourceLocation;
}

export interface Exposure extends ResourceBase {
  resourceType: 'exposure';
  type: string;
  owner: Record<string, unknown>;
  url?: string;
  label?: string;
  description: string;
  maturity?: string;
  meta: Record<string, unknown>;
  /** `ref('x')` / `source('a','b')` strings as written in YAML. */
  dependsOnRaw: string[];
  location: SourceLocation;
}

export interface MacroFile {
  name: string;
  /** The package it comes from (called as {{package.name}}); undefined for the project's own. */
  namespace?: string;
  kind: 'sql' | 'js';
  absolutePath: string;
  originalFilePath: string;
  rawCode: string;
  checksum: string;
}

/** A query in tests/ that returns failing rows. */
export interface SingularTestFile {
  name: string;
  originalFilePath: string;
  rawCode: string;
  checksum: string;
  fqn: string[];
}

/** A user-defined generic test: tests/generic/<name>.sql or macros/**\/test_<name>.sql. */
export interface GenericTestTemplate {
  name: string;
  /** The package it comes from (written as package.name in YAML). */
  namespace?: string;
  originalFilePath: string;
  rawCode: string;
}

export interface UnitTestInput {
  /** `ref('x')`, `source('a', 'b')` or `this`, as written. */
  input: string;
  rows: Array<Record<string, unknown>>;
}

export interface UnitTestSpec {
  name: string;
  model: string;
  description: string;
  given: UnitTestInput[];
  expect: Array<Record<string, unknown>>;
  overrides: { vars: Record<string, unknown>; isIncremental?: boolean };
  config: Record<string, unknown>;
  file: string;
  locate(path?: Array<string | number>): SourceLocation;
}

export interface LoadedProject {
  name: string;
  projectDir: string;
  nodes: ParsedNode[];
  sources: SourceTable[];
  exposures: Exposure[];
  macros: MacroFile[];
  tests: TestSpec[];
  singularTests: SingularTestFile[];
  genericTests: GenericTestTemplate[];
  unitTests: UnitTestSpec[];
  /** project.yml `data_tests:`/`tests:` folder config, applied to tests by their resource's fqn. */
  testConfigTree: Record<string, unknown>;
  /** `{% docs %}` blocks of the project's Markdown files (descriptions already resolved). */
  docs: DocBlock[];
  /** selectors.yml's named selectors, checked at load. */
  selectors: ReadonlyMap<string, NamedSelector>;
  /** Groups declared in properties files (a model's `group` must name one). */
  groups: Array<{ name: string; owner: Record<string, unknown>; description: string; originalFilePath: string }>;
  /** Models in files tsdbt does not build (Python), by name → file: a ref to one says so. */
  unbuiltModels: ReadonlyMap<string, string>;
  warnings: string[];
}
