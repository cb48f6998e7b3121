import type { LineageDocument, LineageEdge } from '../docs-data.js';

/**
 * Every upstream column a model's column is computed from, following upstream models' own
 * lineage down to the leaves (seeds, sources, models without lineage), in breadth-first order.
 * An edge is a `passthrough` only when every hop on every path to it copies the value.
 */
export function traceColumn(doc: LineageDocument, nodeId: string, column: string): LineageEdge[] {
  const found = new Map<string, LineageEdge>();
  const queue: LineageEdge[] = [...upstreamOf(doc, nodeId, column)];
  while (queue.length > 0) {
    const edge = queue.shift()!;
    const key = `${edge.node}\u0000${edge.column.toLowerCase()}`;
    const seen = found.get(key);
    if (seen && (seen.kind === edge.kind || seen.kind === 'transformation')) continue;
    if (seen) seen.kind = edge.kind;
    else found.set(key, { ...edge });
    for (const next of upstreamOf(doc, edge.node, edge.column)) {
      queue.push({ ...next, kind: edge.kind === 'passthrough' ? next.kind : 'transformation' });
    }
  }
  return [...found.values()];
}

function upstreamOf(doc: LineageDocument, nodeId: string, column: string): readonly LineageEdge[] {
  const columns = doc.nodes[nodeId]?.columns;
  if (!columns) return [];
  const exact = columns[column];
  if (exact) return exact.upstream;
  const lower = column.toLowerCase();
  return Object.entries(columns).find(([name]) => name.toLowerCase() === lower)?.[1].upstream ?? [];
}
