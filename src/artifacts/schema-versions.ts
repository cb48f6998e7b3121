import type { InvocationInfo } from '../execute/types.js';
import { TSDBT_VERSION } from '../version.js';

// One place for artifact versions. Layouts follow dbt's so existing tooling can read them.
export const MANIFEST_SCHEMA = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
export const RUN_RESULTS_SCHEMA = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
export const SOURCES_SCHEMA = 'https://schemas.getdbt.com/dbt/sources/v3.json';

export function metadata(schema: string, invocation: InvocationInfo, projectName?: string): Record<string, unknown> {
  return {
    dbt_schema_version: schema,
    tsdbt_version: TSDBT_VERSION,
    generated_at: invocation.generatedAt,
    invocation_id: invocation.invocationId,
    ...(projectName ? { project_name: projectName } : {}),
    adapter_type: invocation.adapterType,
    target_name: invocation.targetName,
    tsdbt_database: invocation.database ?? null,
    env: {},
  };
}
