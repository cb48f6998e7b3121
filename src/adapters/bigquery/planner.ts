import type { Dialect } from '../../compile/dialect.js';
import type { Planner } from '../adapter.js';
import { freshnessQuery, testHistoryStatements } from '../portable-sql.js';
import { plain } from '../statements.js';
import { incrementalPlan, tablePlan, viewPlan } from './ddl.js';
import { externalTableStatement } from './external.js';
import { seedPlan } from './seeds.js';

/** BigQuery's planner for one target (relations are qualified with its project). */
export function createBigqueryPlanner(dialect: Dialect, project: string | undefined): Planner {
  return {
    view: viewPlan,
    table: tablePlan,
    // The new rows' columns cost a dry run: only on_schema_change needs them.
    needsNewColumns: (model) => model.config.materialized === 'incremental' && model.config.incremental.onSchemaChange !== 'ignore',
    incremental: (model, existing, newColumns) => incrementalPlan({ model, existing, sourceColumns: newColumns }),
    seed: (seed, _existing, csv) => seedPlan(seed, csv).plans,
    sources: (sources, lakeRoot) =>
      sources
        .filter((source) => source.external)
        .map((source) => {
          const external = externalTableStatement(source, lakeRoot, project);
          return {
            source,
            schema: external.dataset,
            relation: external.relation,
            plan: { statements: [plain(external.statement)], verb: 'CREATE EXTERNAL TABLE' },
          };
        }),
    freshness: (source, lakeRoot, field, filter) => freshnessQuery(dialect, source, lakeRoot, field, filter),
    testHistory: (relation, rows) => testHistoryStatements(dialect, relation, rows),
  };
}
