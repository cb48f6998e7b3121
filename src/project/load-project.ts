import { loadNamedSelectors } from './named-selectors.js';
import { sha256 } from './checksum.js';
import { fileExists } from '../config/input-journal.js';
import { join, relative } from 'node:path';
import type { ProjectConfig } from '../config/project-config.js';
import { readTextFile } from '../config/text-file.js';
import { readYamlFile, validateYaml, type YamlFile, type YamlPath } from '../config/yaml-file.js';
import { Diagnostics, TsdbtError, formatLocation, type SourceLocation } from '../errors/tsdbt-error.js';
import { didYouMean } from '../errors/suggest.js';
import { configKeyProblem, SOURCE_CONFIG } from './config-keys.js';
import {
  type ConfigLayer,
  configFromTree,
  type KeyOrigin,
  locateInTree,
  mergeConfig,
  spellingsOf,
  toTagList,
  treeLayers,
  type NodeConfig,
  unusedTreeFolders,
} from './config-merge.js';
import { discoverFiles, type DiscoveredFile } from './discover.js';
import { createDescriber, loadDocBlocks } from './doc-blocks.js';
import { type InstalledPackage, installedPackages, packageEntries } from './packages.js';
import { KNOWN_PROPERTY_KEYS, propertiesFileSchema, type ColumnProperties, type PropertiesFile, type SnapshotProperties } from './properties-schema.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseTestEntry, type TestOwner, type TestSpec } from './test-entries.js';
import type { ColumnInfo, Exposure, GenericTestTemplate, LoadedProject, MacroFile, ParsedNode, SingularTestFile, SourceTable, UnitTestSpec } from './types.js';

/** Reads every model, seed, macro and properties file; reports all problems at once. */
export function loadProject(config: ProjectConfig): LoadedProject {
  const diagnostics = new Diagnostics();
  const projectDir = config.projectDir;

  const warnings: string[] = [...config.warnings];
  const properties = loadPropertiesFiles(config, diagnostics, warnings);
  const packages = loadPackages(config, properties, diagnostics, warnings);
  const docs = loadDocBlocks(config, diagnostics);
  const describe = createDescriber(docs, diagnostics);
  const nodes: ParsedNode[] = [];
  const byName = new Map<string, ParsedNode>();

  const addNode = (node: ParsedNode) => {
    const clash = byName.get(node.name);
    if (clash) {
      diagnostics.add(
        new TsdbtError(`two resources are named "${node.name}": ${clash.originalFilePath} and ${node.originalFilePath}`, {
          code: 'E_DUPLICATE_NAME',
          kind: 'project',
          location: { file: node.originalFilePath },
          hint: 'rename one of them (names must be unique across models, seeds and snapshots)',
        }),
      );
      return;
    }
    byName.set(node.name, node);
    nodes.push(node);
  };

  for (const file of discoverFiles(projectDir, config.modelPaths, ['.sql'])) {
    const rawCode = readOrReport(file, diagnostics);
    if (rawCode !== undefined) addNode(parseFileNode(config, file, rawCode, 'model', properties.models, describe));
  }
  for (const file of discoverFiles(projectDir, config.seedPaths, ['.csv'])) {
    const rawCode = readOrReport(file, diagnostics);
    if (rawCode !== undefined) addNode(parseFileNode(config, file, rawCode, 'seed', properties.seeds, describe));
  }
  // Snapshots: snapshots/**/*.sql (described by snapshots: entries without relation:), and the
  // snapshots: entries with relation: that define one in YAML (dbt 1.9).
  const snapshotPatches = new Map([...properties.snapshots].filter(([, patch]) => patch.value.relation === undefined));
  for (const file of discoverFiles(projectDir, config.snapshotPaths, ['.sql'])) {
    const rawCode = readOrReport(file, diagnostics);
    if (rawCode !== undefined) addNode(parseFileNode(config, file, rawCode, 'snapshot', snapshotPatches, describe));
  }
  for (const patch of properties.snapshots.values()) {
    if (patch.value.relation === undefined) continue;
    const node = yamlSnapshotNode(config, patch, describe, diagnostics);
    if (node) addNode(node);
  }
  // A package's models and seeds join the project's, named after the package (model.<package>.<name>).
  for (const pkg of packages) {
    for (const [kind, roots, extension] of [
      ['model', pkg.config.modelPaths, '.sql'],
      ['seed', pkg.config.seedPaths, '.csv'],
    ] as const) {
      for (const file of discoverFiles(projectDir, roots, [extension])) {
        const rawCode = readOrReport(file, diagnostics);
        if (rawCode !== undefined) addNode(parseFileNode(pkg.config, file, rawCode, kind, kind === 'model' ? properties.models : properties.seeds, describe));
      }
    }
  }

  for (const [name, patch] of properties.models) {
    if (byName.get(name)?.resourceType !== 'model') {
      warnings.push(`${formatLocation(patch.file.locate(patch.path))}: properties for model "${name}" but no models/**/${name}.sql exists`);
    }
  }
  for (const [name, patch] of properties.seeds) {
    if (byName.get(name)?.resourceType !== 'seed') {
      warnings.push(`${formatLocation(patch.file.locate(patch.path))}: properties for seed "${name}" but no seeds/**/${name}.csv exists`);
    }
  }
  for (const [name, patch] of snapshotPatches) {
    if (byName.get(name)?.resourceType !== 'snapshot') {
      warnings.push(
        `${formatLocation(patch.file.locate(patch.path))}: properties for snapshot "${name}" but no snapshots/**/${name}.sql exists (a snapshot defined here needs relation:)`,
      );
    }
  }

  const unbuiltModels = reportUnreadFiles(config, warnings);
  // selectors.yml is evaluated by the graph phase; its mistakes stop the load like any other file's.
  const selectors = loadNamedSelectors(config.projectDir);
  selectors.errors.forEach((e) => diagnostics.add(e));
  const sources = buildSources(config, properties.sources, diagnostics, warnings, describe);
  const trees: Array<[string, Record<string, unknown>, Array<readonly string[]>]> = [
    ['models', config.modelConfigTree, nodes.filter((n) => n.resourceType === 'model').map((n) => n.fqn)],
    ['seeds', config.seedConfigTree, nodes.filter((n) => n.resourceType === 'seed').map((n) => n.fqn)],
    ['snapshots', config.snapshotConfigTree, nodes.filter((n) => n.resourceType === 'snapshot').map((n) => n.fqn)],
    ['sources', config.sourceConfigTree, sources.map((s) => s.fqn)],
  ];
  for (const [section, tree, fqns] of trees) {
    for (const { path, siblings } of unusedTreeFolders(tree, fqns)) {
      const suggestion = didYouMean(path[path.length - 1]!, siblings);
      warnings.push(
        `${formatLocation(config.file.locate([section, ...path], true))}: ${section}: ${path.join('.')} matches no ${section === 'sources' ? 'source' : 'folder or resource'}, so its config applies to nothing${suggestion ? ` (${suggestion})` : ''}`,
      );
    }
  }
  const exposures = buildExposures(config, properties.exposures, describe);
  const macros = [
    ...loadMacros(config, diagnostics),
    ...packages.flatMap((pkg) => loadMacros(pkg.config, diagnostics).map((macro) => ({ ...macro, namespace: pkg.name }))),
  ];
  const enabledNodes = nodes.filter((node) => node.config.enabled !== false);
  const enabledSources = sources.filter((source) => source.config.enabled !== false);
  const tests = collectTests(enabledNodes, enabledSources, properties, diagnostics);
  const { singular, generic } = loadTestFiles(
    config,
    macros.filter((m) => m.namespace === undefined),
    diagnostics,
  );
  // A package's generic tests, written package.name in YAML (as dbt_utils.x is).
  for (const pkg of packages) {
    const own = macros.filter((m) => m.namespace === pkg.name);
    generic.push(...loadTestFiles(pkg.config, own, diagnostics).generic.map((test) => ({ ...test, namespace: pkg.name })));
  }
  const unitTests = properties.unitTests.map(({ value, file, path }) => toUnitTest(config, value, file, path, diagnostics));

  diagnostics.throwIfAny();
  return {
    name: config.name,
    projectDir,
    nodes: enabledNodes,
    sources: enabledSources,
    exposures,
    macros: macros.filter((macro) => !generic.some((g) => g.originalFilePath === macro.originalFilePath)),
    tests,
    singularTests: singular,
    genericTests: generic,
    unitTests: unitTests.filter((u) => u.config.enabled !== false),
    testConfigTree: config.testConfigTree,
    docs,
    selectors: selectors.selectors,
    groups: properties.groups.map(({ value, file, path }) => ({
      name: value.name,
      owner: value.owner,
      description: describe(value.description, () => file.locate([...path, 'description'])),
      originalFilePath: file.path,
    })),
    unbuiltModels,
    warnings,
  };
}

type Describer = ReturnType<typeof createDescriber>;

/**
 * The installed tsdbt packages, their properties files merged into the project's (a package's
 * model is described and tested as its own YAML says). Seen from the project: their files' paths
 * are relative to it (node_modules/<package>/models/x.sql). dbt hub packages tsdbt has built in are
 * accepted; others are reported.
 */
function loadPackages(config: ProjectConfig, properties: PropertyIndex, diagnostics: Diagnostics, warnings: string[]): InstalledPackage[] {
  let installed: InstalledPackage[];
  try {
    const entries = packageEntries(config);
    for (const entry of entries)
      if (entry.kind === 'unsupported') warnings.push(`${formatLocation(entry.location)}: package ${entry.name} is not loaded: ${entry.why}`);
    installed = installedPackages(config, entries).map((pkg) => ({ ...pkg, config: { ...pkg.config, projectDir: config.projectDir } }));
  } catch (error) {
    if (!(error instanceof TsdbtError)) throw error;
    diagnostics.add(error);
    return [];
  }
  for (const pkg of installed) {
    const own = loadPropertiesFiles(pkg.config, diagnostics, warnings);
    for (const [name, patch] of own.models) if (!properties.models.has(name)) properties.models.set(name, patch);
    for (const [name, patch] of own.seeds) if (!properties.seeds.has(name)) properties.seeds.set(name, patch);
    properties.sources.push(...own.sources);
    properties.unitTests.push(...own.unitTests);
  }
  return installed;
}

/** A discovered file's text, or undefined with the reason (not UTF-8, unreadable) reported. */
function readOrReport(file: DiscoveredFile, diagnostics: Diagnostics): string | undefined {
  try {
    return readTextFile(file.absolutePath, file.projectPath);
  } catch (error) {
    if (!(error instanceof TsdbtError)) throw error;
    diagnostics.add(error);
    return undefined;
  }
}

/**
 * Files a dbt project may hold that tsdbt does not build yet: each is reported by name (they are
 * never silently skipped). Returns the Python models by name, so a ref to one can say why it fails.
 */
function reportUnreadFiles(config: ProjectConfig, warnings: string[]): Map<string, string> {
  const python = new Map<string, string>();
  for (const file of discoverFiles(config.projectDir, config.modelPaths, ['.py'])) {
    python.set(file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1, -'.py'.length), file.projectPath);
    warnings.push(`${file.projectPath}: Python models are not supported: tsdbt builds SQL models only (this model is not built)`);
  }
  const unread: Array<[string[], string[], string]> = [[config.analysisPaths, ['.sql'], 'analyses are not compiled yet']];
  for (const [roots, extensions, why] of unread) {
    for (const file of discoverFiles(config.projectDir, roots, extensions)) warnings.push(`${file.projectPath}: ${why}`);
  }
  return python;
}

/** Every `tests:`/`data_tests:` entry on models, seeds, sources and their columns. */
function collectTests(nodes: ParsedNode[], sources: SourceTable[], properties: PropertyIndex, diagnostics: Diagnostics): TestSpec[] {
  const specs: TestSpec[] = [];
  type Declared = { data_tests?: unknown[]; tests?: unknown[]; columns?: ColumnProperties[] };
  const collect = (declared: Declared, owner: TestOwner, file: YamlFile, path: Array<string | number>) => {
    const entries = (holder: { data_tests?: unknown[]; tests?: unknown[] }, at: Array<string | number>, column?: string) => {
      for (const key of ['data_tests', 'tests'] as const) {
        holder[key]?.forEach((entry, j) => {
          const parsed = parseTestEntry(entry, owner, column, () => file.locate([...at, key, j]));
          if (parsed instanceof TsdbtError) diagnostics.add(parsed);
          else specs.push(parsed);
        });
      }
    };
    entries(declared, path);
    declared.columns?.forEach((column, i) => entries(column, [...path, 'columns', i], column.name));
  };
  for (const node of nodes) {
    const patch = (node.resourceType === 'model' ? properties.models : node.resourceType === 'seed' ? properties.seeds : properties.snapshots).get(node.name);
    if (!patch) continue;
    const owner: TestOwner = { attachedId: node.uniqueId, attachedName: node.name, attachedKind: node.resourceType, fqn: node.fqn, file: patch.file.path };
    collect(patch.value, owner, patch.file, patch.path);
  }
  const enabled = new Set(sources.map((s) => s.uniqueId));
  for (const { value: source, file, path } of properties.sources) {
    source.tables?.forEach((table, i) => {
      const attachedId = sources.find((s) => s.sourceName === source.name && s.name === table.name)?.uniqueId;
      if (!attachedId || !enabled.has(attachedId)) return;
      const owner: TestOwner = {
        attachedId,
        attachedName: table.name,
        attachedKind: 'source',
        sourceName: source.name,
        fqn: [attachedId.split('.')[1]!, source.name, table.name],
        file: file.path,
      };
      collect(table, owner, file, [...path, 'tables', i]);
    });
  }
  return specs;
}

/** Singular tests (tests/**.sql) and user generic tests (tests/generic/, macros/**\/test_*.sql). */
function loadTestFiles(config: ProjectConfig, macros: MacroFile[], diagnostics: Diagnostics): { singular: SingularTestFile[]; generic: GenericTestTemplate[] } {
  const singular: SingularTestFile[] = [];
  const generic: GenericTestTemplate[] = [];
  for (const file of discoverFiles(config.projectDir, config.testPaths, ['.sql'])) {
    const rawCode = readOrReport(file, diagnostics);
    if (rawCode === undefined) continue;
    const name = file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1, -'.sql'.length);
    if (file.relativePath.startsWith('generic/')) generic.push({ name, originalFilePath: file.projectPath, rawCode });
    else
      singular.push({
        name,
        originalFilePath: file.projectPath,
        rawCode,
        checksum: sha256(rawCode),
        fqn: [config.name, ...file.relativePath.split('/').slice(0, -1), name],
      });
  }
  for (const macro of macros) {
    if (macro.kind === 'sql' && macro.name.startsWith('test_')) {
      generic.push({ name: macro.name.slice('test_'.length), originalFilePath: macro.originalFilePath, rawCode: macro.rawCode });
    }
  }
  return { singular, generic };
}

function toUnitTest(
  config: ProjectConfig,
  value: NonNullable<PropertiesFile['unit_tests']>[number],
  file: YamlFile,
  path: Array<string | number>,
  diagnostics: Diagnostics,
): UnitTestSpec {
  const problem = (message: string, at: Array<string | number>, hint: string) => {
    diagnostics.add(
      new TsdbtError(`unit test "${value.name}": ${message}`, {
        code: 'E_UNIT_TEST_ROWS',
        kind: 'project',
        location: file.locate([...path, ...at], true),
        hint,
      }),
    );
    return [];
  };
  const rows = (fixture: { rows?: unknown; format?: string; fixture?: string }, at: Array<string | number>): Array<Record<string, unknown>> => {
    const csv = fixture.format === 'csv';
    if (fixture.fixture !== undefined) {
      // dbt's fixture files: <test-path>/fixtures/<name>.csv
      const candidates = config.testPaths.map((root) => relative(config.projectDir, join(root, 'fixtures', `${fixture.fixture}.csv`)));
      if (!csv) return problem('a fixture file needs format: csv', [...at, 'fixture'], `add format: csv (the file is ${candidates[0]})`);
      if (fixture.rows !== undefined) return problem('give rows or a fixture file, not both', [...at, 'fixture'], 'remove rows: or fixture:');
      const found = candidates.find((candidate) => fileExists(join(config.projectDir, candidate)));
      if (!found) return problem(`fixture file "${fixture.fixture}" not found`, [...at, 'fixture'], `create ${candidates.join(' or ')}`);
      return parseCsvRows(readTextFile(join(config.projectDir, found), found), [...at, 'fixture']);
    }
    if (fixture.rows === undefined) return [];
    if (csv) {
      if (typeof fixture.rows !== 'string')
        return problem('format: csv needs rows as CSV text', [...at, 'rows'], 'write rows: |, then a header line and one line per row');
      return parseCsvRows(fixture.rows, [...at, 'rows']);
    }
    if (typeof fixture.rows === 'string') {
      return problem(
        'rows is text, not a list of rows',
        [...at, 'rows'],
        'write rows: [{code: a, name: b}], or add format: csv and write the CSV (a header line, then one line per row)',
      );
    }
    return fixture.rows as Array<Record<string, unknown>>;
  };
  const parseCsvRows = (text: string, at: Array<string | number>): Array<Record<string, unknown>> => {
    try {
      return parseCsvFixture(text);
    } catch (error) {
      return problem(`cannot read CSV rows: ${(error as Error).message}`, at, 'write a header line, then one line per row');
    }
  };
  const macros = value.overrides?.macros ?? {};
  return {
    name: value.name,
    model: value.model,
    description: value.description ?? '',
    given: (value.given ?? []).map((given, i) => ({ input: given.input.trim(), rows: rows(given, ['given', i]) })),
    expect: rows(value.expect, ['expect']),
    overrides: { vars: value.overrides?.vars ?? {}, isIncremental: macros.is_incremental === undefined ? undefined : Boolean(macros.is_incremental) },
    config: value.config ?? {},
    file: file.path,
    locate: (at = []) => file.locate([...path, ...at]),
  };
}

/** CSV fixture text → rows; numbers and booleans typed, empty cells NULL (as dbt reads them). */
function parseCsvFixture(text: string): Array<Record<string, unknown>> {
  const records = parseCsv(text.trim(), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  return records.map((record) =>
    Object.fromEntries(
      Object.entries(record).map(([key, cell]) => {
        if (cell === '' || /^null$/i.test(cell)) return [key, null];
        if (/^-?\d+(\.\d+)?$/.test(cell)) return [key, Number(cell)];
        if (/^(true|false)$/i.test(cell)) return [key, cell.toLowerCase() === 'true'];
        return [key, cell];
      }),
    ),
  );
}

interface Patch<T> {
  value: T;
  file: YamlFile;
  path: Array<string | number>;
}

interface PropertyIndex {
  unitTests: Array<Patch<NonNullable<PropertiesFile['unit_tests']>[number]>>;
  models: Map<string, Patch<NonNullable<PropertiesFile['models']>[number]>>;
  seeds: Map<string, Patch<NonNullable<PropertiesFile['seeds']>[number]>>;
  /** snapshots: entries, by name; with relation: they define a snapshot, else describe a file. */
  snapshots: Map<string, Patch<SnapshotProperties> & { relativePath: string }>;
  sources: Array<Patch<NonNullable<PropertiesFile['sources']>[number]>>;
  exposures: Array<Patch<NonNullable<PropertiesFile['exposures']>[number]>>;
  groups: Array<Patch<NonNullable<PropertiesFile['groups']>[number]>>;
}

// Properties-file sections a dbt project may have that tsdbt does not read yet.
const UNREAD_SECTIONS: Record<string, string> = {
  semantic_models: 'the semantic layer is not supported',
  metrics: 'the semantic layer is not supported',
  saved_queries: 'the semantic layer is not supported',
  analyses: 'analyses are not compiled yet',
  macros: 'macro properties are not read yet',
  data_tests: 'singular test properties are not read yet: configure the test with {{config}} in its file',
};

/** Model properties dbt has and tsdbt does not implement: errors where they change what is built, warnings otherwise. */
function checkModelProperties(
  model: NonNullable<PropertiesFile['models']>[number],
  file: YamlFile,
  path: Array<string | number>,
  diagnostics: Diagnostics,
  warnings: string[],
): void {
  const refuse = (at: Array<string | number>, message: string, hint: string) =>
    diagnostics.add(new TsdbtError(message, { code: 'E_NOT_SUPPORTED', kind: 'project', location: file.locate([...path, ...at], true), hint }));
  if (model.versions !== undefined || model.latest_version !== undefined) {
    refuse(
      [model.versions !== undefined ? 'versions' : 'latest_version'],
      `model "${model.name}": model versions are not supported yet`,
      'keep one version: one models/<name>.sql and one properties entry',
    );
  }
  if (model.time_spine !== undefined)
    warnings.push(`${formatLocation(file.locate([...path, 'time_spine'], true))}: time_spine has no effect: the semantic layer is not supported`);
  model.columns?.forEach((column, i) => {
    if (column.policy_tags !== undefined)
      refuse(['columns', i, 'policy_tags'], `column ${model.name}.${column.name}: policy_tags are not supported yet`, 'set column policy tags in BigQuery');
    if (column.granularity !== undefined) {
      warnings.push(
        `${formatLocation(file.locate([...path, 'columns', i, 'granularity'], true))}: granularity has no effect: the semantic layer is not supported`,
      );
    }
  });
}

function loadPropertiesFiles(config: ProjectConfig, diagnostics: Diagnostics, warnings: string[]): PropertyIndex {
  const index: PropertyIndex = { models: new Map(), seeds: new Map(), snapshots: new Map(), sources: [], exposures: [], unitTests: [], groups: [] };
  const roots = [...config.modelPaths, ...config.seedPaths, ...config.snapshotPaths, ...config.macroPaths, ...config.testPaths];
  for (const found of discoverFiles(config.projectDir, roots, ['.yml', '.yaml'])) {
    let file: YamlFile;
    try {
      file = readYamlFile(found.absolutePath, 'project', found.projectPath);
    } catch (error) {
      diagnostics.add(error as TsdbtError);
      continue;
    }
    if (file.data === null || typeof file.data !== 'object' || Object.keys(file.data).length === 0) continue;
    const { value, errors } = validateYaml(file, propertiesFileSchema, 'project', KNOWN_PROPERTY_KEYS);
    errors.forEach((e) => diagnostics.add(e));
    if (!value) continue;
    value.models?.forEach((model, i) => {
      const previous = index.models.get(model.name);
      if (previous) {
        diagnostics.add(duplicatePatch('model', model.name, previous.file.locate(previous.path), file, ['models', i]));
      } else index.models.set(model.name, { value: model, file, path: ['models', i] });
    });
    value.seeds?.forEach((seed, i) => index.seeds.set(seed.name, { value: seed, file, path: ['seeds', i] }));
    value.snapshots?.forEach((snapshot, i) => {
      const previous = index.snapshots.get(snapshot.name);
      if (previous) diagnostics.add(duplicatePatch('snapshot', snapshot.name, previous.file.locate(previous.path), file, ['snapshots', i]));
      else index.snapshots.set(snapshot.name, { value: snapshot, file, path: ['snapshots', i], relativePath: found.relativePath });
    });
    value.sources?.forEach((source, i) => index.sources.push({ value: source, file, path: ['sources', i] }));
    value.exposures?.forEach((exposure, i) => index.exposures.push({ value: exposure, file, path: ['exposures', i] }));
    value.unit_tests?.forEach((unitTest, i) => index.unitTests.push({ value: unitTest, file, path: ['unit_tests', i] }));
    value.groups?.forEach((group, i) => index.groups.push({ value: group, file, path: ['groups', i] }));
    for (const [key, why] of Object.entries(UNREAD_SECTIONS)) {
      const entries = (value as Record<string, unknown[] | undefined>)[key];
      if (entries && entries.length > 0) warnings.push(`${formatLocation(file.locate([key], true))}: ${key}: ${why} (${entries.length} ignored)`);
    }
    value.models?.forEach((model, i) => checkModelProperties(model, file, ['models', i], diagnostics, warnings));
  }
  return index;
}

function duplicatePatch(kind: string, name: string, first: { file: string; line?: number }, file: YamlFile, path: Array<string | number>): TsdbtError {
  return new TsdbtError(`${kind} "${name}" is described twice (first at ${formatLocation(first)})`, {
    code: 'E_DUPLICATE_PROPERTIES',
    kind: 'project',
    location: file.locate(path),
    hint: `keep one "${name}" entry under ${kind}s:`,
  });
}

// Model properties that are the same settings as config keys of that name.
const PROPERTY_CONFIGS = new Set(['tags', 'docs', 'access', 'group']);

/** A properties entry of a model, seed or snapshot, as far as building its node reads it. */
type NodePatch = Patch<{
  name: string;
  description?: string;
  config?: Record<string, unknown>;
  columns?: ColumnProperties[];
  tests?: unknown[];
  data_tests?: unknown[];
  meta?: Record<string, unknown>;
  tags?: string | string[];
  docs?: Record<string, unknown>;
  access?: string;
  group?: string;
  deprecation_date?: unknown;
  constraints?: unknown[];
}>;

const RESOURCE_FILES = {
  model: { extension: '.sql', section: 'models' },
  seed: { extension: '.csv', section: 'seeds' },
  snapshot: { extension: '.sql', section: 'snapshots' },
} as const;

function parseFileNode(
  config: ProjectConfig,
  file: DiscoveredFile,
  rawCode: string,
  resourceType: ParsedNode['resourceType'],
  patches: Map<string, NodePatch>,
  describe: Describer,
): ParsedNode {
  const name = file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1, -RESOURCE_FILES[resourceType].extension.length);
  const folders = file.relativePath.split('/').slice(0, -1);
  return buildNode(config, {
    resourceType,
    name,
    fqn: [config.name, ...folders, name],
    path: file.relativePath,
    originalFilePath: file.projectPath,
    absolutePath: file.absolutePath,
    sqlPath: file.projectPath,
    templateLine: 1,
    rawCode,
    patch: patches.get(name),
    definedAt: () => ({ file: file.projectPath }),
    describe,
  });
}

/**
 * A snapshot defined in YAML (dbt 1.9): `relation: ref('x')` or `source('a', 'b')` becomes its
 * template, `select * from` that relation; the entry's config is its config.
 */
function yamlSnapshotNode(
  config: ProjectConfig,
  patch: Patch<SnapshotProperties> & { relativePath: string },
  describe: Describer,
  diagnostics: Diagnostics,
): ParsedNode | undefined {
  const { value, file, path } = patch;
  const relation = value.relation!.trim();
  const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(relation);
  const source = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(relation);
  if (!ref && !source) {
    diagnostics.add(
      new TsdbtError(`snapshot "${value.name}": relation must be ref('name') or source('source', 'table'), got ${JSON.stringify(value.relation)}`, {
        code: 'E_SNAPSHOT_RELATION',
        kind: 'project',
        location: file.locate([...path, 'relation']),
        hint: "write relation: ref('my_model') or relation: source('my_source', 'my_table')",
      }),
    );
    return undefined;
  }
  const rawCode = `select * from ${ref ? `{{ref "${ref[1]}"}}` : `{{source "${source![1]}" "${source![2]}"}}`}\n`;
  const folders = patch.relativePath.split('/').slice(0, -1);
  return buildNode(config, {
    resourceType: 'snapshot',
    name: value.name,
    fqn: [config.name, ...folders, value.name],
    path: patch.relativePath,
    originalFilePath: file.path,
    absolutePath: join(config.projectDir, file.path),
    sqlPath: `${file.path}/${value.name}.sql`,
    templateLine: file.locate([...path, 'relation']).line ?? 1,
    rawCode,
    patch,
    definedAt: () => file.locate(path),
    describe,
  });
}

function buildNode(
  config: ProjectConfig,
  input: {
    resourceType: ParsedNode['resourceType'];
    name: string;
    fqn: string[];
    path: string;
    originalFilePath: string;
    absolutePath: string;
    sqlPath: string;
    templateLine: number;
    rawCode: string;
    patch: NodePatch | undefined;
    /** Where the node is defined, for keys set nowhere else (its file, or its YAML entry). */
    definedAt: () => SourceLocation;
    describe: Describer;
  },
): ParsedNode {
  const { resourceType, name, fqn, patch, describe } = input;
  const tree = resourceType === 'model' ? config.modelConfigTree : resourceType === 'seed' ? config.seedConfigTree : config.snapshotConfigTree;
  let nodeConfig: NodeConfig = configFromTree(tree, fqn);
  if (patch?.value.config) nodeConfig = mergeConfig(nodeConfig, patch.value.config);
  // Property-level tags and docs are the same settings as their config: keys.
  if (patch?.value.tags) nodeConfig = mergeConfig(nodeConfig, { tags: patch.value.tags });
  if (patch?.value.docs) nodeConfig = mergeConfig(nodeConfig, { docs: patch.value.docs });
  if (patch?.value.access) nodeConfig = mergeConfig(nodeConfig, { access: patch.value.access });
  if (patch?.value.group) nodeConfig = mergeConfig(nodeConfig, { group: patch.value.group });
  if (resourceType !== 'model') nodeConfig.materialized ??= resourceType;
  const section = RESOURCE_FILES[resourceType].section;
  const locateConfig = (key: string): KeyOrigin => {
    if (patch) {
      const at =
        patch.value.config && key in patch.value.config
          ? [...patch.path, 'config', key]
          : key in patch.value && PROPERTY_CONFIGS.has(key)
            ? [...patch.path, key]
            : undefined;
      if (at) return { layer: 'properties', location: patch.file.locate(at, true) };
    }
    const inTree = locateInTree(tree, fqn, key);
    if (inTree) return { layer: 'project', location: config.file.locate([section, ...inTree], true) };
    return { layer: 'file', location: input.definedAt() };
  };
  // Hooks and grants add up across levels: each level's value keeps where it was written.
  const layerOf = (file: YamlFile, path: YamlPath, value: unknown, layer: ConfigLayer['layer']): ConfigLayer => ({
    value,
    layer,
    locate: (item) => {
      if (item === undefined) return file.locate(path, true);
      const at = Array.isArray(value) ? [...path, item] : path;
      const element: unknown = Array.isArray(value) ? value[item] : value;
      // A hook written {sql: ..., transaction: ...} starts at its sql.
      return valueStart(file, typeof element === 'object' && element !== null && 'sql' in element ? [...at, 'sql'] : at);
    },
  });
  const configLayers = (key: string): ConfigLayer[] => {
    const layers = treeLayers(tree, fqn, key).map(({ path, value }) => layerOf(config.file, [section, ...path], value, 'project'));
    const own = patch?.value.config;
    for (const spelling of spellingsOf(key)) {
      if (own?.[spelling] !== undefined) layers.push(layerOf(patch!.file, [...patch!.path, 'config', spelling], own[spelling], 'properties'));
    }
    return layers;
  };
  return {
    uniqueId: `${resourceType}.${config.name}.${name}`,
    resourceType,
    name,
    packageName: config.name,
    path: input.path,
    originalFilePath: input.originalFilePath,
    absolutePath: input.absolutePath,
    sqlPath: input.sqlPath,
    templateLine: input.templateLine,
    fqn,
    tags: nodeConfig.tags ?? [],
    config: nodeConfig,
    rawCode: input.rawCode,
    checksum: sha256(input.rawCode),
    description: patch ? describe(patch.value.description, () => patch.file.locate([...patch.path, 'description'])) : '',
    columns: toColumns(patch?.value.columns, describe, (i) => patch!.file.locate([...patch!.path, 'columns', i, 'description'])),
    tests: [...(patch?.value.data_tests ?? []), ...(patch?.value.tests ?? [])],
    patchPath: patch ? patch.file.path : undefined,
    locateConfig,
    configLayers,
    constraints: patch?.value.constraints,
    locateProperty: (at) => (patch ? patch.file.locate([...patch.path, ...at], true) : input.definedAt()),
    deprecationDate: patch?.value.deprecation_date === undefined ? undefined : String(patch.value.deprecation_date),
    meta: { ...(nodeConfig.meta as Record<string, unknown> | undefined), ...(patch?.value.meta ?? {}) },
  };
}

const yamlLines = new WeakMap<YamlFile, string[]>();
const linesOf = (file: YamlFile): string[] => {
  const lines = yamlLines.get(file) ?? file.text.split('\n');
  yamlLines.set(file, lines);
  return lines;
};

/** Where a YAML value starts: a block scalar's (`|`, `>`) text starts on the line after its indicator. */
function valueStart(file: YamlFile, path: YamlPath): SourceLocation {
  const at = file.locate(path);
  if (at.line === undefined || at.column === undefined) return at;
  const lines = linesOf(file);
  const rest = (lines[at.line - 1] ?? '').slice(at.column - 1);
  // A quoted scalar's text starts after its quote.
  if (rest.startsWith('"') || rest.startsWith("'")) return { ...at, column: at.column + 1 };
  if (!/^[|>][-+\d]*\s*(#.*)?$/.test(rest.trimEnd())) return at;
  const next = lines[at.line] ?? '';
  return { file: at.file, line: at.line + 1, column: next.length - next.trimStart().length + 1 };
}

function toColumns(columns: ColumnProperties[] | undefined, describe: Describer, locate: (index: number) => SourceLocation): Record<string, ColumnInfo> {
  const out: Record<string, ColumnInfo> = {};
  for (const [index, column] of (columns ?? []).entries()) {
    out[column.name] = {
      name: column.name,
      description: describe(column.description, () => locate(index)),
      dataType: column.data_type,
      meta: { ...column.meta, ...column.config?.meta },
      tags: [...new Set([...toTagList(column.tags), ...toTagList(column.config?.tags)])],
      tests: [...(column.data_tests ?? []), ...(column.tests ?? [])],
      constraints: column.constraints,
    };
  }
  return out;
}

/** Unknown and unsupported keys of a source's config: errors at the key. */
function checkSourceConfig(config: Record<string, unknown>, locate: (key: string) => SourceLocation, diagnostics: Diagnostics): void {
  for (const key of Object.keys(config)) {
    const problem = configKeyProblem(SOURCE_CONFIG, key);
    if (problem) diagnostics.add(new TsdbtError(problem.message, { code: 'E_CONFIG', kind: 'project', location: locate(key), hint: problem.hint }));
  }
}

function buildSources(
  config: ProjectConfig,
  patches: PropertyIndex['sources'],
  diagnostics: Diagnostics,
  warnings: string[],
  describe: Describer,
): SourceTable[] {
  const out: SourceTable[] = [];
  const seen = new Map<string, () => SourceLocation>();
  for (const { value: source, file, path } of patches) {
    const treeConfig = configFromTree(config.sourceConfigTree, [config.name, source.name]);
    checkSourceConfig(
      treeConfig,
      (key) => config.file.locate(['sources', ...(locateInTree(config.sourceConfigTree, [config.name, source.name], key) ?? [])], true),
      diagnostics,
    );
    checkSourceConfig(source.config ?? {}, (key) => file.locate([...path, 'config', key], true), diagnostics);
    if (source.overrides !== undefined) {
      diagnostics.add(
        new TsdbtError(`source "${source.name}" overrides a package's source: packages are not supported`, {
          code: 'E_NOT_SUPPORTED',
          kind: 'project',
          location: file.locate([...path, 'overrides'], true),
          hint: 'declare the source in full in this project instead',
        }),
      );
    }
    const sourceConfig = mergeConfig(treeConfig, source.config ?? {});
    const quoted = [
      source.quoting === undefined ? [] : [path],
      ...(source.tables ?? []).map((t, i) => (t.quoting === undefined ? [] : [[...path, 'tables', i]])),
    ].flat();
    for (const at of quoted) {
      warnings.push(
        `${formatLocation(file.locate([...at, 'quoting'], true))}: quoting has no effect: tsdbt quotes an identifier only where the engine needs it`,
      );
    }
    (source.tables ?? []).forEach((table, i) => {
      const uniqueId = `source.${config.name}.${source.name}.${table.name}`;
      const tablePath = [...path, 'tables', i];
      // Locating a YAML value re-parses the file, so it is done only when an error needs it.
      const locate = () => file.locate(tablePath);
      const first = seen.get(uniqueId);
      if (first) {
        diagnostics.add(
          new TsdbtError(`source ${source.name}.${table.name} is declared twice (first at ${formatLocation(first())})`, {
            code: 'E_DUPLICATE_SOURCE',
            kind: 'project',
            location: locate(),
            hint: 'keep one declaration',
          }),
        );
        return;
      }
      seen.set(uniqueId, locate);
      checkSourceConfig(table.config ?? {}, (key) => file.locate([...tablePath, 'config', key], true), diagnostics);
      if (table.external?.partitions !== undefined) {
        diagnostics.add(
          new TsdbtError(`source ${source.name}.${table.name}: external partitions are not supported yet`, {
            code: 'E_NOT_SUPPORTED',
            kind: 'project',
            location: file.locate([...tablePath, 'external', 'partitions'], true),
            hint: 'read the partition folders with a glob in location (and hive_partitioning: true in options on DuckDB)',
          }),
        );
      }
      const tableConfig = mergeConfig(mergeConfig(sourceConfig, { tags: source.tags }), { ...(table.config ?? {}), tags: table.tags });
      out.push({
        uniqueId,
        resourceType: 'source',
        name: table.name,
        packageName: config.name,
        originalFilePath: file.path,
        fqn: [config.name, source.name, table.name],
        tags: tableConfig.tags ?? [],
        config: tableConfig,
        sourceName: source.name,
        identifier: table.identifier ?? table.name,
        schema: source.schema ?? source.name,
        database: source.database,
        loader: source.loader ?? '',
        description: describe(table.description, () => file.locate([...tablePath, 'description'])),
        sourceDescription: describe(source.description, () => file.locate([...path, 'description'])),
        external: table.external,
        // dbt 1.9 also takes both as config: (the property wins, as dbt's own precedence).
        loadedAtField: table.loaded_at_field ?? source.loaded_at_field ?? (tableConfig.loaded_at_field as string | undefined),
        freshness: table.freshness !== undefined ? table.freshness : source.freshness !== undefined ? source.freshness : tableConfig.freshness,
        columns: toColumns(table.columns, describe, (index) => file.locate([...tablePath, 'columns', index, 'description'])),
        tests: [...(table.data_tests ?? []), ...(table.tests ?? [])],
        meta: { ...(source.meta ?? {}), ...(table.meta ?? {}) },
        get location() {
          return locate();
        },
      });
    });
  }
  return out;
}

function buildExposures(config: ProjectConfig, patches: PropertyIndex['exposures'], describe: Describer): Exposure[] {
  return patches.flatMap(({ value, file, path }): Exposure[] => {
    const name = value.name;
    const tags = [...new Set([...toTagList(value.tags), ...toTagList(value.config?.tags)])];
    if (value.config?.enabled === false) return [];
    return [
      {
        uniqueId: `exposure.${config.name}.${name}`,
        resourceType: 'exposure',
        name,
        packageName: config.name,
        originalFilePath: file.path,
        fqn: [config.name, name],
        tags,
        config: { tags, meta: { ...value.meta, ...value.config?.meta } },
        type: value.type,
        label: value.label,
        owner: value.owner,
        url: value.url,
        description: describe(value.description, () => file.locate([...path, 'description'])),
        maturity: value.maturity,
        meta: { ...value.meta, ...value.config?.meta },
        dependsOnRaw: value.depends_on ?? [],
        get location() {
          return file.locate(path);
        },
      },
    ];
  });
}

function loadMacros(config: ProjectConfig, diagnostics: Diagnostics): MacroFile[] {
  return discoverFiles(config.projectDir, config.macroPaths, ['.sql', '.js', '.mjs']).flatMap((file) => {
    const rawCode = readOrReport(file, diagnostics);
    if (rawCode === undefined) return [];
    const kind = file.relativePath.endsWith('.sql') ? 'sql' : 'js';
    const base = file.relativePath.replace(/\.(sql|js|mjs)$/, '');
    return {
      name: base.slice(base.lastIndexOf('/') + 1),
      kind,
      absolutePath: file.absolutePath,
      originalFilePath: file.projectPath,
      rawCode,
      checksum: sha256(rawCode),
    };
  });
}
