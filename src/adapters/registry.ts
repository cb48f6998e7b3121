import type { Dialect } from '../compile/dialect.js';
import type { TargetConfig } from '../config/profiles.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Adapter, AdapterContext, AdapterFactory } from './adapter.js';

// Dialects are cheap and needed by compile; adapters load their engine client only when run.
const DIALECTS: Record<string, (target: TargetConfig) => Promise<Dialect>> = {
  duckdb: async () => (await import('./duckdb/dialect.js')).duckdbDialect,
  // Relations are qualified with the target's project: the dialect is made per target.
  bigquery: async (target) => (await import('./bigquery/dialect.js')).createBigqueryDialect(target.settings),
};
const ADAPTERS: Record<string, () => Promise<AdapterFactory>> = {
  duckdb: async () => (await import('./duckdb/duckdb-adapter.js')).createDuckdbAdapter,
  bigquery: async () => (await import('./bigquery/bigquery-adapter.js')).createBigqueryAdapter,
};

export const SUPPORTED_ADAPTERS = Object.keys(ADAPTERS);

function unsupported(target: TargetConfig): TsdbtError {
  return new TsdbtError(`target "${target.name}" has type "${target.type}", which this tsdbt does not support`, {
    code: 'E_ADAPTER_TYPE',
    kind: 'config',
    location: target.locate('type'),
    hint: `use one of: ${SUPPORTED_ADAPTERS.join(', ')}`,
  });
}

export async function loadDialect(target: TargetConfig): Promise<Dialect> {
  const load = DIALECTS[target.type];
  if (!load) throw unsupported(target);
  return load(target);
}

export async function createAdapter(target: TargetConfig, projectDir: string, context: AdapterContext = {}): Promise<Adapter> {
  const load = ADAPTERS[target.type];
  if (!load) throw unsupported(target);
  return (await load())(target, projectDir, context);
}

/** The lake root of a target resolved against the project (the project itself when unset). */
export function lakeRoot(target: TargetConfig, projectDir: string, resolvePath: (base: string, p: string) => string): string {
  const lake = target.settings.lake;
  if (typeof lake !== 'string' || lake === '') return projectDir;
  return /^[a-z]+:\/\//.test(lake) ? lake : resolvePath(projectDir, lake);
}

/**
 * The in-memory DuckDB that unit tests run on, whatever the target: its target config, for
 * compiling unit tests in its dialect and for creating it.
 */
export function scratchTarget(threads = 1): TargetConfig {
  return {
    profileName: 'scratch',
    name: 'unit-tests',
    type: 'duckdb',
    threads,
    schema: 'main',
    settings: { type: 'duckdb', path: ':memory:' },
    profilesFile: '(in memory)',
    locate: () => ({ file: '(in memory)' }),
  };
}

export async function createScratchAdapter(projectDir: string, threads: number): Promise<Adapter> {
  return createAdapter(scratchTarget(threads), projectDir);
}
