import { z } from 'zod';
import { didYouMean } from '../errors/suggest.js';
import { parseInstant } from '../text/instant.js';
import { formatLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { type ConfigLayer, type KeyOrigin, toTagList } from '../project/config-merge.js';
import type { ModelContract } from './contract.js';
import { type Grants, type NodeHookConfig, resolveGrants, resolveHooks } from './hook-config.js';

export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral', 'seed', 'snapshot'] as const;
export type Materialization = (typeof MATERIALIZATIONS)[number];
export type ModelMaterialization = Exclude<Materialization, 'seed' | 'snapshot'>;

export const INCREMENTAL_STRATEGIES = ['append', 'merge', 'delete+insert', 'insert_overwrite', 'microbatch', 'files'] as const;
export type IncrementalStrategy = (typeof INCREMENTAL_STRATEGIES)[number];

export const SCHEMA_CHANGES = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;
export type OnSchemaChange = (typeof SCHEMA_CHANGES)[number];

/** What every model and seed config resolves to. */
export interface CommonConfig {
  enabled: boolean;
  tags: string[];
  meta: Record<string, unknown>;
  /** dbt's `docs` config: shown in the docs site, with an optional node colour. */
  docs: { show: boolean; nodeColor?: string };
  schema?: string;
  alias?: string;
  database?: string;
  persistDocs: { relation: boolean; columns: boolean };
  /** `full_refresh: true` always rebuilds; false never does, even with --full-refresh. */
  fullRefresh?: boolean;
  access: 'private' | 'protected' | 'public';
  group?: string;
  eventTime?: string;
  /** pre-hook / post-hook, in the order they run (project.yml levels, then properties YAML, then {{config}}). */
  hooks: NodeHookConfig;
  /** Role → grantees the relation's access should match (empty: access is left as it is). */
  grants: Grants;
}

export interface IncrementalConfig {
  strategy: IncrementalStrategy;
  uniqueKey: string[];
  onSchemaChange: OnSchemaChange;
  /** merge: the columns a matched row updates (default: all but the key), minus the excluded ones. */
  mergeUpdateColumns?: string[];
  mergeExcludeColumns: string[];
  /** incremental_strategy microbatch: how the model is cut into time batches. */
  microbatch?: MicrobatchConfig;
  /** incremental_strategy files: each lake file is a batch. */
  files?: FilesConfig;
}

export const REMOVED_FILES = ['keep', 'delete'] as const;

/** A model loaded file by file: which column names each row's file, and what a file that left the lake does. */
export interface FilesConfig {
  /** The model's column holding each row's file (unset: the file_name_column its lake sources or files parents share). */
  fileColumn?: string;
  /** keep (default): its rows stay and the run warns; delete: its rows are deleted. */
  removedFiles: (typeof REMOVED_FILES)[number];
}

export const BATCH_SIZES = ['hour', 'day', 'month', 'year'] as const;
export type BatchSize = (typeof BATCH_SIZES)[number];

/** A microbatch model's time slicing (dbt's keys, plus batch_timezone). */
export interface MicrobatchConfig {
  /** The model's own column holding each row's time: a batch replaces the rows whose value is in its window. */
  eventTime: string;
  batchSize: BatchSize;
  /** The first batch's start as written: a date (midnight in batch_timezone) or a timestamp (UTC without an offset). */
  begin: string;
  /** Batches before the first missing one that are built again (late data). */
  lookback: number;
  /** How many batches may run at once (1: one after the other). */
  concurrentBatches: number | 'threads';
  /** The IANA zone in which a day (month, year) starts: UTC by default. */
  timezone: string;
}

export type ResolvedModelConfig =
  | (CommonConfig & { materialized: 'view' | 'table' | 'ephemeral'; contract?: ModelContract })
  | (CommonConfig & { materialized: 'incremental'; incremental: IncrementalConfig; contract?: ModelContract });

export interface ResolvedSeedConfig extends CommonConfig {
  materialized: 'seed';
  columnTypes: Record<string, string>;
  /** Unset: the engine's default (DuckDB sniffs it, BigQuery takes a comma). */
  delimiter?: string;
}

export const SNAPSHOT_STRATEGIES = ['timestamp', 'check'] as const;
export type SnapshotStrategy = (typeof SNAPSHOT_STRATEGIES)[number];

export const HARD_DELETES = ['ignore', 'invalidate', 'new_record'] as const;
export type HardDeletes = (typeof HARD_DELETES)[number];

/** The names of the columns a snapshot adds (dbt's snapshot_meta_column_names). */
export interface SnapshotMetaColumns {
  validFrom: string;
  validTo: string;
  scdId: string;
  updatedAt: string;
  /** hard_deletes new_record: 'True' on the row that records a deletion, 'False' elsewhere. */
  isDeleted: string;
}

/** How a snapshot detects changes and records them (SCD type 2). */
export interface SnapshotConfig {
  strategy: SnapshotStrategy;
  /** SQL expressions over the snapshot's query (columns, usually), one per key part. */
  uniqueKey: string[];
  /** timestamp: the expression of a row's last change; check: optional, else the run's time. */
  updatedAt?: string;
  /** check: the columns compared (NULL-safe), or all of the query's. */
  checkCols: string[] | 'all';
  hardDeletes: HardDeletes;
  metaColumns: SnapshotMetaColumns;
  /** A SQL expression current rows hold in valid_to instead of NULL (dbt_valid_to_current). */
  validToCurrent?: string;
}

export interface ResolvedSnapshotConfig extends CommonConfig {
  materialized: 'snapshot';
  snapshot: SnapshotConfig;
}

export type ResolvedNodeConfig = ResolvedModelConfig | ResolvedSeedConfig | ResolvedSnapshotConfig;

/**
 * An engine's own config keys (BigQuery's partition_by, …). Every engine's keys are validated
 * whatever the target, so a mistake shows while developing on DuckDB; only the target's engine
 * uses them, and keys that change only the physical layout are portable this way.
 */
export interface EngineConfigSpec<O = unknown> {
  readonly engine: string;
  /** Keys the engine reads, and the materializations they apply to. */
  readonly keys: Readonly<Record<string, readonly Materialization[]>>;
  /** Keys of dbt's adapter for this engine that tsdbt does not implement, with what to do. */
  readonly unsupported: Readonly<Record<string, string>>;
  parse(config: Readonly<Record<string, unknown>>, materialized: Materialization, fail: ConfigFailure): O;
}

export type ConfigFailure = (key: string, message: string, hint: string) => void;

type Applies = readonly Materialization[] | 'all';
const ALL: Applies = 'all';
const MODELS: readonly Materialization[] = ['view', 'table', 'incremental', 'ephemeral'];
const BUILT: readonly Materialization[] = ['view', 'table', 'incremental', 'seed', 'snapshot'];
const INCREMENTAL: readonly Materialization[] = ['incremental'];
const SNAPSHOT: readonly Materialization[] = ['snapshot'];
const HOOKED: readonly Materialization[] = ['view', 'table', 'incremental', 'seed', 'snapshot'];

/** Every config key tsdbt implements, with the materializations it applies to. */
const KEYS: Record<string, Applies> = {
  materialized: ALL,
  enabled: ALL,
  tags: ALL,
  meta: ALL,
  docs: ALL,
  schema: BUILT,
  alias: BUILT,
  database: BUILT,
  persist_docs: BUILT,
  full_refresh: ['incremental', 'seed'],
  access: MODELS,
  group: MODELS,
  // Checked with the model's columns by compile/contract.ts.
  contract: MODELS,
  event_time: ALL,
  unique_key: ['incremental', 'snapshot'],
  incremental_strategy: INCREMENTAL,
  on_schema_change: INCREMENTAL,
  merge_update_columns: INCREMENTAL,
  merge_exclude_columns: INCREMENTAL,
  batch_size: INCREMENTAL,
  begin: INCREMENTAL,
  lookback: INCREMENTAL,
  concurrent_batches: INCREMENTAL,
  batch_timezone: INCREMENTAL,
  file_column: INCREMENTAL,
  removed_files: INCREMENTAL,
  column_types: ['seed'],
  delimiter: ['seed'],
  quote_columns: ['seed'],
  strategy: SNAPSHOT,
  updated_at: SNAPSHOT,
  check_cols: SNAPSHOT,
  hard_deletes: SNAPSHOT,
  invalidate_hard_deletes: SNAPSHOT,
  snapshot_meta_column_names: SNAPSHOT,
  dbt_valid_to_current: SNAPSHOT,
  target_schema: SNAPSHOT,
  target_database: SNAPSHOT,
  'pre-hook': HOOKED,
  'post-hook': HOOKED,
  pre_hook: HOOKED,
  post_hook: HOOKED,
  grants: HOOKED,
};

/** dbt config keys tsdbt knows and does not implement yet: refused, with what to do instead. */
const NOT_SUPPORTED: Record<string, string> = {
  sql_header: 'sql_header is not supported yet: put session settings in an on-run-start hook',
  incremental_predicates: 'incremental_predicates are not supported yet: filter the new rows in the model (is_incremental())',
  on_configuration_change: 'materialized views are not supported yet',
  packages: 'Python models are not supported',
  submission_method: 'Python models are not supported',
};

const UNSUPPORTED_MATERIALIZATIONS: Record<string, string> = {
  materialized_view: 'materialized views are not supported yet: use table (or incremental)',
  external: 'external materializations are not supported: use table, or COPY … TO in an on-run-end hook',
  dynamic_table: 'dynamic tables are Snowflake-only',
};

export interface ConfigContext {
  /** Where the key was set (lazily: locating YAML re-parses it). */
  origin(key: string): KeyOrigin;
  /** Each level that sets a key whose values add up (hooks, grants), outer first: where each item was written. */
  layers?(key: string): ConfigLayer[];
  /** The target's engine: what it can build decides what compiles. */
  engine: { type: string; capabilities: { incrementalStrategies: readonly IncrementalStrategy[]; databases: boolean; grants?: boolean } };
  /** Every engine's own keys (the target's included). */
  engineSpecs: readonly EngineConfigSpec[];
  nodeId: string;
  /** Model, seed or snapshot: what the node may be materialized as, and messages. */
  kind: 'model' | 'seed' | 'snapshot';
}

export interface ResolvedConfigResult {
  config?: ResolvedNodeConfig;
  /** Parsed by the target engine's spec (typed by that engine). */
  engineOptions?: unknown;
  errors: TsdbtError[];
  warnings: string[];
}

const keyList = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : typeof value === 'string' && value.trim() !== ''
      ? value
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
      : [];

const schemas = {
  enabled: z.boolean(),
  meta: z.record(z.string(), z.unknown()),
  docs: z.strictObject({ show: z.boolean().optional(), node_color: z.string().optional() }),
  name: z.string().trim().min(1, 'must not be empty'),
  persist_docs: z.union([z.boolean(), z.strictObject({ relation: z.boolean().optional(), columns: z.boolean().optional() })]),
  full_refresh: z.boolean().nullable(),
  access: z.enum(['private', 'protected', 'public']),
  keys: z.union([z.string(), z.array(z.string())]),
  column_types: z.record(z.string(), z.string()),
  delimiter: z.string().length(1, 'must be one character'),
  quote_columns: z.boolean(),
};

/**
 * A model's or seed's merged config (project.yml < properties YAML < {{config}}) checked and
 * typed at compile time: unknown keys, keys tsdbt does not implement, invalid values and
 * strategies the target engine cannot run are errors at the place the key was written.
 */
interface EngineKeys {
  engineKeys: ReadonlyMap<string, { spec: EngineConfigSpec; applies: readonly Materialization[] }>;
  engineUnsupported: ReadonlyMap<string, { spec: EngineConfigSpec; hint: string }>;
  /** Every key a config may hold, for did-you-mean. */
  known: readonly string[];
}

// One project compiles thousands of nodes against the same engine specs: index them once.
const engineKeysCache = new WeakMap<readonly EngineConfigSpec[], EngineKeys>();

function engineKeysOf(specs: readonly EngineConfigSpec[]): EngineKeys {
  const cached = engineKeysCache.get(specs);
  if (cached) return cached;
  const engineKeys = new Map<string, { spec: EngineConfigSpec; applies: readonly Materialization[] }>();
  const engineUnsupported = new Map<string, { spec: EngineConfigSpec; hint: string }>();
  for (const spec of specs) {
    for (const [key, applies] of Object.entries(spec.keys)) engineKeys.set(key, { spec, applies });
    for (const [key, hint] of Object.entries(spec.unsupported)) engineUnsupported.set(key, { spec, hint });
  }
  const indexed = { engineKeys, engineUnsupported, known: [...Object.keys(KEYS), ...engineKeys.keys()] };
  engineKeysCache.set(specs, indexed);
  return indexed;
}

export function resolveNodeConfig(raw: Readonly<Record<string, unknown>>, context: ConfigContext): ResolvedConfigResult {
  const errors: TsdbtError[] = [];
  const warnings: string[] = [];
  const fail: ConfigFailure = (key, message, hint) => {
    const { location } = context.origin(key);
    errors.push(new TsdbtError(message, { code: 'E_CONFIG', kind: 'project', nodeId: context.nodeId, location, hint }));
  };

  const materializedRaw = raw.materialized === undefined ? (context.kind === 'model' ? 'view' : context.kind) : String(raw.materialized);
  if (context.kind === 'model' && !MODELS.includes(materializedRaw as Materialization)) {
    const unsupported = UNSUPPORTED_MATERIALIZATIONS[materializedRaw];
    fail(
      'materialized',
      materializedRaw === 'snapshot'
        ? 'a model cannot be materialized as a snapshot'
        : unsupported
          ? `materialization "${materializedRaw}" is not supported yet`
          : `unknown materialization "${materializedRaw}"`,
      materializedRaw === 'snapshot'
        ? 'move the file to snapshots/ (its config: strategy, unique_key, updated_at or check_cols), or define the snapshot in YAML under snapshots: with relation:'
        : (unsupported ?? didYouMean(materializedRaw, MODELS) ?? `use one of: ${MODELS.join(', ')}`),
    );
    return { errors, warnings };
  }
  if (context.kind === 'seed' && materializedRaw !== 'seed') {
    fail('materialized', `a seed is always loaded as a table, not materialized as "${materializedRaw}"`, 'remove materialized: from the seed config');
    return { errors, warnings };
  }
  if (context.kind === 'snapshot' && materializedRaw !== 'snapshot') {
    fail('materialized', `a snapshot is always a snapshot table, not materialized as "${materializedRaw}"`, 'remove materialized: from the snapshot config');
    return { errors, warnings };
  }
  const materialized = materializedRaw as Materialization;

  const { engineKeys, engineUnsupported, known } = engineKeysOf(context.engineSpecs);

  for (const key of Object.keys(raw)) {
    if (raw[key] === undefined) continue;
    if (key in KEYS || engineKeys.has(key)) {
      const applies = KEYS[key] ?? engineKeys.get(key)!.applies;
      if (applies !== 'all' && !applies.includes(materialized) && context.origin(key).layer !== 'project') {
        const what = materialized === context.kind ? context.kind : `${materialized} ${context.kind}`;
        warnings.push(`${formatLocation(context.origin(key).location)}: ${key} has no effect on a ${what} (it applies to ${applies.join(', ')})`);
      }
      continue;
    }
    if (key === 'constraints') {
      fail(
        key,
        'constraints is not a config: it is a property of a model or of its columns',
        'write constraints: under the model in its properties YAML (beside columns:), or under one of its columns',
      );
      continue;
    }
    const hint = NOT_SUPPORTED[key] ?? engineUnsupported.get(key)?.hint;
    if (hint) {
      const engine = engineUnsupported.get(key)?.spec.engine;
      fail(key, `config "${key}"${engine ? ` (${engine})` : ''} is not supported yet`, hint);
      continue;
    }
    const suggestion = didYouMean(key, known);
    fail(key, `unknown config "${key}"`, `${suggestion ? `${suggestion} ` : ''}custom keys go under meta: (meta: {${key}: ...})`);
  }

  const value = <T>(key: string, schema: z.ZodType<T>): T | undefined => {
    if (raw[key] === undefined) return undefined;
    const parsed = schema.safeParse(raw[key]);
    if (parsed.success) return parsed.data;
    fail(key, `config ${key}: ${parsed.error.issues[0]!.message}, got ${JSON.stringify(raw[key])}`, `see the ${key} documentation`);
    return undefined;
  };
  const persistDocs = value('persist_docs', schemas.persist_docs);
  const docs = value('docs', schemas.docs);
  const hooks = resolveHooks(raw, context);
  const grants = resolveGrants(raw, context);
  errors.push(...hooks.errors, ...grants.errors);
  const common: CommonConfig = {
    enabled: value('enabled', schemas.enabled) ?? true,
    tags: toTagList(raw.tags),
    meta: value('meta', schemas.meta) ?? {},
    docs: { show: docs?.show ?? true, nodeColor: docs?.node_color },
    schema: value('schema', schemas.name),
    alias: value('alias', schemas.name),
    database: value('database', schemas.name),
    persistDocs:
      persistDocs === true
        ? { relation: true, columns: true }
        : { relation: persistDocs ? persistDocs.relation === true : false, columns: persistDocs ? persistDocs.columns === true : false },
    fullRefresh: value('full_refresh', schemas.full_refresh) ?? undefined,
    access: value('access', schemas.access) ?? 'protected',
    group: value('group', schemas.name),
    eventTime: value('event_time', schemas.name),
    hooks: hooks.hooks,
    grants: grants.grants,
  };
  if (common.database !== undefined && !context.engine.capabilities.databases) {
    fail(
      'database',
      `config database: a ${context.engine.type} target keeps every relation in its own database`,
      `remove database:, or build on an engine with databases`,
    );
  }

  let config: ResolvedNodeConfig;
  if (materialized === 'seed') {
    config = {
      ...common,
      materialized,
      columnTypes: value('column_types', schemas.column_types) ?? {},
      delimiter: value('delimiter', schemas.delimiter),
    };
    value('quote_columns', schemas.quote_columns);
  } else if (materialized === 'incremental') {
    config = { ...common, materialized, incremental: resolveIncremental(raw, value, fail, context.engine) };
  } else if (materialized === 'snapshot') {
    const target = {
      schema: targetOverride(raw, 'target_schema', 'schema', value, fail),
      database: targetOverride(raw, 'target_database', 'database', value, fail),
    };
    if (target.database !== undefined && common.database === undefined && !context.engine.capabilities.databases) {
      fail('target_database', `config target_database: a ${context.engine.type} target keeps every relation in its own database`, 'remove target_database:');
    }
    config = {
      ...common,
      schema: target.schema ?? common.schema,
      database: target.database ?? common.database,
      materialized,
      snapshot: resolveSnapshot(raw, value, fail),
    };
  } else {
    config = { ...common, materialized };
  }

  let engineOptions: unknown;
  for (const spec of context.engineSpecs) {
    const options = spec.parse(raw, materialized, fail);
    if (spec.engine === context.engine.type) engineOptions = options;
  }
  return { config: errors.length === 0 ? config : undefined, engineOptions, errors, warnings };
}

/** A table with every default: what tsdbt builds for itself (store_failures tables). */
export function plainTableConfig(): ResolvedModelConfig {
  return {
    materialized: 'table',
    enabled: true,
    tags: [],
    meta: {},
    docs: { show: true },
    persistDocs: { relation: false, columns: false },
    access: 'protected',
    hooks: { pre: [], post: [] },
    grants: {},
  };
}

/** Whether a run rebuilds the model from scratch: its full_refresh config wins over --full-refresh, as in dbt. */
export function fullRefreshOf(config: CommonConfig, flag: boolean): boolean {
  return config.fullRefresh ?? flag;
}

function resolveIncremental(
  raw: Readonly<Record<string, unknown>>,
  value: <T>(key: string, schema: z.ZodType<T>) => T | undefined,
  fail: ConfigFailure,
  engine: ConfigContext['engine'],
): IncrementalConfig {
  const uniqueKey = keyList(value('unique_key', schemas.keys));
  const strategy = raw.incremental_strategy === undefined ? (uniqueKey.length > 0 ? 'merge' : 'append') : String(raw.incremental_strategy);
  const supported = engine.capabilities.incrementalStrategies;
  if (strategy === 'microbatch' && !supported.includes('microbatch')) {
    fail(
      'incremental_strategy',
      `incremental_strategy "microbatch" is not built for ${engine.type} yet`,
      `build microbatch models on a target whose engine has it (README, Microbatch); on ${engine.type} use delete+insert with an is_incremental() filter for now`,
    );
  } else if (!(INCREMENTAL_STRATEGIES as readonly string[]).includes(strategy)) {
    fail(
      'incremental_strategy',
      `unknown incremental_strategy "${strategy}"`,
      didYouMean(strategy, INCREMENTAL_STRATEGIES) ?? `use one of: ${supported.join(', ')}`,
    );
  } else if (!supported.includes(strategy as IncrementalStrategy)) {
    fail('incremental_strategy', `incremental_strategy "${strategy}" is not supported on ${engine.type}`, `${engine.type} supports: ${supported.join(', ')}`);
  }
  if ((strategy === 'merge' || strategy === 'delete+insert') && uniqueKey.length === 0) {
    fail('incremental_strategy', `incremental_strategy "${strategy}" needs a unique_key`, 'set unique_key="column" (or a list of columns)');
  }
  const onSchemaChange = raw.on_schema_change === undefined ? 'ignore' : String(raw.on_schema_change);
  if (!(SCHEMA_CHANGES as readonly string[]).includes(onSchemaChange)) {
    fail(
      'on_schema_change',
      `unknown on_schema_change "${onSchemaChange}"`,
      didYouMean(onSchemaChange, SCHEMA_CHANGES) ?? `use one of: ${SCHEMA_CHANGES.join(', ')}`,
    );
  }
  const microbatch = strategy === 'microbatch' ? resolveMicrobatch(raw, value, fail) : undefined;
  if (strategy !== 'microbatch') {
    for (const key of ['batch_size', 'begin', 'lookback', 'concurrent_batches', 'batch_timezone']) {
      if (raw[key] !== undefined) fail(key, `${key} applies to incremental_strategy microbatch, not "${strategy}"`, `remove ${key}, or use microbatch`);
    }
  }
  const files = strategy === 'files' ? resolveFiles(raw, value, fail) : undefined;
  if (strategy !== 'files') {
    for (const key of ['file_column', 'removed_files']) {
      if (raw[key] !== undefined) fail(key, `${key} applies to incremental_strategy files, not "${strategy}"`, `remove ${key}, or use files`);
    }
  }
  const update = value('merge_update_columns', schemas.keys);
  for (const key of ['merge_update_columns', 'merge_exclude_columns']) {
    if (raw[key] !== undefined && strategy !== 'merge')
      fail(key, `${key} applies to incremental_strategy merge, not "${strategy}"`, `remove ${key}, or use merge`);
  }
  return {
    strategy: strategy as IncrementalStrategy,
    uniqueKey,
    onSchemaChange: onSchemaChange as OnSchemaChange,
    mergeUpdateColumns: update === undefined ? undefined : keyList(update),
    mergeExcludeColumns: keyList(value('merge_exclude_columns', schemas.keys)),
    microbatch,
    files,
  };
}

/** file_column and removed_files of a model loaded by lake file, checked. */
function resolveFiles(
  raw: Readonly<Record<string, unknown>>,
  value: <T>(key: string, schema: z.ZodType<T>) => T | undefined,
  fail: ConfigFailure,
): FilesConfig {
  const removed = raw.removed_files === undefined ? 'keep' : String(raw.removed_files);
  if (!(REMOVED_FILES as readonly string[]).includes(removed)) {
    fail('removed_files', `unknown removed_files "${removed}"`, didYouMean(removed, REMOVED_FILES) ?? `use one of: ${REMOVED_FILES.join(', ')}`);
  }
  return { fileColumn: value('file_column', schemas.name), removedFiles: removed as FilesConfig['removedFiles'] };
}

/** Whether an IANA zone name is known to this Node (its ICU data). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** event_time, batch_size, begin, lookback, concurrent_batches and batch_timezone of a microbatch model, checked. */
function resolveMicrobatch(
  raw: Readonly<Record<string, unknown>>,
  value: <T>(key: string, schema: z.ZodType<T>) => T | undefined,
  fail: ConfigFailure,
): MicrobatchConfig | undefined {
  let ok = true;
  const eventTime = value('event_time', schemas.name);
  if (eventTime === undefined) {
    ok = false;
    fail('incremental_strategy', 'incremental_strategy "microbatch" needs event_time', "set event_time: <the model's column holding each row's time>");
  }
  const sizeRaw = raw.batch_size === undefined ? undefined : String(raw.batch_size);
  if (sizeRaw === undefined) {
    ok = false;
    fail('incremental_strategy', 'incremental_strategy "microbatch" needs batch_size', `set batch_size: one of ${BATCH_SIZES.join(', ')}`);
  } else if (!(BATCH_SIZES as readonly string[]).includes(sizeRaw)) {
    ok = false;
    fail('batch_size', `unknown batch_size "${sizeRaw}"`, didYouMean(sizeRaw, BATCH_SIZES) ?? `use one of: ${BATCH_SIZES.join(', ')}`);
  }
  const beginRaw = raw.begin instanceof Date ? raw.begin.toISOString() : raw.begin === undefined ? undefined : String(raw.begin);
  const begin = beginRaw === undefined ? undefined : parseInstant(beginRaw);
  if (beginRaw === undefined) {
    ok = false;
    fail('incremental_strategy', 'incremental_strategy "microbatch" needs begin', 'set begin: the first date to build, e.g. begin: 2024-01-01');
  } else if (!begin) {
    ok = false;
    fail(
      'begin',
      `config begin: not a date or timestamp, got ${JSON.stringify(raw.begin)}`,
      'write a date (2024-01-01) or an ISO timestamp (2024-01-01T00:00:00Z)',
    );
  }
  const lookback = value('lookback', z.number().int().min(0, 'must be 0 or more')) ?? 1;
  const concurrent = value('concurrent_batches', z.union([z.boolean(), z.number().int().min(1, 'must be 1 or more')]).nullable());
  const timezone = value('batch_timezone', schemas.name) ?? 'UTC';
  if (!isTimeZone(timezone)) {
    ok = false;
    fail('batch_timezone', `unknown batch_timezone "${timezone}"`, 'write an IANA time zone name, e.g. UTC or Europe/Paris');
  }
  if (!ok) return undefined;
  return {
    eventTime: eventTime!,
    batchSize: sizeRaw as BatchSize,
    begin: beginRaw!,
    lookback,
    concurrentBatches: concurrent === true ? 'threads' : typeof concurrent === 'number' ? concurrent : 1,
    timezone,
  };
}

/** dbt's legacy target_schema / target_database of a snapshot: the same as schema / database, set once. */
function targetOverride(
  raw: Readonly<Record<string, unknown>>,
  key: 'target_schema' | 'target_database',
  modern: 'schema' | 'database',
  value: <T>(key: string, schema: z.ZodType<T>) => T | undefined,
  fail: ConfigFailure,
): string | undefined {
  const legacy = value(key, schemas.name);
  if (legacy !== undefined && raw[modern] !== undefined && raw[modern] !== legacy) {
    fail(key, `config ${key} and ${modern} are both set ("${legacy}" and "${String(raw[modern])}")`, `keep ${modern}: (${key} is its legacy name)`);
  }
  return legacy;
}

/**
 * A comma-separated list (as written in a template's {{config}}), split at top-level commas only:
 * `concat(a, b)` stays one SQL expression.
 */
function expressionList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((v) => v.trim()).filter(Boolean);
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

const META_COLUMNS: Record<keyof SnapshotMetaColumns, string> = {
  validFrom: 'dbt_valid_from',
  validTo: 'dbt_valid_to',
  scdId: 'dbt_scd_id',
  updatedAt: 'dbt_updated_at',
  isDeleted: 'dbt_is_deleted',
};

const snapshotSchemas = {
  text: z.string().trim().min(1, 'must not be empty'),
  checkCols: z.union([z.string(), z.array(z.string())]),
  invalidate: z.boolean(),
  metaColumns: z.strictObject(Object.fromEntries(Object.values(META_COLUMNS).map((key) => [key, schemas.name.optional()]))),
};

/** strategy, unique_key, updated_at / check_cols, hard_deletes and the meta columns of a snapshot, checked. */
function resolveSnapshot(
  raw: Readonly<Record<string, unknown>>,
  value: <T>(key: string, schema: z.ZodType<T>) => T | undefined,
  fail: ConfigFailure,
): SnapshotConfig {
  const strategyRaw = raw.strategy === undefined ? undefined : String(raw.strategy);
  if (strategyRaw === undefined) {
    fail(
      'strategy',
      'a snapshot needs a strategy: config strategy is missing',
      'set strategy: timestamp (with updated_at: <column>), or strategy: check (with check_cols: [<columns>] or all)',
    );
  } else if (!(SNAPSHOT_STRATEGIES as readonly string[]).includes(strategyRaw)) {
    fail(
      'strategy',
      `unknown snapshot strategy "${strategyRaw}"`,
      didYouMean(strategyRaw, SNAPSHOT_STRATEGIES) ??
        'use timestamp (with updated_at) or check (with check_cols); strategy macros of your own are not supported',
    );
  }
  const strategy: SnapshotStrategy = strategyRaw === 'check' ? 'check' : 'timestamp';

  const uniqueKey = expressionList(value('unique_key', schemas.keys));
  if (uniqueKey.length === 0 && raw.unique_key === undefined) {
    fail('unique_key', 'a snapshot needs a unique_key: config unique_key is missing', 'set unique_key: <column> (or a list of columns for a composite key)');
  } else if (uniqueKey.length === 0) {
    fail('unique_key', 'config unique_key is empty', 'set unique_key: <column> (or a list of columns for a composite key)');
  }

  const updatedAt = value('updated_at', snapshotSchemas.text);
  if (strategyRaw === 'timestamp' && raw.updated_at === undefined) {
    fail('strategy', 'strategy "timestamp" needs updated_at', 'set updated_at: <the column that holds when a row last changed>, or use strategy: check');
  }

  const checkRaw = value('check_cols', snapshotSchemas.checkCols);
  let checkCols: SnapshotConfig['checkCols'] = [];
  if (checkRaw !== undefined) {
    if (strategyRaw === 'timestamp') fail('check_cols', 'check_cols applies to strategy check, not "timestamp"', 'remove check_cols, or use strategy: check');
    checkCols = typeof checkRaw === 'string' && checkRaw.trim().toLowerCase() === 'all' ? 'all' : expressionList(checkRaw);
    if (checkCols !== 'all' && checkCols.length === 0)
      fail('check_cols', 'config check_cols is empty', 'list the columns to compare, or write check_cols: all');
  } else if (strategyRaw === 'check' && raw.check_cols === undefined) {
    fail('strategy', 'strategy "check" needs check_cols', 'set check_cols: [<columns>] (the columns whose change makes a new version), or check_cols: all');
  }

  const hardRaw = raw.hard_deletes === undefined ? undefined : String(raw.hard_deletes);
  if (hardRaw !== undefined && !(HARD_DELETES as readonly string[]).includes(hardRaw)) {
    fail('hard_deletes', `unknown hard_deletes "${hardRaw}"`, didYouMean(hardRaw, HARD_DELETES) ?? `use one of: ${HARD_DELETES.join(', ')}`);
  }
  const invalidate = value('invalidate_hard_deletes', snapshotSchemas.invalidate);
  if (invalidate !== undefined && hardRaw !== undefined && (invalidate ? hardRaw !== 'invalidate' : hardRaw === 'invalidate')) {
    fail(
      'invalidate_hard_deletes',
      `invalidate_hard_deletes: ${invalidate} and hard_deletes: ${hardRaw} disagree`,
      'keep hard_deletes (invalidate_hard_deletes: true is its legacy spelling of hard_deletes: invalidate)',
    );
  }
  const hardDeletes: HardDeletes = (HARD_DELETES as readonly string[]).includes(hardRaw ?? '')
    ? (hardRaw as HardDeletes)
    : invalidate
      ? 'invalidate'
      : 'ignore';

  const names = value('snapshot_meta_column_names', snapshotSchemas.metaColumns) as Record<string, string | undefined> | undefined;
  const metaColumns = Object.fromEntries(
    Object.entries(META_COLUMNS).map(([field, dbtName]) => [field, names?.[dbtName] ?? dbtName]),
  ) as unknown as SnapshotMetaColumns;
  const seen = new Map<string, string>();
  for (const [field, dbtName] of Object.entries(META_COLUMNS)) {
    const name = metaColumns[field as keyof SnapshotMetaColumns].toLowerCase();
    const other = seen.get(name);
    if (other)
      fail('snapshot_meta_column_names', `snapshot_meta_column_names: ${other} and ${dbtName} are both named "${name}"`, 'give each meta column its own name');
    seen.set(name, dbtName);
  }

  return {
    strategy,
    uniqueKey,
    updatedAt,
    checkCols,
    hardDeletes,
    metaColumns,
    validToCurrent: value('dbt_valid_to_current', snapshotSchemas.text),
  };
}
