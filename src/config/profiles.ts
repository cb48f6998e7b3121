import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { didYouMean } from '../errors/suggest.js';
import { interpolateDeep, interpolateEnv } from './env-interpolation.js';
import { readYamlFile } from './yaml-file.js';

/** One resolved output of profiles.yml: the connection tsdbt runs against. */
export interface TargetConfig {
  profileName: string;
  name: string;
  type: string;
  threads: number;
  /** Default schema (DuckDB) or dataset (BigQuery) for relations without a `schema` config. */
  schema: string;
  /** The output's keys after environment interpolation (adapters validate their own keys). */
  settings: Record<string, unknown>;
  profilesFile: string;
  locate(key?: string): SourceLocation;
}

export interface TargetOptions {
  projectDir: string;
  profileName: string;
  profilesDir?: string;
  target?: string;
  threads?: number;
  env?: NodeJS.ProcessEnv;
}

const SECRET_KEYS = /pass(word)?|secret|token|private_key|keyfile_json|credentials|api_key/i;

/** Where profiles.yml is looked for: flag, env var, project folder, then ~/.tsdbt. */
export function profilesSearchPath(projectDir: string, profilesDir: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (profilesDir) return [resolve(profilesDir)];
  const dirs = [] as string[];
  if (env.TSDBT_PROFILES_DIR) dirs.push(resolve(env.TSDBT_PROFILES_DIR));
  dirs.push(projectDir, join(homedir(), '.tsdbt'));
  return dirs;
}

export function loadTarget(options: TargetOptions): TargetConfig {
  const env = options.env ?? process.env;
  const dirs = profilesSearchPath(options.projectDir, options.profilesDir, env);
  const path = dirs.map((dir) => join(dir, 'profiles.yml')).find((p) => existsSync(p));
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
  const settings = interpolateDeep(rawOutput, env, (p) => file.locate([...outputPath, ...p])) as Record<string, unknown>;
  if (typeof settings.type !== 'string') {
    throw new TsdbtError(`target "${targetName}" has no "type"`, {
      code: 'E_TARGET_TYPE',
      kind: 'config',
      location: file.locate(outputPath),
      hint: 'set type: duckdb (or bigquery)',
    });
  }
  const threads = options.threads ?? Number(settings.threads ?? 1);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new TsdbtError(`threads must be a positive integer, got ${String(settings.threads)}`, {
      code: 'E_THREADS',
      kind: 'config',
      location: file.locate([...outputPath, 'threads']),
      hint: 'use threads: 1 or more',
    });
  }
  return {
    profileName: options.profileName,
    name: targetName,
    type: settings.type,
    threads,
    schema: String(settings.schema ?? settings.dataset ?? 'main'),
    settings,
    profilesFile: display,
    locate: (key) => file.locate(key ? [...outputPath, key] : outputPath),
  };
}

/** The target's settings with secrets masked, for `tsdbt debug` and artifacts. */
export function redactSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) out[key] = SECRET_KEYS.test(key) ? '****' : value;
  return out;
}
