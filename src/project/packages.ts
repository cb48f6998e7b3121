import { fileExists } from '../config/input-journal.js';
import { readTextFile } from '../config/text-file.js';
import { join, resolve } from 'node:path';
import { loadProjectConfig, type ProjectConfig } from '../config/project-config.js';
import { findProjectFile } from '../config/project-file.js';
import { readYamlFile } from '../config/yaml-file.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

/**
 * Packages of a project, as dbt's packages.yml (or a `packages:` list in project.yml) names them.
 * tsdbt packages are npm packages holding a tsdbt project (macros, generic tests, models); dbt hub
 * packages whose tests and helpers are built in are accepted as they are.
 */
export type PackageEntry =
  | { kind: 'npm'; name: string; spec: string; location: SourceLocation }
  | { kind: 'built-in'; name: string; location: SourceLocation }
  | { kind: 'unsupported'; name: string; why: string; location: SourceLocation };

/** dbt hub packages tsdbt ships the equivalent of. */
const BUILT_IN = new Set(['dbt-labs/dbt_utils', 'calogica/dbt_expectations', 'metaplane/dbt_expectations', 'calogica/dbt_date']);

/** The project's package entries: packages.yml (or dependencies.yml), then project.yml's packages:. */
export function packageEntries(config: ProjectConfig): PackageEntry[] {
  const entries: PackageEntry[] = [];
  for (const name of ['packages.yml', 'dependencies.yml']) {
    const path = join(config.projectDir, name);
    if (!fileExists(path)) continue;
    const file = readYamlFile(path, 'config', name);
    const list = (file.data as { packages?: unknown } | null)?.packages;
    if (list !== undefined && !Array.isArray(list)) {
      throw new TsdbtError(`${name}: packages must be a list`, {
        code: 'E_PACKAGES',
        kind: 'config',
        location: file.locate(['packages']),
        hint: 'write packages: [- npm: name]',
      });
    }
    (list ?? []).forEach((entry, i) => entries.push(toEntry(entry, config.projectDir, file.locate(['packages', i]))));
  }
  config.packages.forEach((entry, i) => entries.push(toEntry(entry, config.projectDir, config.file.locate(['packages', i]))));
  return entries;
}

function toEntry(raw: unknown, projectDir: string, location: SourceLocation): PackageEntry {
  const entry = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  if (typeof entry.npm === 'string') {
    return { kind: 'npm', name: entry.npm, spec: `${entry.npm}@${typeof entry.version === 'string' ? entry.version : 'latest'}`, location };
  }
  if (typeof entry.local === 'string') {
    // A folder, installed by npm as a file: dependency under its package.json name.
    const folder = resolve(projectDir, entry.local);
    const manifest = join(folder, 'package.json');
    const name = fileExists(manifest) ? (JSON.parse(readTextFile(manifest, manifest, 'config')) as { name?: string }).name : undefined;
    if (!name) {
      return {
        kind: 'unsupported',
        name: entry.local,
        why: `${entry.local} has no package.json with a name: a tsdbt package is an npm package (npm init in it)`,
        location,
      };
    }
    return { kind: 'npm', name, spec: `file:${entry.local}`, location };
  }
  if (typeof entry.package === 'string') {
    if (BUILT_IN.has(entry.package)) return { kind: 'built-in', name: entry.package, location };
    return {
      kind: 'unsupported',
      name: entry.package,
      why: 'dbt hub packages are Jinja: tsdbt cannot install them. Copy the macros you use into macros/ (tsdbt import dbt translates them), or use an npm package of tsdbt macros (npm: name)',
      location,
    };
  }
  if (typeof entry.git === 'string') {
    return { kind: 'unsupported', name: entry.git, why: `give a git package to npm: - npm: "git+${entry.git}"`, location };
  }
  return {
    kind: 'unsupported',
    name: JSON.stringify(raw),
    why: 'a package entry is - npm: name (version: range), - local: folder, or - package: dbt-labs/dbt_utils',
    location,
  };
}

/** An installed tsdbt package: its folder and its own project configuration. */
export interface InstalledPackage {
  name: string;
  dir: string;
  config: ProjectConfig;
}

/** The folders `tsdbt deps` installed; a package not installed (or not a tsdbt project) is an error. */
export function installedPackages(config: ProjectConfig, entries: readonly PackageEntry[]): InstalledPackage[] {
  return entries
    .filter((e): e is Extract<PackageEntry, { kind: 'npm' }> => e.kind === 'npm')
    .map((entry) => {
      const dir = join(config.projectDir, 'node_modules', ...entry.name.split('/'));
      if (!fileExists(dir)) {
        throw new TsdbtError(`package "${entry.name}" is not installed`, {
          code: 'E_PACKAGES',
          kind: 'config',
          location: entry.location,
          hint: 'run tsdbt deps',
        });
      }
      if (!findProjectFile(dir)) {
        throw new TsdbtError(`package "${entry.name}" is not a tsdbt package: it has no project.yml`, {
          code: 'E_PACKAGES',
          kind: 'config',
          location: entry.location,
          hint: 'a tsdbt package is an npm package holding a tsdbt project (project.yml, macros/, models/, tests/generic/)',
        });
      }
      const packageConfig = loadProjectConfig(dir);
      return { name: packageConfig.name, dir, config: packageConfig };
    });
}
