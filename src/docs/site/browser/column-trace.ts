/**
 * Column lineage: from one column of a model, every upstream column it is computed from, model
 * by model down to the sources, with the kind of each step. Each model's lineage lives in its
 * detail file, so the trace loads the files level by level as it walks. The filter and join
 * columns (`keys`) of every model on the way are collected apart: they shape the rows, not the
 * value. Untraceable columns and models the parser could not follow come back as notes.
 */
import type { SiteLineageEdge } from './site-data.js';
import type { Store } from './store.js';

export type LineageKind = SiteLineageEdge['kind'];

export interface ColumnRef {
  /** Unique id (may be missing from the project: then it is named as written). */
  node: string;
  column: string;
}

export interface TraceEntry extends ColumnRef {
  /** Steps from the traced column. */
  depth: number;
  kinds: LineageKind[];
}

export interface TraceEdge {
  from: ColumnRef;
  to: ColumnRef;
  kind: LineageKind;
}

export interface TraceKey extends ColumnRef {
  kind: LineageKind;
  /** The model whose rows the column filters, joins or groups. */
  shapes: string;
}

export interface ColumnTrace {
  origin: ColumnRef;
  upstream: TraceEntry[];
  edges: TraceEdge[];
  keys: TraceKey[];
  notes: Array<{ node: string; column?: string; text: string }>;
  /** The walk stopped at the limit. */
  truncated: boolean;
}

const refKey = (ref: ColumnRef) => `${ref.node}\u0000${ref.column.toLowerCase()}`;

export async function traceColumn(store: Store, position: number, column: string, limit = 400): Promise<ColumnTrace> {
  const origin: ColumnRef = { node: store.nodes[position].i, column };
  const entries = new Map<string, TraceEntry>([[refKey(origin), { ...origin, depth: 0, kinds: [] }]]);
  const edges = new Map<string, TraceEdge>();
  const keys = new Map<string, TraceKey>();
  const notes: ColumnTrace['notes'] = [];
  const modelsSeen = new Set<string>();
  const unknownSeen = new Set<string>();
  let truncated = false;
  let frontier: TraceEntry[] = [entries.get(refKey(origin))!];

  while (frontier.length) {
    const toLoad = new Set<number>();
    for (const entry of frontier) {
      const p = store.byId.get(entry.node);
      if (p !== undefined && store.nodes[p].x) toLoad.add(p);
    }
    await Promise.all(
      [...toLoad].map((p) =>
        store.detail(p).catch((error: unknown) => {
          notes.push({ node: store.nodes[p].i, text: `could not load its details (${error instanceof Error ? error.message : String(error)})` });
        }),
      ),
    );

    const next: TraceEntry[] = [];
    for (const entry of frontier) {
      const p = store.byId.get(entry.node);
      if (p === undefined) {
        if (!unknownSeen.has(entry.node)) notes.push({ node: entry.node, text: 'is not a node of this project' });
        unknownSeen.add(entry.node);
        continue;
      }
      const lineage = store.loadedDetail(p)?.lineage;
      if (!lineage) continue;
      if (!modelsSeen.has(entry.node)) {
        modelsSeen.add(entry.node);
        if (lineage.status !== 'ok') notes.push({ node: entry.node, text: `lineage ${lineage.status}${lineage.reason ? `: ${lineage.reason}` : ''}` });
        for (const key of lineage.keys) {
          const k = `${refKey(key)}\u0000${entry.node}`;
          if (!keys.has(k)) keys.set(k, { node: key.node, column: key.column, kind: key.kind, shapes: entry.node });
        }
      }
      const columnLineage = lineage.columns[entry.column] ?? lookupInsensitive(lineage.columns, entry.column);
      if (!columnLineage) {
        notes.push({ node: entry.node, column: entry.column, text: 'is not in the lineage of its model' });
        continue;
      }
      if (columnLineage.unresolved) notes.push({ node: entry.node, column: entry.column, text: `not traced: ${columnLineage.unresolved}` });
      for (const edge of columnLineage.upstream) {
        const from: ColumnRef = { node: edge.node, column: edge.column };
        const edgeKey = `${refKey(from)}\u0001${refKey(entry)}`;
        if (!edges.has(edgeKey)) edges.set(edgeKey, { from, to: { node: entry.node, column: entry.column }, kind: edge.kind });
        const known = entries.get(refKey(from));
        if (known) {
          if (!known.kinds.includes(edge.kind)) known.kinds.push(edge.kind);
          continue;
        }
        if (entries.size > limit) {
          truncated = true;
          continue;
        }
        const added: TraceEntry = { ...from, depth: entry.depth + 1, kinds: [edge.kind] };
        entries.set(refKey(from), added);
        next.push(added);
      }
    }
    frontier = next;
  }

  const upstream = [...entries.values()].filter((e) => e.depth > 0);
  return { origin, upstream, edges: [...edges.values()], keys: [...keys.values()], notes, truncated };
}

function lookupInsensitive<T>(record: Record<string, T>, name: string): T | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) if (key.toLowerCase() === lower) return value;
  return undefined;
}
