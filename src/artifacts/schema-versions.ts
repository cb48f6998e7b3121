import type { InvocationInfo } from '../execute/types.js';
import { TSDBT_VERSION } from '../version.js';

// One place for artifact versions. Layouts follow dbt's so existing tooling can read them.
export const MANIFEST_SCHEMA = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
export const RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
export const SOURCES_SCHEMA = 'https://schemas.getdbt.com/dbt/sources/v3.json';
export const CATALOG_SCHEMA = 'https://schemas.getdbt.com/dbt/catalog/v1.json';

/**
 * The metadata every artifact starts with. dbt's schemas allow no keys of their own: tsdbt's
 * version, target and database go into `env` (string values, as dbt's custom environment).
 * The manifest also names the project and the adapter, which its schema allows.
 */
export function metadata(schema: string, invocation: InvocationInfo, manifest?: { projectName: string }): Record<string, unknown> {
  return {
    dbt_schema_version: schema,
    generated_at: invocation.generatedAt,
    invocation_id: invocation.invocationId,
    invocation_started_at: invocation.generatedAt,
    ...(manifest ? { project_name: manifest.projectName, adapter_type: invocation.adapterType } : {}),
    env: {
      TSDBT_VERSION: TSDBT_VERSION,
      TSDBT_TARGET: invocation.targetName,
      TSDBT_ADAPTER: invocation.adapterType,
      ...(invocation.database ? { TSDBT_DATABASE: invocation.database } : {}),
    },
  };
}
