/** The tables BigQuery plans are analysed against and the model the planner tests plan. */
import type { PlannedModel, PlannedSeed } from '../../src/adapters/adapter.js';
import { resolveConfig } from '../helpers/configs.js';
import type { CatalogTable } from './zetasql-analyzer.js';

export const SRC: CatalogTable = {
  name: 'p.ds.src',
  columns: [
    { name: 'id', type: 'INT64' },
    { name: 'day', type: 'DATE' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'amount', type: 'FLOAT64' },
  ],
};

/** The model's table, with the source's columns. */
export const TARGET_TABLE: CatalogTable = { ...SRC, name: 'p.ds.target' };

/** The source's columns as the planner sees an existing table's. */
export const SRC_COLUMNS = SRC.columns.map((c) => ({ name: c.name, type: String(c.type) }));

/**
 * The model `p.ds.target` with this config as written (table unless it says otherwise): the
 * compiler's checks run first and throw the first problem.
 */
export function plannedModel(raw: Record<string, unknown>, extra: Partial<PlannedModel> & { select: string }): PlannedModel {
  const { config, engineOptions } = resolveConfig({ materialized: 'table', ...raw }, 'bigquery');
  if (config.materialized === 'seed' || config.materialized === 'snapshot') throw new Error(`a ${config.materialized} config`);
  const { select, ...rest } = extra;
  return {
    uniqueId: 'model.demo.target',
    name: 'target',
    file: 'models/target.sql',
    schema: 'ds',
    identifier: 'target',
    relationName: '`p.ds.target`',
    config,
    engineOptions,
    sql: { text: select, lines: [] },
    description: '',
    columns: {},
    ...rest,
  };
}

/** The seed `p.ds.codes` (seeds/codes.csv), its `code` column declared varchar. */
export function codesSeed(): PlannedSeed {
  const { config, engineOptions } = resolveConfig({ column_types: { code: 'varchar' } }, 'bigquery', 'seed');
  if (config.materialized !== 'seed') throw new Error('not a seed config');
  return {
    uniqueId: 'seed.demo.codes',
    name: 'codes',
    file: 'seeds/codes.csv',
    relationName: '`p.ds.codes`',
    schema: 'ds',
    identifier: 'codes',
    csvPath: 'seeds/codes.csv',
    config,
    engineOptions,
    description: '',
    columns: {},
  };
}
