import { existsSync, readdirSync } from 'node:fs';
import { currentJournal } from '../config/input-journal.js';
import { join, relative, sep } from 'node:path';

export interface DiscoveredFile {
  absolutePath: string;
  /** Relative to the folder it was found in (models/, seeds/, …), with forward slashes. */
  relativePath: string;
  /** Relative to the project root, with forward slashes. */
  projectPath: string;
}

/** Files under `roots` whose names end with one of `extensions`, in a stable order. */
export function discoverFiles(projectDir: string, roots: string[], extensions: string[]): DiscoveredFile[] {
  const found: DiscoveredFile[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    const entries = readdirSync(root, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile() || !extensions.some((ext) => entry.name.endsWith(ext))) continue;
      const absolutePath = join(entry.parentPath, entry.name);
      found.push({ absolutePath, relativePath: below(root, absolutePath), projectPath: below(projectDir, absolutePath) });
    }
  }
  found.sort((a, b) => (a.projectPath < b.projectPath ? -1 : a.projectPath > b.projectPath ? 1 : 0));
  currentJournal()?.noteListing(
    roots,
    extensions,
    found.map((file) => file.absolutePath),
  );
  return found;
}

/** `path` relative to `folder` (the common case, a path inside it, without path.relative's cost on 10 000 files). */
function below(folder: string, path: string): string {
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  return toPosix(path.startsWith(prefix) ? path.slice(prefix.length) : relative(folder, path));
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
