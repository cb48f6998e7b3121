import { join, relative, resolve } from 'node:path';
import { restampManifest } from '../artifacts/manifest-restamp.js';
import { InputJournal } from '../config/input-journal.js';
import { declaredTargetPath } from '../config/project-file.js';
import type { CompiledProject } from '../compile/types.js';
import type { CompileSelection } from './compile.js';
import { newInvocation } from './new-invocation.js';
import type { OpenProjectOptions } from './open-project.js';
import { commandKey, lookUpParseCache, outputStat, writeParseCache } from './parse-cache.js';

export interface ParseRequest extends OpenProjectOptions, CompileSelection {
  command: 'parse' | 'compile';
  /** false: parse every file again (the cache is written all the same, for the next command). */
  partialParse?: boolean;
}

export interface ParseReport {
  /** True when nothing the previous parse read had changed: its outputs were kept. */
  reused: boolean;
  counts: ProjectCounts;
  warnings: string[];
  compiled: number;
  manifestPath: string;
  targetPath: string;
  /** A parse cache that could not be read (corrupt, foreign): said once, then rebuilt. */
  cacheProblem?: string;
}

export type ProjectCounts = Record<'model' | 'seed' | 'snapshot' | 'source' | 'exposure' | 'macro', number>;

/**
 * parse / compile through target/partial_parse.json: when every file, folder listing and
 * environment variable the previous parse read reads the same, and its outputs are untouched,
 * the outputs stand (the manifest gets this invocation's metadata); otherwise a full parse.
 */
export async function parseWithCache(request: ParseRequest): Promise<ParseReport> {
  const env = request.env ?? process.env;
  const projectDir = resolve(request.projectDir ?? process.cwd());
  // --state reads a manifest outside the project: its comparison is never cached.
  const cacheable = request.state === undefined;
  const key = commandKey({
    command: request.command,
    projectDir,
    profilesDir: request.profilesDir ?? null,
    target: request.target ?? null,
    threads: request.threads ?? null,
    vars: request.vars ?? null,
    select: request.select ?? null,
    exclude: request.exclude ?? null,
    selection: request.selection ?? null,
  });
  let cacheProblem: string | undefined;
  const cacheDir = declaredTargetPath(projectDir);
  if (cacheable && request.partialParse !== false && cacheDir !== undefined) {
    const found = lookUpParseCache(cacheDir, key, env);
    if ('unreadable' in found) cacheProblem = `${found.unreadable}: every file is parsed again`;
    if ('entry' in found) {
      const { entry } = found;
      const metadataBytes = restampManifest(entry.manifest.path, newInvocation(entry), entry.projectName, entry.manifest.metadataBytes);
      if (metadataBytes !== undefined) {
        writeParseCache(cacheDir, { ...entry, manifest: { ...outputStat(entry.manifest.path), metadataBytes } });
        const targetPath = relative(projectDir, cacheDir);
        const counts = entry.counts as ProjectCounts;
        return { reused: true, counts, warnings: entry.warnings, compiled: entry.compiledCount, manifestPath: `${targetPath}/manifest.json`, targetPath };
      }
    }
  }
  // The full parse loads everything a compile needs, which a reused parse never imports.
  const [{ openProject }, { writeCompileArtifacts, writeParseArtifacts }] = await Promise.all([import('./open-project.js'), import('./compile.js')]);
  const journal = new InputJournal();
  const { opened, outputs } = await journal.run(async () => {
    const opened = await openProject({ ...request, env: journal.watchEnv(env) });
    const outputs = request.command === 'parse' ? writeParseArtifacts(opened) : writeCompileArtifacts(opened, request);
    return { opened, outputs };
  });
  const { project } = opened;
  const counts = countsOf(project);
  if (cacheable) {
    writeParseCache(join(project.projectDir, project.targetPath), {
      key,
      inputs: journal.record(env),
      target: { type: opened.target.type, name: opened.target.name, database: opened.target.database, catalog: opened.target.catalog },
      projectName: project.name,
      manifest: { ...outputStat(`${project.projectDir}/${outputs.manifestPath}`), metadataBytes: outputs.metadataBytes },
      compiled: outputs.compiledFiles.map(outputStat),
      warnings: project.warnings,
      counts,
      compiledCount: outputs.compiled,
    });
  }
  return {
    reused: false,
    counts,
    warnings: project.warnings,
    compiled: outputs.compiled,
    manifestPath: outputs.manifestPath,
    targetPath: project.targetPath,
    cacheProblem,
  };
}

function countsOf(project: CompiledProject): ProjectCounts {
  const counts: ProjectCounts = {
    model: 0,
    seed: 0,
    snapshot: 0,
    source: project.sources.size,
    exposure: project.exposures.size,
    macro: project.macros.length,
  };
  for (const node of project.nodes.values()) counts[node.resourceType as 'model' | 'seed' | 'snapshot']++;
  return counts;
}
