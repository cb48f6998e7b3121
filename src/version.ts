import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tsdbt's own version, read from its package.json (src/ and dist/ both sit one level below it). */
export const TSDBT_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * The version plus every file of the running code (path, size, modification time): a cache
 * written by other code, a development build included, is never taken for this one's. Computed
 * once per process (a cache lookup and its rewrite both ask).
 */
export function buildFingerprint(): string {
  fingerprint ??= fingerprintOf(fileURLToPath(new URL('.', import.meta.url)));
  return fingerprint;
}

let fingerprint: string | undefined;

function fingerprintOf(root: string): string {
  const hash = createHash('sha256').update(TSDBT_VERSION);
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`\0${file.slice(root.length)}\0${size}\0${mtimeMs}`);
  }
  return hash.digest('hex');
}
