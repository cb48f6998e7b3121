import { findProjectFile } from './project-file.js';
import { resolve } from 'node:path';
import { z } from 'zod';
import { formatLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { TSDBT_VERSION } from '../version.js';
import { readYamlFile, validateYaml, type YamlFile } from './yaml-file.js';

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const configTree = z.record(z.string(), z.unknown());

const projectFileSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and underscores'),
  version: z.union([z.string(), z.number()]).optional(),
  'config-version': z.number().optional(),
  profile: z.string().optional(),
  'model-paths': stringList.optional(),
  'seed-paths': stringList.optional(),
  'macro-paths': stringList.optional(),
  'test-paths': stringList.optional(),
  'analysis-paths': stringList.optional(),
  'snapshot-paths': stringList.optional(),
  'docs-paths': stringList.optional(),
  'asset-paths': stringList.optional(),
  'target-path': z.string().optional(),
  'log-path': z.string().optional(),
  'packages-install-path': z.string().optional(),
  'clean-targets': stringList.optional(),
  'require-dbt-version': z.unknown().optional(),
  'require-tsdbt-version': stringList.optional(),
  quoting: z.record(z.string(), z.unknown()).optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  models: configTree.optional(),
  seeds: configTree.optional(),
  tests: configTree.optional(),
  data_tests: configTree.optional(),
  sources: configTree.optional(),
  snapshots: configTree.optional(),
  exposures: configTree.optional(),
  unit_tests: configTree.optional(),
  flags: z.record(z.string(), z.unknown()).optional(),
  'test-history': z.strictObject({ enabled: z.boolean().optional(), schema: z.string().optional(), table: z.string().optional() }).optional(),
  'on-run-start': stringList.optional(),
  'on-run-end': stringList.optional(),
  dispatch: z.unknown().optional(),
  /** tsdbt packages (npm) and dbt hub packages tsdbt has built in; the same entries as packages.yml. */
  packages: z.array(z.unknown()).optional(),
});

/** project.yml after defaults are filled in; paths are absolute. */
export interface ProjectConfig {
  name: string;
  version: string;
  profile: string;
  projectDir: string;
  file: YamlFile;
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  testPaths: string[];
  /** Snapshots: SQL files, and properties files whose snapshots: entries may define snapshots of their own. */
  snapshotPaths: string[];
  /** Folders tsdbt does not build from yet: their files are reported, not silently skipped. */
  analysisPaths: string[];
  docsPaths: string[];
  /** Folders copied into the docs site (images its descriptions show), as dbt's asset-paths. */
  assetPaths: string[];
  targetPath: string;
  /** What `tsdbt clean` removes (default: the target folder); absolute, checked to be inside the project by clean. */
  cleanTargets: string[];
  vars: Record<string, unknown>;
  modelConfigTree: Record<string, unknown>;
  seedConfigTree: Record<string, unknown>;
  snapshotConfigTree: Record<string, unknown>;
  testConfigTree: Record<string, unknown>;
  sourceConfigTree: Record<string, unknown>;
  onRunStart: string[];
  onRunEnd: string[];
  /** project.yml's packages: entries (packages.yml is read beside it). */
  packages: unknown[];
  /** Where test results accumulate across invocations, when enabled. */
  testHistory?: { schema: string; table: string };
  /** project.yml keys that are read but change nothing in tsdbt (yet), each with why. */
  warnings: string[];
}

// project.yml keys dbt reads for features tsdbt does not have: accepted (a dbt project loads), reported.
const INERT_KEYS: Record<string, string> = {
  'log-path': 'tsdbt writes no log files (use --log-format json and redirect the output)',
  'packages-install-path': 'packages are not installed by tsdbt',
  quoting: 'tsdbt quotes an identifier only where the engine needs it',
  flags: 'dbt behaviour flags do not apply to tsdbt',
  dispatch: 'adapter.dispatch is a Jinja feature: tsdbt macros are Handlebars helpers',
  exposures: 'exposure configs from project.yml are not applied yet: set them on each exposure',
  unit_tests: 'unit test configs from project.yml are not applied yet: set them on each unit test',
};

/** `>=1.2.0`, `<2`, `1.2.3` (exact): comparisons of dotted numeric versions, as dbt's require-dbt-version. */
export function satisfies(version: string, range: string): boolean {
  const match = /^\s*(>=|<=|>|<|=|==)?\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(range);
  if (!match) return false;
  const parts = (v: string) => [...v.split('.').map(Number), 0, 0].slice(0, 3);
  const [a, b] = [parts(version.replace(/-.*$/, '')), parts(match[2]!)];
  const order = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  switch (match[1]) {
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    default:
      return order === 0;
  }
}

export function loadProjectConfig(projectDirInput: string): ProjectConfig {
  const projectDir = resolve(projectDirInput);
  const path = findProjectFile(projectDir);
  if (!path) {
    throw new TsdbtError(`no project.yml found in ${projectDir}`, {
      code: 'E_NO_PROJECT',
      kind: 'config',
      hint: 'run tsdbt from a project folder, pass --project-dir, or create one with `tsdbt init`',
    });
  }
  const displayPath = path.slice(projectDir.length + 1);
  const file = readYamlFile(path, 'config', displayPath);
  const { value, errors } = validateYaml(file, projectFileSchema, 'config', Object.keys(projectFileSchema.shape));
  if (!value) {
    if (errors.length === 1) throw errors[0];
    throw new TsdbtError(`${displayPath} has ${errors.length} problems:\n${errors.map((e) => `  ${e.location?.line ?? '?'}: ${e.message}`).join('\n')}`, {
      code: 'E_PROJECT_CONFIG',
      kind: 'config',
      location: errors[0]!.location,
      hint: errors[0]!.hint,
    });
  }
  const required = value['require-tsdbt-version'];
  if (required && !required.every((range) => satisfies(TSDBT_VERSION, range))) {
    throw new TsdbtError(`this project requires tsdbt ${required.join(', ')}; this is tsdbt ${TSDBT_VERSION}`, {
      code: 'E_TSDBT_VERSION',
      kind: 'config',
      location: file.locate(['require-tsdbt-version']),
      hint: 'install a tsdbt version in that range (npm install tsdbt@<version>), or change require-tsdbt-version',
    });
  }
  const at = (p: string) => resolve(projectDir, p);
  return {
    name: value.name,
    version: String(value.version ?? '0.0.0'),
    profile: value.profile ?? value.name,
    projectDir,
    file,
    modelPaths: (value['model-paths'] ?? ['models']).map(at),
    seedPaths: (value['seed-paths'] ?? ['seeds']).map(at),
    macroPaths: (value['macro-paths'] ?? ['macros']).map(at),
    testPaths: (value['test-paths'] ?? ['tests']).map(at),
    snapshotPaths: (value['snapshot-paths'] ?? ['snapshots']).map(at),
    analysisPaths: (value['analysis-paths'] ?? ['analyses']).map(at),
    docsPaths: (value['docs-paths'] ?? []).map(at),
    targetPath: at(value['target-path'] ?? 'target'),
    assetPaths: (value['asset-paths'] ?? []).map(at),
    cleanTargets: (value['clean-targets'] ?? [value['target-path'] ?? 'target']).map(at),
    vars: value.vars ?? {},
    modelConfigTree: value.models ?? {},
    seedConfigTree: value.seeds ?? {},
    snapshotConfigTree: value.snapshots ?? {},
    testConfigTree: value.data_tests ?? value.tests ?? {},
    sourceConfigTree: value.sources ?? {},
    onRunStart: value['on-run-start'] ?? [],
    onRunEnd: value['on-run-end'] ?? [],
    packages: value.packages ?? [],
    testHistory:
      value['test-history'] && value['test-history'].enabled !== false
        ? { schema: value['test-history'].schema ?? 'tsdbt_audit', table: value['test-history'].table ?? 'test_results_history' }
        : undefined,
    warnings: Object.entries(INERT_KEYS)
      .filter(([key]) => (value as Record<string, unknown>)[key] !== undefined)
      .map(([key, why]) => `${formatLocation(file.locate([key], true))}: ${key} has no effect: ${why}`),
  };
}
