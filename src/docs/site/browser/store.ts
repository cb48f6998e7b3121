/**
 * The page's data: the index (from `data/index.js`, already loaded) with what the page derives
 * from it once (children, positions by id, lowercase search text), and the per-node details,
 * each loaded on first use by adding its `data/nodes/<file>.js` as a script (file:// allows no fetch).
 */
import { DETAIL_CALLBACK, detailFile, INDEX_GLOBAL, type SiteIndex, type SiteIndexNode, type SiteNodeDetail } from './site-data.js';

export interface Store {
  index: SiteIndex;
  nodes: SiteIndexNode[];
  parents: number[][];
  children: number[][];
  /** Node position by unique id. */
  byId: Map<string, number>;
  /** Lowercase text search matches against: label, name, id, description start, columns, tags. */
  haystacks: string[];
  /** The node's detail, loading it when needed. */
  detail(position: number): Promise<SiteNodeDetail>;
  /** The detail when it is already loaded. */
  loadedDetail(position: number): SiteNodeDetail | undefined;
}

export function readIndex(): SiteIndex | undefined {
  return window[INDEX_GLOBAL];
}

export function createStore(index: SiteIndex): Store {
  const nodes = index.nodes;
  const byId = new Map<string, number>();
  const parents: number[][] = [];
  const children: number[][] = nodes.map(() => []);
  const haystacks: string[] = [];
  nodes.forEach((node, i) => {
    byId.set(node.i, i);
    const ps = node.p ?? [];
    parents.push(ps);
    for (const p of ps) children[p].push(i);
    haystacks.push([node.l, node.n ?? '', node.i, node.s ?? '', node.c ?? '', (node.g ?? []).join(' ')].join('\n').toLowerCase());
  });

  const loaded = new Map<string, SiteNodeDetail>();
  const pending = new Map<number, Promise<SiteNodeDetail>>();
  window[DETAIL_CALLBACK] = (id, detail) => {
    loaded.set(id, detail);
  };
  const version = encodeURIComponent(index.version);

  const detail = (position: number): Promise<SiteNodeDetail> => {
    const node = nodes[position];
    const ready = loaded.get(node.i);
    if (ready) return Promise.resolve(ready);
    let promise = pending.get(position);
    if (!promise) {
      const file = detailFile(node.i, node.d);
      promise = loadScript(`data/nodes/${encodeURIComponent(file)}.js?v=${version}`).then(
        () => {
          pending.delete(position);
          const got = loaded.get(node.i);
          if (!got) throw new Error(`data/nodes/${file}.js did not hold ${node.i}`);
          return got;
        },
        (error: unknown) => {
          pending.delete(position);
          throw error;
        },
      );
      pending.set(position, promise);
    }
    return promise;
  };

  return { index, nodes, parents, children, byId, haystacks, detail, loadedDetail: (position) => loaded.get(nodes[position].i) };
}

const scripts = new Map<string, Promise<void>>();

/** Runs a script of the site once (a library loaded when first needed). */
export function loadScriptOnce(src: string): Promise<void> {
  let promise = scripts.get(src);
  if (!promise) {
    promise = loadScript(src);
    promise.catch(() => scripts.delete(src));
    scripts.set(src, promise);
  }
  return promise;
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.async = true;
    el.onload = () => {
      el.remove();
      resolve();
    };
    el.onerror = () => {
      el.remove();
      reject(new Error(`could not load ${src}`));
    };
    document.head.appendChild(el);
  });
}

export const TYPE_LABELS: Record<SiteIndexNode['t'], { one: string; many: string }> = {
  model: { one: 'Model', many: 'Models' },
  source: { one: 'Source', many: 'Sources' },
  seed: { one: 'Seed', many: 'Seeds' },
  snapshot: { one: 'Snapshot', many: 'Snapshots' },
  exposure: { one: 'Exposure', many: 'Exposures' },
};

/** A node's first folder is left out when it only repeats its type (`models/`, `seeds/`...). */
const TYPE_DIRS = new Set(['models', 'seeds', 'snapshots', 'sources', 'exposures']);

/** The folders a node sits in, under its type's group of the tree. */
export function treeFolder(store: Store, node: SiteIndexNode): string[] {
  const folder = store.index.folders[node.f] ?? [];
  return TYPE_DIRS.has(folder[0]) ? folder.slice(1) : folder;
}

/** The order resource types are listed in (tree, overview). */
export const TYPE_ORDER: SiteIndexNode['t'][] = ['model', 'source', 'seed', 'snapshot', 'exposure'];
