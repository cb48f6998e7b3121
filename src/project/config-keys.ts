import { didYouMean } from '../errors/suggest.js';

/** The config keys one kind of resource takes, and those dbt has that tsdbt refuses with what to do. */
export interface ConfigKeys {
  /** For messages: "test", "source". */
  what: string;
  known: readonly string[];
  unsupported: Readonly<Record<string, string>>;
}

/** Keys of a test's config (also read at the top level of a YAML test entry, as dbt does). */
export const TEST_CONFIG: ConfigKeys = {
  what: 'test',
  known: [
    'severity',
    'where',
    'limit',
    'warn_if',
    'error_if',
    'store_failures',
    'store_failures_as',
    'tags',
    'enabled',
    'meta',
    'fail_calc',
    'schema',
    'alias',
    'incremental',
  ],
  unsupported: { database: "failing rows are stored in the target's database: remove database" },
};

export const SOURCE_CONFIG: ConfigKeys = {
  what: 'source',
  known: ['enabled', 'tags', 'meta', 'event_time', 'freshness', 'loaded_at_field', 'bigquery_options'],
  unsupported: {
    loaded_at_query: 'loaded_at_query is not supported yet: give loaded_at_field (a column or SQL expression)',
    quoting: 'tsdbt quotes an identifier only where the engine needs it: remove quoting',
  },
};

/**
 * The message for a config key tsdbt does not take: "not supported yet" with what to do, or
 * unknown with the closest key; custom keys belong under meta (dbt 1.10's rule). Undefined: known.
 */
export function configKeyProblem(keys: ConfigKeys, key: string, extraKnown: readonly string[] = []): { message: string; hint: string } | undefined {
  if (keys.known.includes(key) || extraKnown.includes(key)) return undefined;
  const unsupported = keys.unsupported[key];
  if (unsupported) return { message: `${keys.what} config "${key}" is not supported yet`, hint: unsupported };
  const suggestion = didYouMean(key, [...keys.known, ...extraKnown]);
  return { message: `unknown ${keys.what} config "${key}"`, hint: `${suggestion ? `${suggestion} ` : ''}custom keys go under meta: (meta: {${key}: ...})` };
}
