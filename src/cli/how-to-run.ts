import { accessSync, constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This tsdbt's package folder (where its package.json and bin/ are). */
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The command that runs this tsdbt from `dir`, for "Next:" lines: `npx tsdbt` only works where
 * npm can find tsdbt (a node_modules above, or this package itself); `tsdbt` when a global
 * install is on PATH; otherwise node and the path of this tsdbt's bin, and how to shorten it.
 */
export function howToRun(dir: string, env: NodeJS.ProcessEnv = process.env): { command: string; install?: string } {
  for (let folder = resolve(dir); ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'node_modules', '.bin', 'tsdbt')) || isThisPackage(folder)) return { command: 'npx tsdbt' };
    if (dirname(folder) === folder) break;
  }
  const bin = join(PACKAGE_DIR, 'bin', 'tsdbt.js');
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, 'tsdbt');
    if (isExecutable(candidate) && sameFile(candidate, bin)) return { command: 'tsdbt' };
  }
  const shown = relative(resolve(dir), bin);
  return {
    command: `node ${shown.startsWith('..') ? bin : shown}`,
    install: `to type npx tsdbt instead: npm install --save-dev ${PACKAGE_DIR} in the project (or npm install --global ${PACKAGE_DIR}, then tsdbt)`,
  };
}

function isThisPackage(folder: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string }).name === 'tsdbt';
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
