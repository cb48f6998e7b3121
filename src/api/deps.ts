import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProjectConfig } from '../config/project-config.js';
import { onFile } from '../errors/file-system.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { installedPackages, type PackageEntry, packageEntries } from '../project/packages.js';

export interface DepsOutcome {
  /** Installed tsdbt packages: the npm name and the namespace their macros and tests take. */
  installed: Array<{ npm: string; namespace: string }>;
  /** Entries that need no install (built in) or cannot be installed, with why. */
  skipped: Array<{ name: string; why: string }>;
}

/**
 * `tsdbt deps`: the project's npm packages installed into it with npm (package.json and
 * package-lock.json are the project's: commit them), then checked to be tsdbt packages.
 */
export function installPackages(projectDir: string, npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'): DepsOutcome {
  const config = loadProjectConfig(projectDir);
  const entries = packageEntries(config);
  const skipped = entries
    .filter((e): e is Exclude<PackageEntry, { kind: 'npm' }> => e.kind !== 'npm')
    .map((e) => ({ name: e.name, why: e.kind === 'built-in' ? 'built into tsdbt: nothing to install' : e.why }));
  const specs = entries.filter((e): e is Extract<PackageEntry, { kind: 'npm' }> => e.kind === 'npm').map((e) => e.spec);
  if (specs.length === 0) return { installed: [], skipped };
  const manifest = join(config.projectDir, 'package.json');
  if (!existsSync(manifest)) {
    onFile(manifest, () => writeFileSync(manifest, `${JSON.stringify({ name: `${config.name.replace(/_/g, '-')}-packages`, private: true }, null, 2)}\n`));
  }
  const result = spawnSync(npm, ['install', '--save', '--no-audit', '--no-fund', ...specs], { cwd: config.projectDir, encoding: 'utf8' });
  if (result.error) {
    throw new TsdbtError(`cannot run npm: ${result.error.message}`, {
      code: 'E_DEPS',
      kind: 'environment',
      hint: 'tsdbt deps installs packages with npm: install Node.js with npm',
    });
  }
  if (result.status !== 0) {
    const said = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-6).join('\n');
    throw new TsdbtError(`npm install failed (exit ${result.status}):\n${said}`, {
      code: 'E_DEPS',
      kind: 'runtime',
      hint: 'check the package names and versions in packages.yml',
    });
  }
  const installed = installedPackages(config, entries).map((pkg, i) => ({ npm: specs[i]!, namespace: pkg.name }));
  return { installed, skipped };
}
