import { availableParallelism } from 'node:os';
import type { AdapterCapabilities, EngineDefinition, ResolvedTarget, ScratchAdapter } from '../adapter.js';
import { duckdbDialect } from './dialect.js';
import { duckdbPlanner } from './planner.js';
import { type DuckdbSettings, resolveDuckdbSettings } from './settings.js';

const capabilities: AdapterCapabilities = {
  parallelQueries: true,
  dryRun: false,
  incrementalStrategies: ['append', 'merge', 'delete+insert', 'microbatch', 'files'],
  databases: false,
  grants: false,
};

/** Embedded DuckDB: the default engine, and the in-memory engine unit tests run on. */
export const duckdbEngine: EngineDefinition<DuckdbSettings> = {
  type: 'duckdb',
  capabilities,
  // Embedded: one thread per core runs independent models at once.
  defaultThreads: availableParallelism(),
  // DuckDB has no config keys of its own: every model config it reads is dbt's common set.
  configSpec: { engine: 'duckdb', keys: {}, unsupported: {}, parse: () => ({}) },
  resolveSettings: (output, { projectDir }) => resolveDuckdbSettings(output, projectDir),
  createDialect: () => duckdbDialect,
  createAdapter: (target) => createDuckdbAdapter(target),
};

async function createDuckdbAdapter(target: ResolvedTarget<DuckdbSettings>): Promise<ScratchAdapter> {
  // The engine's client loads only when a command connects: compile never imports it.
  const { createDuckdbConnection } = await import('./connection.js');
  return { type: 'duckdb', dialect: duckdbDialect, capabilities, planner: duckdbPlanner, connection: createDuckdbConnection(target) };
}

/** An in-memory database, whatever the project's target: where unit tests run, opened. */
export async function createScratchAdapter(threads: number): Promise<ScratchAdapter> {
  const adapter = await createDuckdbAdapter(scratchDuckdbTarget(threads));
  await adapter.connection.open();
  return adapter;
}

function scratchDuckdbTarget(threads: number): ResolvedTarget<DuckdbSettings> {
  return {
    profileName: 'scratch',
    name: 'unit-tests',
    type: 'duckdb',
    threads,
    schema: 'main',
    catalog: 'memory',
    lakeRoot: '.',
    settings: { databasePath: ':memory:', path: ':memory:', options: {}, extensions: [] },
    profilesFile: '(in memory)',
    display: { type: 'duckdb', path: ':memory:' },
    locate: () => ({ file: '(in memory)' }),
  };
}
