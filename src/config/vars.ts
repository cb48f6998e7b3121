import * as jsYaml from 'js-yaml';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** `--vars '{key: value}'` (YAML or JSON text, or an object from the API) merged over project.yml vars. */
export function resolveVars(projectVars: Record<string, unknown>, cliVars: string | Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...projectVars, ...parseCliVars(cliVars) };
}

/** The mapping `--vars` holds; a usage error when it is not YAML or JSON of a mapping. */
export function parseCliVars(cliVars: string | Record<string, unknown> | undefined): Record<string, unknown> {
  return parseCliMapping(cliVars, '--vars');
}

/** A flag's YAML or JSON mapping (--vars, --args). */
export function parseCliMapping(text: string | Record<string, unknown> | undefined, flag: string): Record<string, unknown> {
  if (!text) return {};
  if (typeof text === 'object') return text;
  let parsed: unknown;
  try {
    parsed = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    throw new TsdbtError(`${flag} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, {
      code: 'E_VARS',
      kind: 'usage',
      hint: `write ${flag} '{name: value, other: 2}'`,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TsdbtError(`${flag} must be a mapping of names to values`, { code: 'E_VARS', kind: 'usage', hint: `write ${flag} '{name: value}'` });
  }
  return parsed as Record<string, unknown>;
}
