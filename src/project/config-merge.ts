/** Node configuration as merged from project.yml folders, YAML `config:` and `{{config}}`. */
export type NodeConfig = Record<string, unknown> & {
  materialized?: string;
  schema?: string;
  alias?: string;
  tags?: string[];
  enabled?: boolean;
};

// dbt semantics: tags accumulate across levels, meta is merged key by key, the rest is overridden.
export function mergeConfig(base: NodeConfig, override: Record<string, unknown>): NodeConfig {
  const out: NodeConfig = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    if (key === 'tags') {
      out.tags = [...new Set([...(base.tags ?? []), ...toTagList(value)])];
    } else if (key === 'meta' && isRecord(value) && isRecord(base.meta)) {
      out.meta = { ...base.meta, ...value };
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function toTagList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Resolves folder-level defaults from a project.yml tree such as
 * `models: {eco2mix: {gold: {+schema: gold}}}` for a node at fqn [eco2mix, gold, my_model].
 * `+key` is always config; an unprefixed key is config unless it names a sub-folder.
 */
export function configFromTree(tree: Record<string, unknown>, fqn: readonly string[]): NodeConfig {
  let config: NodeConfig = {};
  let level: Record<string, unknown> | undefined = tree;
  for (let depth = 0; level; depth++) {
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(level)) {
      if (key.startsWith('+')) own[key.slice(1)] = value;
      else if (!isRecord(value) || KNOWN_OBJECT_CONFIGS.has(key)) own[key] = value;
    }
    config = mergeConfig(config, own);
    const next: unknown = depth < fqn.length ? level[fqn[depth]!] : undefined;
    level = isRecord(next) && !KNOWN_OBJECT_CONFIGS.has(fqn[depth]!) ? next : undefined;
  }
  return config;
}

// Configs whose values are objects, so they cannot be mistaken for folders.
const KNOWN_OBJECT_CONFIGS = new Set([
  'meta',
  'docs',
  'persist_docs',
  'partition_by',
  'grants',
  'contract',
  'labels',
  'column_types',
  'quote_columns',
  'freshness',
]);
