import * as jsYaml from 'js-yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** `--vars '{key: value}'` (YAML or JSON text, or an object from the API) merged over project.yml vars. */
export function resolveVars(projectVars: Record<string, unknown>, cliVars: string | Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...projectVars, ...parseCliVars(cliVars) };
}

/** The mapping `--vars` holds; a usage error when it is not YAML or JSON of a mapping. */
export function parseCliVars(cliVars: string | Record<string, unknown> | undefined): Record<string, unknown> {
  if (!cliVars) return {};
  if (typeof cliVars === 'object') return cliVars;
  let parsed: unknown;
  try {
    parsed = jsYaml.load(cliVars, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    throw new TsdbtError(`--vars is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
      code: 'E_VARS',
      kind: 'usage',
      hint: `write --vars '{name: value, other: 2}'`,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TsdbtError('--vars must be a mapping of names to values', { code: 'E_VARS', kind: 'usage', hint: `write --vars '{name: value}'` });
  }
  return parsed as Record<string, unknown>;
}
