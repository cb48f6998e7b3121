import type { Storage } from '@google-cloud/storage';
import type { Dialect } from '../compile/dialect.js';
import type { NodeHooks } from '../compile/hook-config.js';
import type { CompiledSql } from '../compile/line-map.js';
import type { EngineConfigSpec, IncrementalStrategy, ResolvedModelConfig, ResolvedSeedConfig, ResolvedSnapshotConfig } from '../compile/node-config.js';
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
  /** The name of the database relations are in (DuckDB: the file's catalog, BigQuery: the project). */
  catalog: string;
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
  /** Threads when profiles.yml and --threads say none. */
  readonly defaultThreads: number;
  /** The engine's own model and seed config keys, validated at compile time. */
  readonly configSpec: EngineConfigSpec;
  /** Validates the profiles.yml output (unknown keys are errors with their line) into typed settings. */
  resolveSettings(output: ProfileOutput, context: { projectDir: string; env: NodeJS.ProcessEnv }): ResolvedSettings<S>;
  createDialect(target: ResolvedTarget<S>): Dialect;
  createAdapter(target: ResolvedTarget<S>, context: AdapterContext): Promise<Adapter>;
  /** The object-storage lake of the target, when the engine reads its sources from one. */
  remoteLake?(target: ResolvedTarget<S>): RemoteLake | undefined;
  /**
   * An offline evaluator of the engine's own SQL for unit tests (unset: they run on the scratch
   * engine, in its dialect). `unavailable` says, in a sentence for the user, why it cannot run here.
   */
  readonly unitTests?: { unavailable(): string | undefined; start(): Promise<QueryEvaluator> };
}

/**
 * An engine that evaluates one query without storage: unit tests of the target's SQL run on it,
 * their fixtures given as queries.
 */
export interface QueryEvaluator {
  /**
   * A SELECT returning these rows: columns cast to `types` where given (as a project writes them,
   * or the engine's own names with `native`), else typed from the values; undefined for no rows and no types.
   */
  fixtureQuery(
    rows: ReadonlyArray<Record<string, unknown>>,
    types: Record<string, string>,
    options?: { columns?: readonly string[]; native?: boolean },
  ): string | undefined;
  /** The result's columns (the engine's type names) and rows. */
  query(sql: string): Promise<{ columns: Column[]; rows: unknown[][] }>;
  close(): void;
}

/** What the engine can do; the scheduler reads flags, never engine names. */
export interface AdapterCapabilities {
  /** Several queries really run at once (false: extra threads only queue). */
  parallelQueries: boolean;
  /** Statements can be validated and priced without running (`--dry-run`). */
  dryRun: boolean;
  /** The incremental strategies the engine can run (others are compile errors naming the engine). */
  incrementalStrategies: readonly IncrementalStrategy[];
  /** Models may live in another database than the target's (BigQuery: another project). */
  databases: boolean;
  /** The engine has access control: `grants` configs become GRANT / REVOKE (false: they are ignored, with a warning). */
  grants: boolean;
}

/** A relation of the target: its quoted name and its parts. */
export interface RelationRef {
  relationName: string;
  schema: string;
  identifier: string;
}

export interface Column {
  name: string;
  type: string;
}

/** What exists under a relation's name (introspection; never part of a plan). */
export interface ExistingRelation {
  kind: 'table' | 'view' | 'other';
  /** The relation's columns, when asked for. */
  columns?: Column[];
  /** The engine's text of the physical layout (BigQuery: partitioning and clustering). */
  layout?: string;
  /** Row count, when asked for and known. */
  rows?: number;
  /** Role → grantees bound on the relation itself (inherited ones excluded), when asked for. */
  grants?: Record<string, string[]>;
}

/** What the warehouse holds under one relation, for catalog.json and the docs site. */
export interface CatalogRelation {
  kind: 'table' | 'view' | 'external' | 'other';
  /** In position order, with the engine's own type names. */
  columns: Column[];
  /** Row count and size on disk, where the engine keeps them without a scan. */
  rows?: number;
  bytes?: number;
  comment?: string;
}

/**
 * One statement of a plan. When it embeds a model's SQL, where (from line `embeds.line` of
 * `sql`), so that a line an engine reports maps back to the model's template.
 */
export interface Statement {
  sql: string;
  embeds?: { line: number; sql: CompiledSql; file: string };
  /** A pre- or post-hook's statement (its lines map to where the hook is written). */
  hook?: {
    /** `pre-hook 1 (project.yml:5)`. */
    label: string;
    /** A failure here leaves the relation this plan built (it ran, and could not be undone). */
    afterBuild: boolean;
  };
  /**
   * Runs outside the plan's transaction, where the engine has one (a hook with transaction: false):
   * those at the start run before it begins, those at the end after it commits.
   */
  outsideTransaction?: boolean;
}

/** The exact statements one materialization runs, in order; the engine runs them as one unit. */
export interface MaterializationPlan {
  statements: Statement[];
  /** For the console: CREATE TABLE, MERGE, … */
  verb: string;
  /** The statement whose row count is the number of new rows (a staging CTAS, a seed's insert). */
  countsNewRows?: number;
  /** The rows the plan inserts, when the planner knows them (a seed's values). */
  rows?: number;
  /** What a dry run sends instead of the whole plan (BigQuery cannot price a script that DECLAREs). */
  dryRun?: Statement;
}

/** A model as a planner needs it: its relation, typed config and the SELECT of this run. */
export interface PlannedModel extends RelationRef {
  uniqueId: string;
  name: string;
  /** The model's template (for messages). */
  file: string;
  config: ResolvedModelConfig;
  /** The engine's own options, as its config spec parsed them at compile time (undefined: its defaults). */
  engineOptions: unknown;
  /** The SELECT this run embeds: the compiled SQL, or its incremental rendering. */
  sql: CompiledSql;
  /** persist_docs: the model's and its columns' descriptions from YAML. */
  description: string;
  columns: Readonly<Record<string, { description: string }>>;
  /** Its pre- and post-hooks, rendered (unset: none). */
  hooks?: NodeHooks;
}

export interface PlannedSeed extends RelationRef {
  uniqueId: string;
  name: string;
  file: string;
  csvPath: string;
  config: ResolvedSeedConfig;
  engineOptions: unknown;
  description: string;
  columns: Readonly<Record<string, { description: string }>>;
  hooks?: NodeHooks;
}

/** A snapshot as a planner needs it: its relation, typed config and the SELECT whose rows it records. */
export interface PlannedSnapshot extends RelationRef {
  uniqueId: string;
  name: string;
  /** The snapshot's file (its SQL template, or the properties file that defines it). */
  file: string;
  config: ResolvedSnapshotConfig;
  engineOptions: unknown;
  sql: CompiledSql;
  description: string;
  columns: Readonly<Record<string, { description: string }>>;
  hooks?: NodeHooks;
}

/** A source made queryable by a plan of its own (BigQuery's external tables). */
export interface SourcePlan {
  source: SourceTable;
  /** The relation the plan creates. */
  relation: string;
  /** The schema (dataset) the plan writes into. */
  schema: string;
  plan: MaterializationPlan;
}

/** One row of the test history table. */
export interface TestHistoryRow {
  invocationId: string;
  command: string;
  targetName: string;
  uniqueId: string;
  testName: string;
  testType: 'data' | 'unit';
  attachedNode?: string;
  columnName?: string;
  status: string;
  failures?: number | null;
  message: string;
  executionTime: number;
  startedAt?: string;
  completedAt?: string;
}

/**
 * Turns typed models into the exact statements an engine runs. Pure: no connection, no I/O, so
 * golden files pin every materialization of every engine.
 */
export interface Planner {
  view(model: PlannedModel, existing: ExistingRelation | undefined): MaterializationPlan;
  table(model: PlannedModel, existing: ExistingRelation | undefined): MaterializationPlan;
  /** Whether an incremental run must know the columns of the new rows before planning. */
  needsNewColumns(model: PlannedModel): boolean;
  incremental(model: PlannedModel, existing: ExistingRelation, newColumns: Column[] | undefined): MaterializationPlan;
  /**
   * SCD type 2: without a table, creates it from the SELECT with the meta columns; else records
   * what changed since (new keys, changed rows, deletions per hard_deletes) in one unit.
   * `existing` has its columns; `sourceColumns` are the SELECT's, known when the table exists
   * (a first run does not need them).
   */
  snapshot(snapshot: PlannedSnapshot, existing: ExistingRelation | undefined, sourceColumns: readonly Column[] | undefined): MaterializationPlan;
  /** Plans run in order (one job cannot hold a large seed on BigQuery). `csv` is the file's text. */
  seed(seed: PlannedSeed, existing: ExistingRelation | undefined, csv: string): MaterializationPlan[];
  /** What makes lake sources queryable; empty where sources render inline as file readers. */
  sources(sources: readonly SourceTable[], lakeRoot: string): SourcePlan[];
  /** A query returning max_loaded_at, snapshotted_at and age_seconds of a source. */
  freshness(source: SourceTable, lakeRoot: string, field: string, filter: string | undefined): string;
  /** Creates the history table when missing and appends the rows. */
  testHistory(relation: RelationRef, rows: readonly TestHistoryRow[]): Statement[];
  /** Microbatch models (absent: the engine does not build them; the compiler refuses them). */
  readonly microbatch?: MicrobatchPlanner;
  /** Models loaded by lake file (absent: the engine does not build them; the compiler refuses them). */
  readonly files?: FilesPlanner;
  /** The record of what each node was built from (absent: every run builds everything). */
  readonly state?: StatePlanner;
}

/** What a node was last built from, and the version of what it holds (a test: its last status). */
export interface BuildRecord {
  uniqueId: string;
  inputDigest: string;
  outputVersion: string;
}

/** The state table of state-aware runs. Pure. */
export interface StatePlanner {
  /** A query returning unique_id, input_digest, output_version of every recorded node. */
  readBuilds(table: RelationRef): string;
  /** Creates the table when missing and records the builds (replacing earlier records of the same nodes), as one unit. */
  recordBuilds(table: RelationRef, records: readonly BuildRecord[]): Statement[];
}

/** A file of the lake as the engine lists it. */
export interface LakeFile {
  /** As the source's reader reports it in file_name_column. */
  path: string;
  size: number;
  /** Modification time (ms since the epoch); with the size, a file whose both are unchanged is not read again to hash it. */
  modifiedMs: number;
  /** A digest of the content (read on demand: hashing a local file reads it). */
  checksum(): Promise<string>;
}

/** One file a files model has loaded, as the state table records it. */
export interface LoadedFile {
  /** The input it came through: a source or a files parent (unique id). */
  inputId: string;
  /** Its identity: the path under the lake root (a moved lake root reloads nothing). */
  file: string;
  /** The path as the file column holds it (what a replacement deletes). */
  path: string;
  size: number;
  modifiedMs: number;
  checksum: string;
}

/** One run of a files model: what it replaces and what the state table records of it. */
export interface FilesChange {
  /** The state table (tsdbt_state.files). */
  table: RelationRef;
  uniqueId: string;
  /** Checksum of the model's compiled SQL. */
  sqlChecksum: string;
  invocationId: string;
  fileColumn: string;
  /** Rows of these paths are deleted before the new rows go in (changed and removed files). */
  deletePaths: readonly string[];
  /** Files whose records go (removed ones whose rows are deleted), by identity. */
  forget: ReadonlyArray<{ inputId: string; file: string }>;
  /** Files read by this run, recorded (replacing an earlier record of the same file) with their row count. */
  loaded: readonly LoadedFile[];
}

/**
 * Models loaded by lake file, on engines that build them: a run deletes the rows of the files it
 * replaces, inserts the rows of the files it read and records them, in one unit. Pure.
 */
export interface FilesPlanner {
  /** Creates the state table when missing. */
  filesTable(table: RelationRef): Statement[];
  /** A query returning the recorded files of models: unique_id, input_id, file, path, size, modified_ms, checksum, sql_checksum. */
  readFiles(table: RelationRef, uniqueIds: readonly string[]): string;
  /** `replace`: the table is created from the rows (no table, or a full refresh) and the model's older records forgotten. */
  load(
    model: PlannedModel,
    existing: ExistingRelation | undefined,
    change: FilesChange,
    options: { replace: boolean; newColumns?: Column[] },
  ): MaterializationPlan;
}

/** One batch of a microbatch model as the state table records it. */
export interface IntervalRecord {
  /** The state table (tsdbt_state.intervals). */
  table: RelationRef;
  uniqueId: string;
  /** ISO instants, [start, end). */
  start: string;
  end: string;
  /** Checksum of the model's compiled SQL. */
  checksum: string;
  invocationId: string;
}

/**
 * Microbatch models, on engines that build them: each batch replaces its slice of the table and
 * records itself in the state table, in one unit. Pure, like the rest of the planner.
 */
export interface MicrobatchPlanner {
  /** Creates the state table when missing (run once, before a model's batches). */
  intervalsTable(table: RelationRef): Statement[];
  /** A query returning the model's recorded batches: start_ms, end_ms, checksum, loaded_at_ms. */
  readIntervals(table: RelationRef, uniqueId: string): string;
  /**
   * One batch: `replace` (no table yet, or the first batch of a full refresh) creates the table
   * from the batch's rows and forgets the model's other intervals; else the rows whose event_time
   * is in the window are deleted and the batch's rows inserted. Either way the batch's interval
   * (its row count included) is recorded in the same unit.
   */
  batch(
    model: PlannedModel,
    existing: ExistingRelation | undefined,
    record: IntervalRecord,
    options: { replace: boolean; newColumns?: Column[] },
  ): MaterializationPlan;
}

/** SQL of the engine unit tests run on: fixtures from rows, and the row diff. */
export interface UnitTestPlanner {
  /** CREATE TABLE over literal rows; declared types are cast. Undefined when nothing says its columns. */
  fixtureTable(
    table: string,
    rows: ReadonlyArray<Record<string, unknown>>,
    types: Readonly<Record<string, string>>,
    only?: readonly string[],
  ): string | undefined;
  /** Rows of `expected` missing from `actual` and the reverse, counted with duplicates, labelled in __diff. */
  rowDiff(expected: string, actual: string): string;
}

/** A job's identity for the engine (BigQuery labels and job ids). */
export interface JobInfo {
  kind: 'model' | 'seed' | 'snapshot' | 'source' | 'test' | 'query';
  name: string;
}

export interface ExecutionReport {
  /** Rows of the statement the plan marked (countsNewRows). */
  newRows?: number;
  /** Rows the engine says the plan's DML changed. */
  rowsAffected?: number;
  bytesProcessed?: number;
}

export interface DryRunResult {
  /** Estimated bytes the statement would read (BigQuery's totalBytesProcessed). */
  bytesProcessed: number;
}

export interface QueryResult {
  columns: string[];
  rows: Array<Record<string, unknown>>;
}

/** Runs statements and maps the engine's errors; the only part of an adapter that talks to it. */
export interface Connection {
  /** Connects (and for DuckDB takes the file lock); throws TsdbtError with a clear message. */
  open(): Promise<void>;
  /** One line that says where we are connected, without secrets. */
  describe(): string;
  /** Creates missing schemas (datasets) up front: concurrent creation conflicts on most engines. */
  prepareSchemas(schemas: readonly string[]): Promise<void>;
  /**
   * Before the first write of a run: the sources' plans (external tables) to run once; in a dry
   * run, nothing is created and every statement is only validated.
   */
  prepareSources(plans: readonly SourcePlan[], options: { dryRun: boolean }): Promise<void>;
  /** What exists under the relation's name; `grants` only where capabilities.grants (not read in a dry run). */
  describeRelation(relation: RelationRef, want: { columns?: boolean; rows?: boolean; grants?: boolean }): Promise<ExistingRelation | undefined>;
  /**
   * The kinds of many relations in one query, for engines where a listing costs less than a
   * lookup per relation (DuckDB: one lookup in information_schema is ~2 ms). Absent relations are
   * not in the map. Unset: describeRelation per relation.
   */
  relationKinds?(relations: readonly RelationRef[]): Promise<Map<string, ExistingRelation['kind']>>;
  /** Every listed relation that exists, with its columns and stats: a few queries per schema, not one per relation. */
  catalog(relations: readonly RelationRef[]): Promise<Map<string, CatalogRelation>>;
  /** The columns a statement's SELECT returns, without running it. */
  queryColumns(statement: Statement, job: JobInfo): Promise<Column[]>;
  /** Runs a plan as one unit: a transaction (DuckDB), one script job (BigQuery). */
  execute(plan: MaterializationPlan, job: JobInfo): Promise<ExecutionReport>;
  /** Validates and prices a plan without running it. Needs capabilities.dryRun. */
  dryRun(plan: MaterializationPlan, job: JobInfo): Promise<DryRunResult>;
  query(sql: string, limit?: number): Promise<QueryResult>;
  /** The files of an external source's location, in path order (engines with planner.files). */
  lakeFiles?(source: SourceTable, lakeRoot: string): Promise<LakeFile[]>;
  /**
   * Makes another database of the same engine readable (the --state target for --defer) and
   * returns the prefix to put before its relation names ('' when it is this database). `stateDir`
   * is the --state folder, where a state copied from elsewhere keeps its database.
   */
  attachForDeferral(location: string, stateDir?: string): Promise<string>;
  /** Cancels every running query (Ctrl-C, --fail-fast). */
  cancelAll(): Promise<void>;
  close(): Promise<void>;
}

/** An engine's adapter: a pure planner, and a connection that runs what it plans. */
export interface Adapter {
  readonly type: string;
  readonly dialect: Dialect;
  readonly capabilities: AdapterCapabilities;
  readonly planner: Planner;
  readonly connection: Connection;
}

/** The engine unit tests run on (in memory), with the SQL of fixtures and diffs. */
export interface ScratchAdapter extends Adapter {
  readonly planner: Planner & UnitTestPlanner;
}

/**
 * A failed statement. `statement` is the index of the plan's statement that failed and `line`
 * the line within it, when the engine says; they map to the model's template (adapters/statements.ts).
 */
export class QueryError extends Error {
  readonly reason?: string;
  readonly cancelled: boolean;
  readonly statement?: number;
  readonly line?: number;
  constructor(message: string, details: { reason?: string; cancelled?: boolean; statement?: number; line?: number } = {}) {
    super(message);
    this.name = 'QueryError';
    this.reason = details.reason;
    this.cancelled = details.cancelled ?? false;
    this.statement = details.statement;
    this.line = details.line;
  }
}

export interface AdapterContext {
  /** The invocation's id, for job labels and audit columns (the one in run_results.json). */
  invocationId?: string;
}
