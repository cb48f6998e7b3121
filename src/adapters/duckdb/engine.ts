import type { AdapterCapabilities, EngineDefinition, ResolvedTarget } from '../adapter.js';
import { duckdbDialect } from './dialect.js';
import { type DuckdbSettings, resolveDuckdbSettings } from './settings.js';

const capabilities: AdapterCapabilities = {
  parallelQueries: true,
  transactionalDdl: true,
  dryRun: false,
  incrementalStrategies: ['append', 'merge', 'delete+insert'],
  databases: false,
};

/** Embedded DuckDB: the default engine, and the in-memory engine unit tests run on. */
export const duckdbEngine: EngineDefinition<DuckdbSettings> = {
  type: 'duckdb',
  capabilities,
  // DuckDB has no config keys of its own: every model config it reads is dbt's common set.
  configSpec: { engine: 'duckdb', keys: {}, unsupported: {}, parse: () => ({}) },
  resolveSettings: (output, { projectDir }) => resolveDuckdbSettings(output, projectDir),
  createDialect: () => duckdbDialect,
  async createAdapter(target) {
    const { createDuckdbAdapter } = await import('./duckdb-adapter.js');
    return createDuckdbAdapter(target, capabilities);
  },
};

/** An in-memory database, whatever the project's target: where unit tests run. */
export function scratchDuckdbTarget(threads: number): ResolvedTarget<DuckdbSettings> {
  return {
    profileName: 'scratch',
    name: 'unit-tests',
    type: 'duckdb',
    threads,
    schema: 'main',
    lakeRoot: '.',
    settings: { databasePath: ':memory:', path: ':memory:', options: {}, extensions: [] },
    profilesFile: '(in memory)',
    display: { type: 'duckdb', path: ':memory:' },
    locate: () => ({ file: '(in memory)' }),
  };
}
