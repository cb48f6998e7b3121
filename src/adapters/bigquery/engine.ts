import type { AdapterCapabilities, EngineDefinition } from '../adapter.js';
import { createBigqueryDialect } from './dialect.js';
import { bigqueryConfigSpec } from './model-config.js';
import { createBigqueryPlanner } from './planner.js';
import { type BigquerySettings, parseBigquerySettings } from './settings.js';
import { bigqueryUnitTests } from './unit-tests.js';

const capabilities: AdapterCapabilities = {
  parallelQueries: true,
  dryRun: true,
  incrementalStrategies: ['merge', 'delete+insert', 'insert_overwrite', 'append', 'microbatch', 'files'],
  databases: true,
  grants: true,
};

/** BigQuery over a Cloud Storage lake; the client libraries load only when a command connects. */
export const bigqueryEngine: EngineDefinition<BigquerySettings> = {
  type: 'bigquery',
  capabilities,
  defaultThreads: 1,
  configSpec: bigqueryConfigSpec,
  resolveSettings(output, { projectDir, env }) {
    const settings = parseBigquerySettings(output, projectDir, env);
    return { settings, schema: settings.dataset, lakeRoot: settings.lake ?? projectDir, database: settings.project, catalog: settings.project };
  },
  createDialect: (target) => createBigqueryDialect({ project: target.settings.project }),
  async createAdapter(target, context) {
    const { createBigqueryConnection } = await import('./connection.js');
    const dialect = createBigqueryDialect({ project: target.settings.project });
    return {
      type: 'bigquery',
      dialect,
      capabilities,
      planner: createBigqueryPlanner(dialect, target.settings.project),
      connection: createBigqueryConnection(target, context),
    };
  },
  unitTests: bigqueryUnitTests,
  remoteLake(target) {
    const { lake } = target.settings;
    if (!lake) return undefined;
    return {
      uri: lake,
      location: target.settings.location,
      createStorage: async () => (await import('./storage-client.js')).createStorageClient(target.settings),
    };
  },
};
