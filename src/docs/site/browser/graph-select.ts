/**
 * Which nodes the lineage graph shows: a node's neighbourhood (n levels up, m down) or a
 * selector in dbt's syntax — `name`, `+name`, `name+`, `2+name+1`, `tag:x`, `type:seed`,
 * `source:shop`, `package:p`, `path:models/gold`, `*` as a wildcard; words separated by spaces
 * are a union, by commas an intersection. The walk stops at a node limit, nearest nodes first.
 */
import type { Store } from './store.js';

export interface Selection {
  positions: number[];
  /** The limit stopped the walk: more nodes match. */
  truncated: boolean;
}

interface Term {
  up: number;
  down: number;
  method: string;
  value: string;
}

const METHODS = new Set(['tag', 'type', 'resource_type', 'source', 'package', 'path', 'fqn', 'name']);

export class SelectorError extends Error {}

/** A selector's terms, grouped: the outer list is a union, each inner list an intersection. */
export function parseSelector(text: string): Term[][] {
  const groups = text.split(/\s+/).filter(Boolean);
  if (!groups.length) throw new SelectorError('Empty selector');
  return groups.map((group) =>
    group.split(',').map((part) => {
      const match = /^(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/.exec(part);
      if (!match?.[2]) throw new SelectorError(`Cannot read "${part}"`);
      const depth = (digits: string | undefined) => (digits === undefined ? 0 : digits === '' ? Infinity : Number(digits));
      const up = depth(match[1]);
      const down = depth(match[3]);
      const colon = match[2].indexOf(':');
      const method = colon > 0 ? match[2].slice(0, colon) : 'name';
      const value = colon > 0 ? match[2].slice(colon + 1) : match[2];
      if (!METHODS.has(method)) throw new SelectorError(`Unknown method "${method}:" (known: ${[...METHODS].join(', ')})`);
      if (!value) throw new SelectorError(`"${part}" has no value`);
      return { up, down, method, value };
    }),
  );
}

export function select(store: Store, text: string, limit: number): Selection {
  const groups = parseSelector(text);
  const result = new Set<number>();
  let truncated = false;
  for (const group of groups) {
    let members: Set<number> | undefined;
    for (const term of group) {
      const walked = walk(store, seeds(store, term), term.up, term.down, limit);
      truncated ||= walked.truncated;
      const set = new Set(walked.positions);
      members = members ? new Set([...members].filter((p) => set.has(p))) : set;
    }
    for (const p of members ?? []) {
      if (result.size >= limit) {
        truncated = true;
        break;
      }
      result.add(p);
    }
  }
  return { positions: [...result], truncated };
}

export function neighbourhood(store: Store, center: number, up: number, down: number, limit: number): Selection {
  return walk(store, [center], up, down, limit);
}

/** The selector text of a neighbourhood, e.g. `2+orders+1`. */
export function neighbourhoodSelector(name: string, up: number, down: number): string {
  return `${up > 0 ? `${up}+` : ''}${name}${down > 0 ? `+${down}` : ''}`;
}

function seeds(store: Store, term: Term): number[] {
  const pattern = glob(term.value);
  const found: number[] = [];
  store.nodes.forEach((node, i) => {
    const folder = (store.index.folders[node.f] ?? []).join('/');
    let hit: boolean;
    switch (term.method) {
      case 'tag':
        hit = (node.g ?? []).some((t) => pattern.test(t));
        break;
      case 'type':
      case 'resource_type':
        hit = pattern.test(node.t);
        break;
      case 'source':
        hit = node.t === 'source' && (pattern.test(node.l) || pattern.test(node.l.split('.')[0]));
        break;
      case 'package':
        hit = pattern.test(node.i.split('.')[1] ?? '');
        break;
      case 'path':
        hit = pattern.test(folder) || folder.startsWith(term.value.replace(/\/+$/, ''));
        break;
      default:
        hit = pattern.test(node.n ?? node.l) || pattern.test(node.l) || pattern.test(node.i);
    }
    if (hit) found.push(i);
  });
  return found;
}

function glob(value: string): RegExp {
  const source = value
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

/** Breadth-first from the seeds, `up` levels through parents and `down` through children. */
function walk(store: Store, start: number[], up: number, down: number, limit: number): Selection {
  const seen = new Set<number>();
  let truncated = false;
  for (const p of start) {
    if (seen.size >= limit) {
      truncated = true;
      break;
    }
    seen.add(p);
  }
  const go = (edges: number[][], depth: number) => {
    let frontier = start.filter((p) => seen.has(p));
    const visited = new Set(frontier);
    for (let level = 0; level < depth && frontier.length && !truncated; level++) {
      const next: number[] = [];
      for (const p of frontier) {
        for (const q of edges[p]) {
          if (visited.has(q)) continue;
          visited.add(q);
          if (!seen.has(q)) {
            if (seen.size >= limit) {
              truncated = true;
              break;
            }
            seen.add(q);
          }
          next.push(q);
        }
        if (truncated) break;
      }
      frontier = next;
    }
  };
  go(store.parents, up);
  go(store.children, down);
  return { positions: [...seen], truncated };
}
