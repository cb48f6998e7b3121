/**
 * The sidebar: a tree of the project's resources by type and folder, and the search that
 * filters it. Only expanded folders are in the DOM, a folder shows its first nodes and a
 * "show more" button, and a search renders the first matches only: the tree stays quick at
 * 10 000 nodes. Search matches every word of the query against the lowercase text the store
 * prepared once per node (label, name, id, description start, column names, tags).
 */
import { h } from './dom.js';
import { nodeHref } from './router.js';
import type { SiteIndexNode } from './site-data.js';
import { type Store, TYPE_LABELS, TYPE_ORDER, treeFolder } from './store.js';

interface Folder {
  key: string;
  name: string;
  folders: Folder[];
  nodes: number[];
  /** Nodes in this folder and below. */
  count: number;
}

export interface SidebarTree {
  element: HTMLElement;
  /** Marks the open node and expands the folders down to it. */
  setActive(position: number | undefined): void;
  focusSearch(): void;
}

/** Nodes a folder shows before its "show more" button, and how many more each press adds. */
const FOLDER_PAGE = 200;
/** Matches a search renders at most. */
const MATCH_LIMIT = 300;

export function createSidebarTree(store: Store): SidebarTree {
  const roots = buildTree(
    store,
    store.nodes.map((_, i) => i),
  );
  const nodeFolderKeys = new Map<number, string[]>();
  const expanded = initiallyExpanded(roots);
  const shown = new Map<string, number>();
  let active: number | undefined;
  let query = '';
  let scheduled = false;

  const search = h('input', {
    type: 'search',
    class: 'search-input',
    placeholder: 'Search models, columns, tags…',
    title: 'Search (press / from anywhere)',
    'aria-label': 'Search',
    'data-testid': 'search-box',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const status = h('div', { class: 'search-status', 'data-testid': 'search-status', 'aria-live': 'polite' });
  const list = h('div', { class: 'tree', role: 'tree', 'data-testid': 'tree' });
  const element = h('nav', { class: 'sidebar', 'aria-label': 'Project resources' }, h('div', { class: 'search' }, search, status), list);

  search.addEventListener('input', () => {
    query = search.value;
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      render();
    });
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      search.value = '';
      query = '';
      render();
    }
    if (event.key === 'Enter') {
      const first = list.querySelector<HTMLAnchorElement>('a.tree-node');
      if (first) location.hash = first.getAttribute('href') ?? '';
    }
  });
  list.addEventListener('click', (event) => {
    const target = event.target as Element;
    const folder = target.closest<HTMLElement>('[data-folder]');
    if (folder) {
      const key = folder.dataset.folder!;
      if (expanded.has(key)) expanded.delete(key);
      else expanded.add(key);
      render();
      return;
    }
    const more = target.closest<HTMLElement>('[data-more]');
    if (more) {
      const key = more.dataset.more!;
      shown.set(key, (shown.get(key) ?? FOLDER_PAGE) + FOLDER_PAGE * 5);
      render();
    }
  });

  function render(): void {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) {
      status.textContent = '';
      list.replaceChildren(...roots.map((root) => renderFolder(root, 0, false, [])));
      return;
    }
    const matches: number[] = [];
    let total = 0;
    const { haystacks } = store;
    for (let i = 0; i < haystacks.length; i++) {
      const text = haystacks[i];
      if (words.every((w) => text.includes(w))) {
        total++;
        if (matches.length < MATCH_LIMIT) matches.push(i);
      }
    }
    status.textContent =
      total === 0 ? 'No match' : total > matches.length ? `${total} matches, first ${matches.length} shown` : `${total} match${total === 1 ? '' : 'es'}`;
    const tree = buildTree(store, matches);
    list.replaceChildren(...tree.map((root) => renderFolder(root, 0, true, words)));
  }

  function renderFolder(folder: Folder, depth: number, open: boolean, words: string[]): HTMLElement {
    const isOpen = open || expanded.has(folder.key);
    const row = h(
      'button',
      {
        type: 'button',
        class: depth === 0 ? 'tree-folder tree-group' : 'tree-folder',
        'data-folder': open ? null : folder.key,
        'data-testid': 'tree-folder',
        'aria-expanded': String(isOpen),
        style: `--depth:${depth}`,
      },
      h('span', { class: 'caret', 'aria-hidden': 'true' }),
      h('span', { class: 'tree-folder-name' }, folder.name),
      h('span', { class: 'tree-count' }, folder.count),
    );
    const group = h('div', { class: 'tree-branch', role: 'group' }, row);
    if (!isOpen) return group;
    for (const sub of folder.folders) group.append(renderFolder(sub, depth + 1, open, words));
    const limit = open ? folder.nodes.length : (shown.get(folder.key) ?? FOLDER_PAGE);
    for (const position of folder.nodes.slice(0, limit)) group.append(renderNode(position, depth + 1, words));
    if (folder.nodes.length > limit) {
      group.append(
        h(
          'button',
          { type: 'button', class: 'tree-more', 'data-more': folder.key, style: `--depth:${depth + 1}` },
          `Show more (${folder.nodes.length - limit} left)`,
        ),
      );
    }
    return group;
  }

  function renderNode(position: number, depth: number, words: string[]): HTMLElement {
    const node = store.nodes[position];
    const counts = node.r;
    const health = counts && counts[1] + counts[3] > 0 ? 'failing' : counts && counts[2] > 0 ? 'warning' : undefined;
    return h(
      'a',
      {
        class: 'tree-node',
        href: nodeHref(node),
        role: 'treeitem',
        'data-testid': 'tree-item',
        'data-id': node.i,
        'data-type': node.t,
        'aria-current': position === active ? 'page' : null,
        title: node.s ? `${node.i}\n${node.s}` : node.i,
        style: `--depth:${depth}`,
      },
      h('span', { class: `type-dot type-${node.t}`, 'aria-hidden': 'true' }),
      h('span', { class: 'tree-label' }, highlight(node.l, words)),
      words.length ? matchHint(node, words) : null,
      health && h('span', { class: `health health-${health}`, title: health === 'failing' ? 'Failing tests' : 'Tests with warnings' }),
    );
  }

  function folderKeysOf(position: number): string[] {
    let keys = nodeFolderKeys.get(position);
    if (!keys) {
      const node = store.nodes[position];
      keys = [node.t];
      let key: string = node.t;
      for (const part of treeFolder(store, node)) {
        key = `${key}/${part}`;
        keys.push(key);
      }
      nodeFolderKeys.set(position, keys);
    }
    return keys;
  }

  render();
  return {
    element,
    setActive(position) {
      active = position;
      if (position !== undefined && !query) {
        for (const key of folderKeysOf(position)) expanded.add(key);
        const folderKey = folderKeysOf(position).at(-1)!;
        const folder = findFolder(roots, folderKey);
        const at = folder ? folder.nodes.indexOf(position) : -1;
        if (at >= (shown.get(folderKey) ?? FOLDER_PAGE)) shown.set(folderKey, at + 1);
      }
      render();
      list.querySelector('[aria-current="page"]')?.scrollIntoView({ block: 'nearest' });
    },
    focusSearch() {
      search.focus();
      search.select();
    },
  };
}

/** Rows the tree shows at first, at most: folders open breadth-first while they fit. */
const INITIAL_ROWS = 60;

function initiallyExpanded(roots: Folder[]): Set<string> {
  const expanded = new Set<string>();
  const size = (folder: Folder) => folder.folders.length + Math.min(folder.nodes.length, FOLDER_PAGE);
  let rows = roots.length;
  for (const root of roots) {
    expanded.add(root.key);
    rows += size(root);
  }
  let level = roots.flatMap((root) => root.folders);
  while (level.length) {
    const next: Folder[] = [];
    for (const folder of level) {
      const adds = size(folder);
      if (rows + adds > INITIAL_ROWS) return expanded;
      expanded.add(folder.key);
      rows += adds;
      next.push(...folder.folders);
    }
    level = next;
  }
  return expanded;
}

function buildTree(store: Store, positions: number[]): Folder[] {
  const roots = new Map<string, Folder>();
  const byKey = new Map<string, Folder>();
  for (const position of positions) {
    const node = store.nodes[position];
    let folder = roots.get(node.t);
    if (!folder) {
      folder = { key: node.t, name: TYPE_LABELS[node.t].many, folders: [], nodes: [], count: 0 };
      roots.set(node.t, folder);
    }
    folder.count++;
    for (const part of treeFolder(store, node)) {
      const key: string = `${folder.key}/${part}`;
      let sub: Folder | undefined = byKey.get(key);
      if (!sub) {
        sub = { key, name: part, folders: [], nodes: [], count: 0 };
        byKey.set(key, sub);
        folder.folders.push(sub);
      }
      sub.count++;
      folder = sub;
    }
    folder.nodes.push(position);
  }
  const sort = (folder: Folder) => {
    folder.folders.sort((a, b) => a.name.localeCompare(b.name));
    folder.nodes.sort((a, b) => compareLabels(store.nodes[a].l, store.nodes[b].l));
    folder.folders.forEach(sort);
  };
  const list = TYPE_ORDER.map((t) => roots.get(t)).filter((f): f is Folder => !!f);
  list.forEach(sort);
  return list;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareLabels(a: string, b: string): number {
  return collator.compare(a, b);
}

function findFolder(roots: Folder[], key: string): Folder | undefined {
  for (const root of roots) {
    if (root.key === key) return root;
    if (key.startsWith(`${root.key}/`)) {
      const found = findFolder(root.folders, key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Why a search found a node whose label lacks a searched word: the matching column, else the tag or description. */
function matchHint(node: SiteIndexNode, words: string[]): HTMLElement | null {
  const label = node.l.toLowerCase();
  const missing = words.filter((w) => !label.includes(w));
  if (!missing.length) return null;
  const column = (node.c ?? '').split(' ').find((c) => missing.some((w) => c.toLowerCase().includes(w)));
  const tag = (node.g ?? []).find((t) => missing.some((w) => t.toLowerCase().includes(w)));
  const text = column ? `.${column}` : tag ? `#${tag}` : missing.some((w) => (node.s ?? '').toLowerCase().includes(w)) ? 'description' : undefined;
  return text ? h('span', { class: 'tree-hint' }, text) : null;
}

/** The label with the searched words marked. */
function highlight(label: string, words: string[]): Array<string | HTMLElement> {
  if (!words.length) return [label];
  const lower = label.toLowerCase();
  const marks: Array<[number, number]> = [];
  for (const word of words) {
    const at = lower.indexOf(word);
    if (at >= 0) marks.push([at, at + word.length]);
  }
  if (!marks.length) return [label];
  marks.sort((a, b) => a[0] - b[0]);
  const parts: Array<string | HTMLElement> = [];
  let from = 0;
  for (const [start, end] of marks) {
    if (start < from) continue;
    if (start > from) parts.push(label.slice(from, start));
    parts.push(h('mark', null, label.slice(start, end)));
    from = end;
  }
  if (from < label.length) parts.push(label.slice(from));
  return parts;
}
