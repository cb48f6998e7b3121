/** A directed acyclic graph of resource ids: edges point from a parent to the nodes that use it. */
export interface Dag {
  readonly ids: readonly string[];
  parents(id: string): readonly string[];
  children(id: string): readonly string[];
  has(id: string): boolean;
}

export class CycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`dependency cycle: ${cycle.join(' -> ')}`);
  }
}

export function createDag(ids: Iterable<string>, parentsOf: (id: string) => Iterable<string>): Dag {
  const parentMap = new Map<string, string[]>();
  const childMap = new Map<string, string[]>();
  for (const id of ids) {
    parentMap.set(id, []);
    childMap.set(id, []);
  }
  for (const id of parentMap.keys()) {
    const parents = [...new Set(parentsOf(id))].filter((p) => parentMap.has(p));
    parentMap.set(id, parents);
    for (const parent of parents) childMap.get(parent)!.push(id);
  }
  const empty: string[] = [];
  return {
    ids: [...parentMap.keys()],
    parents: (id) => parentMap.get(id) ?? empty,
    children: (id) => childMap.get(id) ?? empty,
    has: (id) => parentMap.has(id),
  };
}

/** Kahn's algorithm; on a cycle, throws with one complete cycle (first node repeated at the end). */
export function topologicalOrder(dag: Dag): string[] {
  const indegree = new Map<string, number>();
  for (const id of dag.ids) indegree.set(id, dag.parents(id).length);
  const queue = dag.ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(id);
    for (const child of dag.children(id)) {
      const left = indegree.get(child)! - 1;
      indegree.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  if (order.length < dag.ids.length) throw new CycleError(findCycle(dag, new Set(order)));
  return order;
}

function findCycle(dag: Dag, done: Set<string>): string[] {
  // Every remaining node has a remaining parent, so walking parents must revisit a node.
  const start = dag.ids.find((id) => !done.has(id))!;
  const seenAt = new Map<string, number>();
  const path: string[] = [];
  let current = start;
  while (!seenAt.has(current)) {
    seenAt.set(current, path.length);
    path.push(current);
    current = dag.parents(current).find((p) => !done.has(p))!;
  }
  const cycle = path.slice(seenAt.get(current)!).reverse();
  return [...cycle, cycle[0]!];
}

/** Nodes reachable from `start` following `next`, up to `depth` steps (undefined = unlimited). */
export function reachable(start: Iterable<string>, next: (id: string) => readonly string[], depth?: number): Set<string> {
  const seen = new Set<string>();
  let frontier = [...start];
  for (let level = 0; frontier.length > 0 && (depth === undefined || level < depth); level++) {
    const nextFrontier: string[] = [];
    for (const id of frontier) {
      for (const n of next(id)) {
        if (!seen.has(n)) {
          seen.add(n);
          nextFrontier.push(n);
        }
      }
    }
    frontier = nextFrontier;
  }
  return seen;
}
