import { readFileSync, renameSync, statSync } from 'node:fs';
import { writeArtifactFile } from '../artifacts/write-file.js';
import { join } from 'node:path';
import { PRESENT, type InputRecord, digestOf, envDigest, fileExists } from '../config/input-journal.js';
import { discoverFiles } from '../project/discover.js';
import { buildFingerprint } from '../version.js';
import type { InvocationTarget } from './invocation.js';

/** target/partial_parse.json (dbt keeps its parse in target/partial_parse.msgpack). */
export const PARSE_CACHE_FILE = 'partial_parse.json';
const FORMAT = 'tsdbt-partial-parse/1';

/** An output file as the command left it: a later command trusts it only if it is still so. */
interface OutputStat {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * What a parse or compile read and wrote. It is reused exactly when every input reads the same
 * again (each file's bytes, each folder's listing, each environment variable read, the tsdbt
 * build, the command and its options) and the outputs are as it left them.
 */
export interface ParseCacheEntry {
  format: string;
  build: string;
  /** The command and its options (select, vars, target…), as one digest. */
  key: string;
  inputs: InputRecord;
  target: InvocationTarget;
  projectName: string;
  manifest: OutputStat & { metadataBytes: number };
  compiled: OutputStat[];
  /** What the command printed from the parse: its warnings and counts. */
  warnings: string[];
  counts: Record<string, number>;
  /** Models (and selected tests) whose SQL the compile wrote. */
  compiledCount: number;
}

export type CacheLookup = { entry: ParseCacheEntry } | { miss: string } | { unreadable: string };

export function commandKey(options: Record<string, unknown>): string {
  return digestOf(JSON.stringify(options));
}

/** The previous entry when it still holds; otherwise why not (`unreadable`: a corrupt or foreign file, worth a warning). */
export function lookUpParseCache(targetDir: string, key: string, env: NodeJS.ProcessEnv): CacheLookup {
  const path = join(targetDir, PARSE_CACHE_FILE);
  if (!fileExists(path)) return { miss: 'no cache yet' };
  let entry: ParseCacheEntry;
  try {
    entry = JSON.parse(readFileSync(path, 'utf8')) as ParseCacheEntry;
  } catch (error) {
    return { unreadable: `${path} is not valid JSON (${(error as Error).message})` };
  }
  if (entry === null || typeof entry !== 'object' || entry.format !== FORMAT || !isWellFormed(entry)) {
    return { unreadable: `${path} is not a parse cache of this tsdbt (format ${String((entry as { format?: unknown } | null)?.format)})` };
  }
  if (entry.build !== buildFingerprint()) return { miss: 'written by another tsdbt build' };
  if (entry.key !== key) return { miss: 'another command or options' };
  const changed = changedInput(entry.inputs, env);
  if (changed) return { miss: changed };
  const output = [entry.manifest, ...entry.compiled].find((file) => !unchanged(file));
  if (output) return { miss: `${output.path} changed since it was written` };
  return { entry };
}

export function outputStat(path: string): OutputStat {
  const { size, mtimeMs } = statSync(path);
  return { path, size, mtimeMs };
}

export function writeParseCache(targetDir: string, entry: Omit<ParseCacheEntry, 'format' | 'build'>): void {
  const content: ParseCacheEntry = { format: FORMAT, build: buildFingerprint(), ...entry };
  // Written last and whole: a command stopped before this point leaves no entry that claims its outputs.
  writeFileAtomically(join(targetDir, PARSE_CACHE_FILE), JSON.stringify(content));
}

/** The first input that no longer reads as recorded, described; undefined when all do. */
function changedInput(inputs: InputRecord, env: NodeJS.ProcessEnv): string | undefined {
  if (envDigest(inputs.env.names, env) !== inputs.env.digest) return 'an environment variable it read changed';
  for (const { roots, extensions, digest } of Object.values(inputs.listings)) {
    const paths = discoverFiles('/', roots, extensions).map((file) => file.absolutePath);
    if (digestOf(paths.join('\n')) !== digest) return `files were added to or removed from ${roots.join(', ')}`;
  }
  for (const [path, recorded] of Object.entries(inputs.files)) {
    if (recorded === null || recorded === PRESENT) {
      if (fileExists(path) !== (recorded === PRESENT)) return `${path} ${recorded === null ? 'appeared' : 'disappeared'}`;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch {
      return `${path} cannot be read`;
    }
    if (digestOf(bytes) !== recorded) return `${path} changed`;
  }
  return undefined;
}

function unchanged(file: OutputStat): boolean {
  try {
    const { size, mtimeMs } = statSync(file.path);
    return size === file.size && mtimeMs === file.mtimeMs;
  } catch {
    return false;
  }
}

function isWellFormed(entry: ParseCacheEntry): boolean {
  const { inputs, manifest } = entry;
  return (
    typeof entry.key === 'string' &&
    typeof entry.build === 'string' &&
    typeof entry.projectName === 'string' &&
    inputs !== null &&
    typeof inputs === 'object' &&
    typeof inputs.files === 'object' &&
    typeof inputs.listings === 'object' &&
    typeof inputs.env?.digest === 'string' &&
    Array.isArray(inputs.env.names) &&
    typeof manifest?.path === 'string' &&
    typeof manifest.metadataBytes === 'number' &&
    Array.isArray(entry.compiled) &&
    Array.isArray(entry.warnings) &&
    typeof entry.counts === 'object' &&
    typeof entry.compiledCount === 'number' &&
    typeof entry.target?.type === 'string'
  );
}

function writeFileAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeArtifactFile(temporary, content);
  renameSync(temporary, path);
}
