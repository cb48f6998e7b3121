import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeArtifactFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Writes many files, creating each folder once and leaving files whose content is unchanged
 * alone (rewriting costs more than reading on most file systems, and keeps mtimes meaningful).
 */
export function writeArtifactFiles(files: Iterable<[path: string, content: string]>): void {
  const folders = new Set<string>();
  for (const [path, content] of files) {
    const folder = dirname(path);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    writeFileSync(path, content);
  }
}
