import { fileExists } from './input-journal.js';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { didYouMean } from '../errors/suggest.js';
import { type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { interpolateDeep, interpolateEnv } from './env-interpolation.js';
import { readYamlFile, type YamlFile, type YamlPath } from './yaml-file.js';

/**
 * One output of profiles.yml, environment variables interpolated, before its adapter reads it.
 * Only the keys every engine shares are read here; the adapter of `type` validates the rest
 * (adapters/registry.ts `resolveTarget`), so that nothing else ever reads raw settings.
 */
export interface ProfileOutput {
  profileName: string;
  name: string;
  type: string;
  /** --threads, else the output's `threads` (unset: the engine's default). */
  threads?: number;
  /** The output's keys as written, after `{{env}}` interpolation. */
  values: Readonly<Record<string, unknown>>;
  profilesFile: string;
  file: YamlFile;
  /** Where the output is in profiles.yml (for errors about its keys). */
  path: YamlPath;
  locate(key?: string | YamlPath): SourceLocation;
}

export interface ProfileOptions {
  projectDir: string;
  profileName: string;
  profilesDir?: string;
  target?: string;
  threads?: number;
  env?: NodeJS.ProcessEnv;
}

/** Where profiles.yml is looked for: flag, env var, project folder, then ~/.tsdbt. */
export function profilesSearchPath(projectDir: string, profilesDir: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (profilesDir) return [resolve(profilesDir)];
  const dirs = [] as string[];
  if (env.TSDBT_PROFILES_DIR) dirs.push(resolve(env.TSDBT_PROFILES_DIR));
  dirs.push(projectDir, join(homedir(), '.tsdbt'));
  return dirs;
}

export function loadProfileOutput(options: ProfileOptions): ProfileOutput {
  const env = options.env ?? process.env;
  const dirs = profilesSearchPath(options.projectDir, options.profilesDir, env);
  const path = dirs.map((dir) => join(dir, 'profiles.yml')).find((p) => fileExists(p));
  if (!path) {
    throw new TsdbtError(`profiles.yml not found (looked in ${dirs.join(', ')})`, {
      code: 'E_NO_PROFILES',
      kind: 'config',
      hint: 'create profiles.yml in the project folder (tsdbt init writes one) or pass --profiles-dir',
    });
  }
  const display = path.startsWith(`${options.projectDir}/`) ? path.slice(options.projectDir.length + 1) : path;
  const file = readYamlFile(path, 'config', display);
  const profiles = (file.data ?? {}) as Record<string, unknown>;
  const profile = profiles[options.profileName] as Record<string, unknown> | undefined;
  if (!profile || typeof profile !== 'object') {
    throw new TsdbtError(`profile "${options.profileName}" not found in ${display}`, {
      code: 'E_NO_PROFILE',
      kind: 'config',
      location: { file: display },
      hint:
        didYouMean(options.profileName, Object.keys(profiles)) ??
        `add a top-level "${options.profileName}:" entry, or set "profile:" in project.yml to one of: ${Object.keys(profiles).join(', ') || '(none)'}`,
    });
  }
  const outputs = (profile.outputs ?? {}) as Record<string, unknown>;
  const defaultTarget =
    typeof profile.target === 'string' ? interpolateEnv(profile.target, env, () => file.locate([options.profileName, 'target'])) : undefined;
  const targetName = options.target ?? defaultTarget ?? Object.keys(outputs)[0];
  const rawOutput = targetName === undefined ? undefined : outputs[targetName];
  if (!targetName || !rawOutput || typeof rawOutput !== 'object') {
    throw new TsdbtError(`target "${targetName ?? ''}" not found in profile "${options.profileName}" (${display})`, {
      code: 'E_NO_TARGET',
      kind: 'config',
      location: file.locate([options.profileName, 'outputs']),
      hint: (targetName && didYouMean(targetName, Object.keys(outputs))) || `available targets: ${Object.keys(outputs).join(', ') || '(none)'}`,
    });
  }
  const outputPath = [options.profileName, 'outputs', targetName];
  const values = interpolateDeep(rawOutput, env, (p) => file.locate([...outputPath, ...p])) as Record<string, unknown>;
  const locate = (key?: string | YamlPath) => file.locate(key === undefined ? outputPath : [...outputPath, ...(typeof key === 'string' ? [key] : key)]);
  if (typeof values.type !== 'string') {
    throw new TsdbtError(`target "${targetName}" has no "type"`, {
      code: 'E_TARGET_TYPE',
      kind: 'config',
      location: locate(),
      hint: 'set type: duckdb (or bigquery)',
    });
  }
  const threads = options.threads ?? (values.threads === undefined ? undefined : Number(values.threads));
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new TsdbtError(`threads must be a positive integer, got ${String(values.threads)}`, {
      code: 'E_THREADS',
      kind: 'config',
      location: locate('threads'),
      hint: 'use threads: 1 or more',
    });
  }
  return {
    profileName: options.profileName,
    name: targetName,
    type: values.type,
    threads,
    values,
    profilesFile: display,
    file,
    path: outputPath,
    locate,
  };
}
