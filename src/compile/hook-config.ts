import { didYouMean } from '../errors/suggest.js';
import { type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { type ConfigLayer, type KeyOrigin, listOf, spellingsOf } from '../project/config-merge.js';
import type { CompiledSql } from './line-map.js';

/** One pre-hook or post-hook as configured: a template, rendered when the project compiles. */
export interface HookConfig {
  /** The hook's template, as written. */
  sql: string;
  /** false: outside the model's transaction (dbt's before_begin / after_commit), where the engine has one. */
  transaction: boolean;
  /** Where the hook's text starts (a YAML item, a {{config}} argument). */
  location: SourceLocation;
}

/** A node's hooks in the order they run: project.yml levels first (outer folder first), then properties YAML, then {{config}}. */
export interface NodeHookConfig {
  pre: HookConfig[];
  post: HookConfig[];
}

/** Role (privilege) → grantees, as the configuration wants the relation's access to be. */
export type Grants = Readonly<Record<string, readonly string[]>>;

/** What resolving hooks and grants needs of the node's config context. */
export interface LayeredContext {
  origin(key: string): KeyOrigin;
  layers?(key: string): ConfigLayer[];
  nodeId: string;
}

const HOOK_SHAPE = 'a hook is SQL text, or {sql: "...", transaction: true | false}';

/** Each item of `key` (every spelling) with where it was written: per layer when the context knows them. */
function locatedItems(raw: Readonly<Record<string, unknown>>, key: string, context: LayeredContext): Array<{ item: unknown; location: SourceLocation }> {
  const merged = spellingsOf(key).flatMap((spelling) => listOf(raw[spelling]));
  if (merged.length === 0) return [];
  const layers = context.layers?.(key) ?? [];
  const items = layers.flatMap((layer) => listOf(layer.value).map((item, index) => ({ item, location: layer.locate(index) })));
  // The layers are where the merged value came from; should they ever disagree, the merged value wins.
  if (items.length === merged.length && items.every((entry, i) => entry.item === merged[i] || JSON.stringify(entry.item) === JSON.stringify(merged[i]))) {
    return items;
  }
  const { location } = context.origin(key);
  return merged.map((item) => ({ item, location }));
}

/** pre-hook / post-hook (and their pre_hook / post_hook spellings), checked: each error at the hook's place. */
export function resolveHooks(raw: Readonly<Record<string, unknown>>, context: LayeredContext): { hooks: NodeHookConfig; errors: TsdbtError[] } {
  const errors: TsdbtError[] = [];
  const hooks: NodeHookConfig = { pre: [], post: [] };
  for (const [when, key] of [
    ['pre', 'pre-hook'],
    ['post', 'post-hook'],
  ] as const) {
    for (const [index, { item, location }] of locatedItems(raw, key, context).entries()) {
      const fail = (message: string, hint: string) =>
        errors.push(new TsdbtError(`config ${key} ${index + 1}: ${message}`, { code: 'E_CONFIG', kind: 'project', nodeId: context.nodeId, location, hint }));
      if (typeof item === 'string') {
        if (item.trim() === '') fail('the hook is empty', 'write the SQL statement the hook runs, or remove it');
        else hooks[when].push({ sql: item, transaction: true, location });
        continue;
      }
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        fail(`${HOOK_SHAPE}, got ${JSON.stringify(item)}`, 'quote the SQL of the hook');
        continue;
      }
      const entry = item as Record<string, unknown>;
      const unknown = Object.keys(entry).filter((k) => k !== 'sql' && k !== 'transaction');
      for (const name of unknown) fail(`unknown key "${name}" in a hook`, didYouMean(name, ['sql', 'transaction']) ?? HOOK_SHAPE);
      if (typeof entry.sql !== 'string' || entry.sql.trim() === '') {
        fail(`a hook written as a mapping needs sql: (its SQL text), got ${JSON.stringify(entry.sql ?? null)}`, HOOK_SHAPE);
        continue;
      }
      if (entry.transaction !== undefined && typeof entry.transaction !== 'boolean') {
        fail(`transaction must be true or false, got ${JSON.stringify(entry.transaction)}`, 'transaction: false runs the hook outside the model’s transaction');
        continue;
      }
      if (unknown.length === 0) hooks[when].push({ sql: entry.sql, transaction: entry.transaction !== false, location });
    }
  }
  return { hooks, errors };
}

/**
 * grants: {role: grantee | [grantees]}, merged across levels as dbt does (`+role` adds to the
 * level below's grantees). Each level's value is checked where it was written.
 */
export function resolveGrants(raw: Readonly<Record<string, unknown>>, context: LayeredContext): { grants: Grants; errors: TsdbtError[] } {
  const errors: TsdbtError[] = [];
  const fail = (location: () => SourceLocation, message: string) =>
    errors.push(
      new TsdbtError(`config grants: ${message}`, {
        code: 'E_CONFIG',
        kind: 'project',
        nodeId: context.nodeId,
        location: location(),
        hint: 'write grants: {<role>: [<grantee>, ...]}, e.g. {roles/bigquery.dataViewer: ["user:someone@example.com"]}',
      }),
    );
  // Where a level wrote its grants is looked up only for an error (locating YAML re-reads it).
  const check = (value: unknown, location: () => SourceLocation): boolean => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(location, `a mapping of roles to grantees is expected, got ${JSON.stringify(value)}`);
      return false;
    }
    let ok = true;
    for (const [role, grantees] of Object.entries(value)) {
      if (role.replace(/^\+/, '').trim() === '') {
        fail(location, 'a role name is empty');
        ok = false;
      }
      const bad = listOf(grantees).find((g) => typeof g !== 'string' || g.trim() === '');
      if (bad !== undefined || (grantees !== null && typeof grantees === 'object' && !Array.isArray(grantees))) {
        fail(location, `the grantees of "${role}" must be text (one, or a list), got ${JSON.stringify(grantees)}`);
        ok = false;
      }
    }
    return ok;
  };
  if (raw.grants === undefined) return { grants: {}, errors };
  const layers = context.layers?.('grants') ?? [];
  const checks =
    layers.length > 0 ? layers.map((layer) => check(layer.value, () => layer.locate())) : [check(raw.grants, () => context.origin('grants').location)];
  if (!checks.every(Boolean)) return { grants: {}, errors };
  const grants: Record<string, string[]> = {};
  for (const [role, grantees] of Object.entries(raw.grants as Record<string, unknown>)) {
    const name = role.replace(/^\+/, '').trim();
    grants[name] = [...new Set([...(role.startsWith('+') ? (grants[name] ?? []) : []), ...listOf(grantees).map((g) => String(g).trim())])];
  }
  return { grants, errors };
}

/** A hook rendered when the project compiles: SQL whose lines map to where the hook is written. */
export interface CompiledHook {
  /** `pre-hook 1`, `post-hook 2`: the hook's place among the node's, for messages. */
  label: string;
  /** The SQL; each line maps to its line in the file the hook is written in. */
  sql: CompiledSql;
  transaction: boolean;
  location: SourceLocation;
}

/** A node's hooks, rendered, in the order they run. */
export interface NodeHooks {
  pre: CompiledHook[];
  post: CompiledHook[];
}
