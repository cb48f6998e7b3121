import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { TsdbtError } from '../errors/tsdbt-error.js';
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
  'require-tsdbt-version': z.unknown().optional(),
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
  targetPath: string;
  vars: Record<string, unknown>;
  modelConfigTree: Record<string, unknown>;
  seedConfigTree: Record<string, unknown>;
  testConfigTree: Record<string, unknown>;
  sourceConfigTree: Record<string, unknown>;
  onRunStart: string[];
  onRunEnd: string[];
  /** Where test results accumulate across invocations, when enabled. */
  testHistory?: { schema: string; table: string };
}

export const PROJECT_FILE_NAMES = ['project.yml', 'tsdbt_project.yml', 'dbt_project.yml'];

export function findProjectFile(projectDir: string): string | undefined {
  return PROJECT_FILE_NAMES.map((name) => join(projectDir, name)).find((path) => existsSync(path));
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
    targetPath: at(value['target-path'] ?? 'target'),
    vars: value.vars ?? {},
    modelConfigTree: value.models ?? {},
    seedConfigTree: value.seeds ?? {},
    testConfigTree: value.data_tests ?? value.tests ?? {},
    sourceConfigTree: value.sources ?? {},
    onRunStart: value['on-run-start'] ?? [],
    onRunEnd: value['on-run-end'] ?? [],
    testHistory:
      value['test-history'] && value['test-history'].enabled !== false
        ? { schema: value['test-history'].schema ?? 'tsdbt_audit', table: value['test-history'].table ?? 'test_results_history' }
        : undefined,
  };
}
