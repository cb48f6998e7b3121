import { z } from 'zod';
import { didYouMean } from '../errors/suggest.js';
import { formatLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { type KeyOrigin, toTagList } from '../project/config-merge.js';

export const MATERIALIZATIONS = ['view', 'table', 'incremental', 'ephemeral', 'seed'] as const;
export type Materialization = (typeof MATERIALIZATIONS)[number];
export type ModelMaterialization = Exclude<Materialization, 'seed'>;

export const INCREMENTAL_STRATEGIES = ['append', 'merge', 'delete+insert', 'insert_overwrite'] as const;
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
}

export interface IncrementalConfig {
  strategy: IncrementalStrategy;
  uniqueKey: string[];
  onSchemaChange: OnSchemaChange;
  /** merge: the columns a matched row updates (default: all but the key), minus the excluded ones. */
  mergeUpdateColumns?: string[];
  mergeExcludeColumns: string[];
}

export type ResolvedModelConfig =
  | (CommonConfig & { materialized: 'view' | 'table' | 'ephemeral' })
  | (CommonConfig & { materialized: 'incremental'; incremental: IncrementalConfig });

export interface ResolvedSeedConfig extends CommonConfig {
  materialized: 'seed';
  columnTypes: Record<string, string>;
  /** Unset: the engine's default (DuckDB sniffs it, BigQuery takes a comma). */
  delimiter?: string;
}

export type ResolvedNodeConfig = ResolvedModelConfig | ResolvedSeedConfig;

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
const BUILT: readonly Materialization[] = ['view', 'table', 'incremental', 'seed'];
const INCREMENTAL: readonly Materialization[] = ['incremental'];

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
  event_time: ALL,
  unique_key: INCREMENTAL,
  incremental_strategy: INCREMENTAL,
  on_schema_change: INCREMENTAL,
  merge_update_columns: INCREMENTAL,
  merge_exclude_columns: INCREMENTAL,
  column_types: ['seed'],
  delimiter: ['seed'],
  quote_columns: ['seed'],
};

const SNAPSHOTS = 'snapshots are not supported yet: build the history with an incremental model';
const MICROBATCH = 'microbatch is not supported yet: use incremental_strategy delete+insert with an is_incremental() filter';
const CONTRACTS = 'model contracts are not supported yet: check column types with data tests (e.g. expression_is_true)';
const HOOKS = 'model hooks are not supported yet: use on-run-start / on-run-end in project.yml';

/** dbt config keys tsdbt knows and does not implement yet: refused, with what to do instead. */
const NOT_SUPPORTED: Record<string, string> = {
  contract: CONTRACTS,
  constraints: CONTRACTS,
  pre_hook: HOOKS,
  post_hook: HOOKS,
  'pre-hook': HOOKS,
  'post-hook': HOOKS,
  grants: 'grants are not supported yet: grant access in an on-run-end hook',
  sql_header: 'sql_header is not supported yet: put session settings in an on-run-start hook',
  incremental_predicates: 'incremental_predicates are not supported yet: filter the new rows in the model (is_incremental())',
  on_configuration_change: 'materialized views are not supported yet',
  batch_size: MICROBATCH,
  lookback: MICROBATCH,
  begin: MICROBATCH,
  concurrent_batches: MICROBATCH,
  strategy: SNAPSHOTS,
  updated_at: SNAPSHOTS,
  check_cols: SNAPSHOTS,
  target_schema: SNAPSHOTS,
  target_database: SNAPSHOTS,
  invalidate_hard_deletes: SNAPSHOTS,
  hard_deletes: SNAPSHOTS,
  snapshot_meta_column_names: SNAPSHOTS,
  dbt_valid_to_current: SNAPSHOTS,
  packages: 'Python models are not supported',
  submission_method: 'Python models are not supported',
};

const UNSUPPORTED_MATERIALIZATIONS: Record<string, string> = {
  snapshot: SNAPSHOTS,
  materialized_view: 'materialized views are not supported yet: use table (or incremental)',
  external: 'external materializations are not supported: use table, or COPY … TO in an on-run-end hook',
  dynamic_table: 'dynamic tables are Snowflake-only',
};

export interface ConfigContext {
  /** Where the key was set (lazily: locating YAML re-parses it). */
  origin(key: string): KeyOrigin;
  /** The target's engine: what it can build decides what compiles. */
  engine: { type: string; capabilities: { incrementalStrategies: readonly IncrementalStrategy[]; databases: boolean } };
  /** Every engine's own keys (the target's included). */
  engineSpecs: readonly EngineConfigSpec[];
  nodeId: string;
  /** Model or seed, for messages. */
  kind: 'model' | 'seed';
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

  const materializedRaw = raw.materialized === undefined ? (context.kind === 'seed' ? 'seed' : 'view') : String(raw.materialized);
  if (context.kind === 'model' && !MATERIALIZATIONS.includes(materializedRaw as Materialization)) {
    const unsupported = UNSUPPORTED_MATERIALIZATIONS[materializedRaw];
    fail(
      'materialized',
      unsupported ? `materialization "${materializedRaw}" is not supported yet` : `unknown materialization "${materializedRaw}"`,
      unsupported ?? didYouMean(materializedRaw, MODELS) ?? `use one of: ${MODELS.join(', ')}`,
    );
    return { errors, warnings };
  }
  if (context.kind === 'seed' && materializedRaw !== 'seed') {
    fail('materialized', `a seed is always loaded as a table, not materialized as "${materializedRaw}"`, 'remove materialized: from the seed config');
    return { errors, warnings };
  }
  const materialized = materializedRaw as Materialization;

  const { engineKeys, engineUnsupported, known } = engineKeysOf(context.engineSpecs);

  for (const key of Object.keys(raw)) {
    if (raw[key] === undefined) continue;
    if (key in KEYS || engineKeys.has(key)) {
      const applies = KEYS[key] ?? engineKeys.get(key)!.applies;
      if (applies !== 'all' && !applies.includes(materialized) && context.origin(key).layer !== 'project') {
        warnings.push(
          `${formatLocation(context.origin(key).location)}: ${key} has no effect on a ${materialized} ${context.kind} (it applies to ${applies.join(', ')})`,
        );
      }
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
  if (strategy === 'microbatch') {
    fail('incremental_strategy', 'incremental_strategy "microbatch" is not supported yet', MICROBATCH);
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
  };
}
