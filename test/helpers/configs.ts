/** Model configs as the compiler resolves them, for tests that call planners directly. */
import { bigqueryEngine } from '../../src/adapters/bigquery/engine.js';
import { duckdbEngine } from '../../src/adapters/duckdb/engine.js';
import { type ResolvedNodeConfig, resolveNodeConfig } from '../../src/compile/node-config.js';

const ENGINES = { duckdb: duckdbEngine, bigquery: bigqueryEngine } as const;

/**
 * A raw config (as written in YAML or {{config}}) checked and typed for `engine`, as compile does;
 * the first problem is thrown with its message.
 */
export function resolveConfig(
  raw: Record<string, unknown>,
  engine: keyof typeof ENGINES,
  kind: 'model' | 'seed' | 'snapshot' = 'model',
): { config: ResolvedNodeConfig; engineOptions: unknown } {
  const result = resolveNodeConfig(raw, {
    origin: () => ({ layer: 'template', location: { file: 'models/target.sql', line: 1, column: 1 } }),
    engine: ENGINES[engine],
    engineSpecs: [duckdbEngine.configSpec, bigqueryEngine.configSpec],
    nodeId: 'model.demo.target',
    kind,
  });
  if (result.errors.length > 0) throw result.errors[0];
  return { config: result.config!, engineOptions: result.engineOptions };
}
