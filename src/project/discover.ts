import { existsSync, readdirSync } from 'node:fs';
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
      found.push({
        absolutePath,
        relativePath: toPosix(relative(root, absolutePath)),
        projectPath: toPosix(relative(projectDir, absolutePath)),
      });
    }
  }
  return found.sort((a, b) => (a.projectPath < b.projectPath ? -1 : a.projectPath > b.projectPath ? 1 : 0));
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
