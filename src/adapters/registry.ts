import type { Dialect } from '../compile/dialect.js';
import type { ProfileOutput } from '../config/profiles.js';
import { redactSecrets } from '../config/redact.js';
import { type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import type { EngineConfigSpec } from '../compile/node-config.js';
import type { Adapter, AdapterCapabilities, AdapterContext, EngineDefinition, QueryEvaluator, RemoteLake, ResolvedTarget, ScratchAdapter } from './adapter.js';

/**
 * An engine whose settings type is known only to itself. Every target is resolved by the engine
 * of its type and only ever handed back to that same engine, so widening S here is sound.
 */
type AnyEngine = EngineDefinition<unknown>;
const widen = <S>(engine: EngineDefinition<S>) => engine as unknown as AnyEngine;

const ENGINES: Record<string, () => Promise<AnyEngine>> = {
  duckdb: async () => widen((await import('./duckdb/engine.js')).duckdbEngine),
  bigquery: async () => widen((await import('./bigquery/engine.js')).bigqueryEngine),
};

export const SUPPORTED_ADAPTERS = Object.keys(ENGINES);

async function engineOf(target: { type: string; name: string; locate(key?: string): SourceLocation }): Promise<AnyEngine> {
  const load = ENGINES[target.type];
  if (!load) {
    throw new TsdbtError(`target "${target.name}" has type "${target.type}", which this tsdbt does not support`, {
      code: 'E_ADAPTER_TYPE',
      kind: 'config',
      location: target.locate('type'),
      hint: `use one of: ${SUPPORTED_ADAPTERS.join(', ')}`,
    });
  }
  return load();
}

/** profiles.yml output → the target its adapter validated; every command does this at load. */
export async function resolveTarget(output: ProfileOutput, projectDir: string, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTarget> {
  const engine = await engineOf(output);
  const resolved = engine.resolveSettings(output, { projectDir, env });
  return {
    ...resolved,
    profileName: output.profileName,
    name: output.name,
    type: output.type,
    threads: output.threads ?? engine.defaultThreads,
    profilesFile: output.profilesFile,
    display: redactSecrets(output.values) as Record<string, unknown>,
    locate: (key?: string) => output.locate(key),
  };
}

export async function loadDialect(target: ResolvedTarget): Promise<Dialect> {
  return (await engineOf(target)).createDialect(target);
}

/** What the compiler checks configs against: the target's engine, and every engine's own keys. */
export async function configCheckOf(
  target: ResolvedTarget,
): Promise<{ engine: { type: string; capabilities: AdapterCapabilities }; engineSpecs: EngineConfigSpec[] }> {
  const engine = await engineOf(target);
  const all = await Promise.all(Object.values(ENGINES).map((load) => load()));
  return { engine: { type: engine.type, capabilities: engine.capabilities }, engineSpecs: all.map((e) => e.configSpec) };
}

export async function createAdapter(target: ResolvedTarget, context: AdapterContext = {}): Promise<Adapter> {
  return (await engineOf(target)).createAdapter(target, context);
}

/** The Cloud Storage lake `tsdbt lake` works on; an error naming the engines that have one otherwise. */
export async function remoteLakeOf(target: ResolvedTarget): Promise<RemoteLake> {
  const engine = await engineOf(target);
  if (!engine.remoteLake) {
    const withLakes = (await Promise.all(Object.values(ENGINES).map((load) => load()))).filter((e) => e.remoteLake).map((e) => e.type);
    throw new TsdbtError(`tsdbt lake works on a ${withLakes.join(' or ')} target; target "${target.name}" is ${target.type}`, {
      code: 'E_USAGE',
      kind: 'usage',
      location: target.locate('type'),
      hint: 'pass the target whose lake is on GCS, e.g. --target prod',
    });
  }
  const lake = engine.remoteLake(target);
  if (!lake) {
    throw new TsdbtError(`target "${target.name}" has no lake`, {
      code: 'E_LAKE',
      kind: 'config',
      location: target.locate(),
      hint: "set lake: 'gs://bucket/prefix' on the target",
    });
  }
  return lake;
}

/**
 * How the target's unit tests run: on an evaluator of its own SQL when its engine has one that
 * runs here; otherwise on the scratch engine, with the reason when the engine has one that cannot.
 */
export async function unitTestEngineOf(target: ResolvedTarget): Promise<{ evaluator?: () => Promise<QueryEvaluator>; note?: string }> {
  const { unitTests } = await engineOf(target);
  if (!unitTests) return {};
  const problem = unitTests.unavailable();
  return problem ? { note: problem } : { evaluator: () => unitTests.start() };
}

/** The dialect of the engine unit tests run on. */
export async function scratchDialect(): Promise<Dialect> {
  return (await import('./duckdb/dialect.js')).duckdbDialect;
}

/** The in-memory DuckDB unit tests run on, whatever the target, opened. */
export async function createScratchAdapter(threads: number): Promise<ScratchAdapter> {
  return (await import('./duckdb/engine.js')).createScratchAdapter(threads);
}
