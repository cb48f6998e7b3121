import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onFile } from '../errors/file-system.js';

/**
 * Before a run: the folder tsdbt writes into exists and takes a file, so a read-only or
 * forbidden target/ stops the command before anything is built.
 */
export function ensureWritableFolder(folder: string): void {
  onFile(folder, () => mkdirSync(folder, { recursive: true }), 'create');
  const probe = join(folder, '.tsdbt-write-check');
  onFile(folder, () => writeFileSync(probe, 'tsdbt checks that it can write here\n'), 'write into');
  rmSync(probe, { force: true });
}

export function writeArtifactFile(path: string, content: string): void {
  onFile(path, () => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  });
}

/**
 * Writes many files, creating each folder once and leaving files whose content is unchanged
 * alone (rewriting costs more than reading on most file systems, and keeps mtimes meaningful).
 */
export function writeArtifactFiles(files: Iterable<[path: string, content: string]>): void {
  const folders = new Set<string>();
  for (const [path, content] of files) {
    onFile(path, () => {
      const folder = dirname(path);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      if (existsSync(path) && readFileSync(path, 'utf8') === content) return;
      writeFileSync(path, content);
    });
  }
}

/** Writes a file in chunks handed to `write` (no single giant string in memory). */
export function writeArtifactStream(path: string, produce: (write: (chunk: string | Uint8Array) => void) => void): void {
  onFile(path, () => {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'w');
    try {
      produce((chunk) => {
        if (typeof chunk === 'string') writeSync(fd, chunk);
        else for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset);
      });
    } finally {
      closeSync(fd);
    }
  });
}
