import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';

// `{{env "NAME" "default"}}` (tsdbt) and `{{ env_var('NAME', 'default') }}` (dbt, for migration).
const ENV_PATTERN = /\{\{\s*(?:env\s+(["'])([^"']+)\1(?:\s+(["'])([^"']*)\3)?|env_var\(\s*(["'])([^"']+)\5\s*(?:,\s*(["'])([^"']*)\7\s*)?\))\s*\}\}/g;

/** Replaces environment references in a config string; a missing variable without default is an error. */
export function interpolateEnv(value: string, env: NodeJS.ProcessEnv, location: () => SourceLocation): string {
  return value.replace(ENV_PATTERN, (_match, _q1, name1, _q2, default1, _q3, name2, _q4, default2) => {
    const name = (name1 ?? name2) as string;
    const fallback = (default1 ?? default2) as string | undefined;
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    throw new TsdbtError(`environment variable ${name} is not set`, {
      code: 'E_ENV_MISSING',
      kind: 'config',
      location: location(),
      hint: `export ${name}=... before running, or give a default: {{env "${name}" "default"}}`,
    });
  });
}

/** Interpolates every string inside a parsed YAML value, reporting the line of a failure. */
export function interpolateDeep(
  value: unknown,
  env: NodeJS.ProcessEnv,
  locate: (path: Array<string | number>) => SourceLocation,
  path: Array<string | number> = [],
): unknown {
  if (typeof value === 'string') return interpolateEnv(value, env, () => locate(path));
  if (Array.isArray(value)) return value.map((item, index) => interpolateDeep(item, env, locate, [...path, index]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = interpolateDeep(item, env, locate, [...path, key]);
    return out;
  }
  return value;
}
