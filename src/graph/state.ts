import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';

interface ManifestEntry {
  /** Nodes: {name, checksum}; unit tests: the checksum itself; sources and macros: none. */
  checksum?: { checksum?: string } | string | null;
  config?: unknown;
  depends_on?: { macros?: string[] };
  relation_name?: string | null;
  /** Macros: their code. */
  macro_sql?: string;
  // Sources: what defines what they read.
  database?: string | null;
  schema?: string;
  identifier?: string;
  external?: unknown;
  loaded_at_field?: string | null;
  freshness?: unknown;
}

export interface ManifestLike {
  metadata?: { env?: Record<string, string>; tsdbt_database?: string | null };
  nodes?: Record<string, ManifestEntry>;
  sources?: Record<string, ManifestEntry>;
  macros?: Record<string, ManifestEntry>;
  unit_tests?: Record<string, ManifestEntry>;
}

export type ModifiedFacet = 'body' | 'configs' | 'macros';

/** The current project compared with an earlier manifest (slim CI). */
export interface StateComparison {
  isNew(id: string): boolean;
  isModified(id: string, facet?: ModifiedFacet): boolean;
  /** The relation an unselected node had in the state's target (for --defer). */
  relationInState(id: string): string | undefined;
  /** Where the state's warehouse lives (a DuckDB file), when it recorded one. */
  database?: string;
  /** The --state folder: a moved state keeps its database file beside its manifest. */
  stateDir?: string;
}

export function readStateManifest(stateDir: string): ManifestLike {
  const path = join(resolve(stateDir), 'manifest.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ManifestLike;
  } catch (cause) {
    throw new TsdbtError(`cannot read the state manifest ${path}: ${(cause as Error).message.split('\n')[0]}`, {
      code: 'E_STATE',
      kind: 'usage',
      hint: '--state must name a folder holding the manifest.json of an earlier run (e.g. the production target/)',
    });
  }
}

/**
 * state:new — not in the earlier manifest; state:modified — new, or its code (checksum),
 * its config, or a macro it uses changed.
 */
export function compareWithState(current: ManifestLike, state: ManifestLike): StateComparison {
  const entry = (manifest: ManifestLike, id: string): ManifestEntry | undefined => manifest.nodes?.[id] ?? manifest.sources?.[id] ?? manifest.unit_tests?.[id];
  const changedMacros = new Set<string>();
  for (const [id, macro] of Object.entries(current.macros ?? {})) {
    const before = state.macros?.[id];
    if (!before || bodyOf(before) !== bodyOf(macro)) changedMacros.add(id);
  }
  const facets = (id: string): Set<ModifiedFacet> => {
    const now = entry(current, id);
    const before = entry(state, id);
    const changed = new Set<ModifiedFacet>();
    if (!now || !before) return changed;
    if (bodyOf(now) !== bodyOf(before)) changed.add('body');
    if (stableJson(now.config) !== stableJson(before.config)) changed.add('configs');
    if ((now.depends_on?.macros ?? []).some((m) => changedMacros.has(m))) changed.add('macros');
    return changed;
  };
  return {
    database: stateDatabase(state.metadata),
    isNew: (id) => entry(current, id) !== undefined && entry(state, id) === undefined,
    isModified(id, facet) {
      // New resources count as modified, but not as a modified body, config or macro.
      if (entry(current, id) !== undefined && entry(state, id) === undefined) return facet === undefined;
      const changed = facets(id);
      return facet ? changed.has(facet) : changed.size > 0;
    },
    relationInState: (id) => entry(state, id)?.relation_name ?? undefined,
  };
}

/** What a resource's code is compared by: its checksum, a macro's SQL, a source's definition. */
function bodyOf(entry: ManifestEntry): string | undefined {
  if (typeof entry.checksum === 'string') return entry.checksum;
  if (entry.checksum?.checksum !== undefined) return entry.checksum.checksum;
  if (entry.macro_sql !== undefined) return entry.macro_sql;
  return stableJson([entry.database, entry.schema, entry.identifier, entry.external, entry.loaded_at_field, entry.freshness]);
}

/** What an earlier artifact's metadata says about where it ran (older tsdbt wrote it at the top). */
function stateDatabase(metadata: { env?: Record<string, string>; tsdbt_database?: string | null } | undefined): string | undefined {
  return metadata?.env?.TSDBT_DATABASE ?? metadata?.tsdbt_database ?? undefined;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
