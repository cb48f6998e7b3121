import type { Dialect } from '../../compile/dialect.js';
import type { NodeHooks } from '../../compile/hook-config.js';
import type { CommonConfig } from '../../compile/node-config.js';
import type { ExistingRelation, MaterializationPlan, Planner } from '../adapter.js';
import { withHooks } from '../hooks.js';
import { freshnessQuery, testHistoryStatements } from '../portable-sql.js';
import { plain } from '../statements.js';
import { desiredLayout, incrementalPlan, tablePlan, viewPlan } from './ddl.js';
import { grantStatements } from './grants.js';
import { createBigqueryMicrobatch } from './microbatch.js';
import { createBigqueryFiles } from './files.js';
import { externalTableStatement } from './external.js';
import { seedPlan } from './seeds.js';
import { snapshotPlan } from './snapshot.js';

/** BigQuery's planner for one target (relations are qualified with its project). */
export function createBigqueryPlanner(dialect: Dialect, project: string | undefined): Planner {
  return {
    view: (model, existing) => hooked(model, viewPlan(model, existing), 'VIEW', existing?.kind === 'view' ? existing : undefined),
    table: (model, existing) =>
      hooked(model, tablePlan(model, existing), 'TABLE', existing?.kind === 'table' && existing.layout === desiredLayout(model) ? existing : undefined),
    // The new rows' columns cost a dry run: only on_schema_change needs them.
    needsNewColumns: (model) => model.config.materialized === 'incremental' && model.config.incremental.onSchemaChange !== 'ignore',
    incremental: (model, existing, newColumns) => hooked(model, incrementalPlan({ model, existing, sourceColumns: newColumns }), 'TABLE', existing),
    snapshot: (snapshot, existing, sourceColumns) => hooked(snapshot, snapshotPlan(dialect, snapshot, existing, sourceColumns), 'TABLE', existing),
    seed: (seed, existing, csv) => {
      // A large seed is several jobs: the pre-hooks open the first, the post-hooks and grants close the last.
      const plans = seedPlan(seed, csv).plans;
      const last = plans.length - 1;
      return plans.map((plan, i) =>
        hooked(
          {
            relationName: seed.relationName,
            hooks: { pre: i === 0 ? (seed.hooks?.pre ?? []) : [], post: i === last ? (seed.hooks?.post ?? []) : [] },
            config: { grants: i === last ? seed.config.grants : {} },
          },
          plan,
          'TABLE',
          existing?.kind === 'table' ? existing : undefined,
        ),
      );
    },
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
    microbatch: createBigqueryMicrobatch(dialect, project),
    files: createBigqueryFiles(dialect, project),
  };
}

// A plan is one script job: every hook runs in it, in order, and there is no transaction to keep
// any of them out of (what ran before a failure stays).
const IN_SCRIPT = { transactional: false } as const;

/**
 * The node's hooks around its plan, and after its post-hooks the GRANT / REVOKE statements that make
 * the relation's bindings the config's. `kept` is what exists when the plan keeps that relation (its
 * current grants are then revoked where the config no longer lists them).
 */
function hooked(
  node: { relationName: string; hooks?: NodeHooks; config: Pick<CommonConfig, 'grants'> },
  plan: MaterializationPlan,
  kind: 'TABLE' | 'VIEW',
  kept: ExistingRelation | undefined,
): MaterializationPlan {
  return withHooks(plan, node.hooks, { ...IN_SCRIPT, afterPostHooks: grantStatements(node.relationName, kind, node.config.grants, kept?.grants) });
}
