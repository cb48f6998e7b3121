import type { Storage } from '@google-cloud/storage';
import type { Dialect } from '../compile/dialect.js';
import type { CompiledSql } from '../compile/line-map.js';
import type { EngineConfigSpec, IncrementalStrategy, ModelMaterialization, ResolvedModelConfig, ResolvedSeedConfig } from '../compile/node-config.js';
import type { ProfileOutput } from '../config/profiles.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { SourceTable } from '../project/types.js';

/** What an adapter reads out of its profiles.yml output, once, at load. */
export interface ResolvedSettings<S> {
  settings: S;
  /** Default schema (DuckDB) or dataset (BigQuery) of relations without a `schema` config. */
  schema: string;
  /** Root the sources' `external.location` is relative to: a local folder or a gs:// prefix. */
  lakeRoot: string;
  /** Where the target's data lives (a DuckDB file, a GCP project), recorded for --defer. */
  database?: string;
}

/** A target ready to compile and run against: the adapter's typed, readonly settings. */
export interface ResolvedTarget<S = unknown> extends Readonly<ResolvedSettings<S>> {
  readonly profileName: string;
  readonly name: string;
  readonly type: string;
  readonly threads: number;
  readonly profilesFile: string;
  /** The output as written in profiles.yml, secrets masked at any depth (what `tsdbt debug` prints). */
  readonly display: Readonly<Record<string, unknown>>;
  locate(key?: string): SourceLocation;
}

/** A lake in Cloud Storage that `tsdbt lake` lists and pushes to (the only object store tsdbt reads). */
export interface RemoteLake {
  /** e.g. gs://bucket/prefix */
  uri: string;
  location?: string;
  createStorage(): Promise<Storage>;
}

/**
 * An engine as the rest of tsdbt sees it. Importing a definition is cheap (no engine client):
 * compile needs the dialect only; the client loads when a command connects.
 */
export interface EngineDefinition<S> {
  readonly type: string;
  readonly capabilities: AdapterCapabilities;
  /** The engine's own model and seed config keys, validated at compile time. */
  readonly configSpec: EngineConfigSpec;
  /** Validates the profiles.yml output (unknown keys are errors with their line) into typed settings. */
  resolveSettings(output: ProfileOutput, context: { projectDir: string; env: NodeJS.ProcessEnv }): ResolvedSettings<S>;
  createDialect(target: ResolvedTarget<S>): Dialect;
  createAdapter(target: ResolvedTarget<S>, context: AdapterContext): Promise<Adapter>;
  /** The object-storage lake of the target, when the engine reads its sources from one. */
  remoteLake?(target: ResolvedTarget<S>): RemoteLake | undefined;
}

/** What the engine can do; the scheduler reads flags, never engine names. */
export interface AdapterCapabilities {
  /** Several queries really run at once (false: extra threads only queue). */
  parallelQueries: boolean;
  /** DDL can be rolled back, so a failed replace leaves the old relation. */
  transactionalDdl: boolean;
  /** Statements can be validated and priced without running (`--dry-run`). */
  dryRun: boolean;
  /** The incremental strategies the engine can run (others are compile errors naming the engine). */
  incrementalStrategies: readonly IncrementalStrategy[];
  /** Models may live in another database than the target's (BigQuery: another project). */
  databases: boolean;
}

/** A model as the adapter needs it to build its relation. */
export interface ModelToMaterialize {
  uniqueId: string;
  name: string;
  materialized: ModelMaterialization;
  schema: string;
  identifier: string;
  relationName: string;
  config: ResolvedModelConfig;
  /** The engine's own options, as its config spec parsed them at compile time (undefined: its defaults). */
  engineOptions: unknown;
  compiledSql: string;
  /** The model rendered with is_incremental() true (called only when the relation exists). */
  renderIncremental(): CompiledSql;
  /** For persist_docs: the model and column descriptions from YAML. */
  description?: string;
  columns?: Record<string, { description: string }>;
}

export interface SeedToLoad {
  uniqueId: string;
  name: string;
  schema: string;
  identifier: string;
  relationName: string;
  csvPath: string;
  config: ResolvedSeedConfig;
  engineOptions: unknown;
}

export interface MaterializeResult {
  rowsAffected?: number;
  /** Short status text for the console, e.g. "CREATE TABLE (1 234 rows)". */
  message: string;
  /** The statements executed, written to target/run/. */
  statements: string[];
  /** The model SELECT that actually ran (differs from compile for incremental runs). */
  executedSql?: string;
}

export interface DryRunResult {
  /** Estimated bytes the statement would read (BigQuery's totalBytesProcessed). */
  bytesProcessed: number;
  message: string;
}

export interface QueryResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** A failed statement; `sqlLine` is the line within the model's own SQL when known. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly sqlLine?: number,
    readonly reason?: string,
    readonly cancelled = false,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export interface Adapter {
  readonly type: string;
  readonly dialect: Dialect;
  readonly capabilities: AdapterCapabilities;
  /** Connects (and for DuckDB takes the file lock); throws TsdbtError with a clear message. */
  open(): Promise<void>;
  /** One line that says where we are connected, without secrets. */
  describe(): string;
  /** Creates missing schemas (datasets) up front: concurrent creation conflicts on most engines. */
  prepareSchemas(schemas: string[]): Promise<void>;
  /**
   * Makes the sources the run reads queryable where the engine needs objects for them
   * (BigQuery: external tables over the lake); a no-op where sources render inline.
   */
  prepareSources(sources: SourceTable[], lakeRoot: string | undefined): Promise<void>;
  /** Validates (and prices) what materialize would run, without running it. Needs capabilities.dryRun. */
  dryRun(model: ModelToMaterialize, options: { fullRefresh: boolean }): Promise<DryRunResult>;
  materialize(model: ModelToMaterialize, options: { fullRefresh: boolean }): Promise<MaterializeResult>;
  loadSeed(seed: SeedToLoad, options: { fullRefresh: boolean }): Promise<MaterializeResult>;
  query(sql: string, limit?: number): Promise<QueryResult>;
  /**
   * Makes another database of the same engine readable (the --state target for --defer) and
   * returns the prefix to put before its relation names ('' when it is this database).
   */
  attachForDeferral(location: string): Promise<string>;
  /** Cancels every running query (Ctrl-C, --fail-fast). */
  cancelAll(): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterContext {
  /** The invocation's id, for job labels and audit columns (the one in run_results.json). */
  invocationId?: string;
}
