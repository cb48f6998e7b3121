import type { SourceLocation } from '../errors/tsdbt-error.js';

/** Where a config key was set, for errors: the layer that wins (template, properties YAML, project.yml). */
export interface KeyOrigin {
  location: SourceLocation;
  /** project.yml folder defaults apply to many models: keys there that do not apply stay quiet. */
  layer: 'project' | 'properties' | 'template' | 'file';
}

/**
 * One level's value of a config key whose values add up across levels (hooks, grants), outer level
 * first: every item keeps the place it was written.
 */
export interface ConfigLayer {
  value: unknown;
  layer: KeyOrigin['layer'];
  /** Where the value is written; with `item`, where its item-th element is (a list's). */
  locate(item?: number): SourceLocation;
}

/** Node configuration as merged from project.yml folders, YAML `config:` and `{{config}}`. */
export type NodeConfig = Record<string, unknown> & {
  materialized?: string;
  schema?: string;
  alias?: string;
  tags?: string[];
  enabled?: boolean;
};

// Objects merged key by key across levels (dbt merges meta; docs' show and node_color are independent).
const MERGED_OBJECTS = new Set(['meta', 'docs']);

/** The spellings of the hook keys: `{{config pre_hook=…}}` cannot write a dash; the manifest's is the dashed one. */
export const HOOK_KEYS: Readonly<Record<string, 'pre-hook' | 'post-hook'>> = {
  'pre-hook': 'pre-hook',
  pre_hook: 'pre-hook',
  'post-hook': 'post-hook',
  post_hook: 'post-hook',
};

/** The spellings of a config key (`pre-hook` and `pre_hook` are one key). */
export const spellingsOf = (key: string): string[] => (HOOK_KEYS[key] ? Object.keys(HOOK_KEYS).filter((k) => HOOK_KEYS[k] === HOOK_KEYS[key]) : [key]);

/** A value as a list: hooks and grantees may be written as one item or a list. */
export const listOf = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/**
 * dbt's grants merge: a role replaces the same role of the level below, unless written `+role`,
 * which adds its grantees to that role's.
 */
function mergeGrants(base: unknown, override: Record<string, unknown>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  if (isRecord(base)) for (const [role, grantees] of Object.entries(base)) out[role.replace(/^\+/, '')] = listOf(grantees);
  for (const [key, grantees] of Object.entries(override)) {
    const role = key.replace(/^\+/, '');
    out[role] = key.startsWith('+') ? [...(out[role] ?? []), ...listOf(grantees)] : listOf(grantees);
  }
  return out;
}

// dbt semantics: tags and hooks accumulate across levels, meta and docs are merged key by key,
// grants role by role (see mergeGrants), the rest is overridden.
export function mergeConfig(base: NodeConfig, override: Record<string, unknown>): NodeConfig {
  const out: NodeConfig = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const hook = HOOK_KEYS[key];
    if (key === 'tags') {
      out.tags = [...new Set([...(base.tags ?? []), ...toTagList(value)])];
    } else if (hook) {
      out[hook] = [...listOf(out[hook]), ...listOf(value)];
    } else if (key === 'grants' && isRecord(value)) {
      out.grants = mergeGrants(out.grants, value);
    } else if (MERGED_OBJECTS.has(key) && isRecord(value) && isRecord(base[key])) {
      out[key] = { ...base[key], ...value };
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

/** The path (below the tree) of the deepest folder level along `fqn` that sets `key`, as written. */
export function locateInTree(tree: Record<string, unknown>, fqn: readonly string[], key: string): string[] | undefined {
  let found: string[] | undefined;
  let level: Record<string, unknown> | undefined = tree;
  const path: string[] = [];
  for (let depth = 0; level; depth++) {
    if (`+${key}` in level) found = [...path, `+${key}`];
    else if (key in level && (!isRecord(level[key]) || KNOWN_OBJECT_CONFIGS.has(key))) found = [...path, key];
    const next: unknown = depth < fqn.length ? level[fqn[depth]!] : undefined;
    if (!isRecord(next) || KNOWN_OBJECT_CONFIGS.has(fqn[depth]!)) break;
    path.push(fqn[depth]!);
    level = next;
  }
  return found;
}

/**
 * Every folder level along `fqn` that sets `key` (in any of its spellings), outer level first: the
 * path below the tree of the entry as written, and its value.
 */
export function treeLayers(tree: Record<string, unknown>, fqn: readonly string[], key: string): Array<{ path: string[]; value: unknown }> {
  const spellings = spellingsOf(key);
  const found: Array<{ path: string[]; value: unknown }> = [];
  let level: Record<string, unknown> | undefined = tree;
  const path: string[] = [];
  for (let depth = 0; level; depth++) {
    for (const [entry, value] of Object.entries(level)) {
      const name = entry.startsWith('+') ? entry.slice(1) : entry;
      if (spellings.includes(name) && (entry.startsWith('+') || !isRecord(value) || KNOWN_OBJECT_CONFIGS.has(name)))
        found.push({ path: [...path, entry], value });
    }
    const next: unknown = depth < fqn.length ? level[fqn[depth]!] : undefined;
    if (!isRecord(next) || KNOWN_OBJECT_CONFIGS.has(fqn[depth]!)) break;
    path.push(fqn[depth]!);
    level = next;
  }
  return found;
}

/**
 * Folder entries of a project.yml tree that no resource's fqn passes through (a misspelled
 * folder silently configures nothing in dbt; here it is reported), with the folders that exist there.
 */
export function unusedTreeFolders(tree: Record<string, unknown>, fqns: Iterable<readonly string[]>): Array<{ path: string[]; siblings: string[] }> {
  const prefixes = new Set<string>();
  const childrenOf = new Map<string, Set<string>>();
  for (const fqn of fqns) {
    for (let depth = 0; depth < fqn.length; depth++) {
      const parent = fqn.slice(0, depth).join('/');
      prefixes.add(fqn.slice(0, depth + 1).join('/'));
      if (!childrenOf.has(parent)) childrenOf.set(parent, new Set());
      childrenOf.get(parent)!.add(fqn[depth]!);
    }
  }
  const unused: Array<{ path: string[]; siblings: string[] }> = [];
  const walk = (level: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(level)) {
      if (key.startsWith('+') || !isRecord(value) || KNOWN_OBJECT_CONFIGS.has(key)) continue;
      const child = [...path, key];
      if (prefixes.has(child.join('/'))) walk(value, child);
      else unused.push({ path: child, siblings: [...(childrenOf.get(path.join('/')) ?? [])] });
    }
  };
  walk(tree, []);
  return unused;
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
  'snapshot_meta_column_names',
  // A hook may be a {sql, transaction} object.
  'pre-hook',
  'post-hook',
  'pre_hook',
  'post_hook',
]);
