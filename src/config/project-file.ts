import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as jsYaml from 'js-yaml';
import { fileExists } from './input-journal.js';

export const PROJECT_FILE_NAMES = ['project.yml', 'tsdbt_project.yml', 'dbt_project.yml'];

export function findProjectFile(projectDir: string): string | undefined {
  return PROJECT_FILE_NAMES.map((name) => join(projectDir, name)).find((path) => fileExists(path));
}

/**
 * Where a project keeps target/, read from its project file without validating it (that costs
 * the schema library's load): for finding the parse cache, whose entry then checks the file's
 * bytes. Undefined when the file is missing or not a mapping; the full load reports why.
 */
export function declaredTargetPath(projectDirInput: string): string | undefined {
  const projectDir = resolve(projectDirInput);
  const path = findProjectFile(projectDir);
  if (!path) return undefined;
  try {
    const value = jsYaml.load(readFileSync(path, 'utf8'), { schema: jsYaml.CORE_SCHEMA }) as Record<string, unknown> | null;
    if (value === null || typeof value !== 'object') return undefined;
    const targetPath = value['target-path'] ?? 'target';
    return typeof targetPath === 'string' ? resolve(projectDir, targetPath) : undefined;
  } catch {
    return undefined;
  }
}
