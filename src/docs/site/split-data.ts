import { createHash } from 'node:crypto';
import type { DocsData, DocsNode, DocsTest } from '../docs-data.js';
import { detailFile, type SiteIndex, type SiteIndexNode, type SiteNodeDetail, type TestCounts } from './browser/site-data.js';

/** The site's data as files: the index the page loads first, one detail per node. */
export interface SplitData {
  index: SiteIndex;
  /** Detail file base name (`data/nodes/<file>.js`) → its content. */
  details: Map<string, SiteNodeDetail>;
}

/** Longest plain-text description start kept in the index for search. */
const SNIPPET_LENGTH = 100;

export function splitDocsData(data: DocsData): SplitData {
  const position = new Map<string, number>();
  data.nodes.forEach((node, i) => {
    if (position.has(node.id)) throw new Error(`docs data: node ${node.id} appears twice`);
    position.set(node.id, i);
  });

  // Direct edges, from both sides: a parent listed only as the other's child still counts.
  const parents = data.nodes.map(() => new Set<number>());
  data.nodes.forEach((node, i) => {
    for (const id of node.parents) {
      const p = position.get(id);
      if (p !== undefined && p !== i) parents[i].add(p);
    }
    for (const id of node.children) {
      const c = position.get(id);
      if (c !== undefined && c !== i) parents[c].add(i);
    }
  });

  const folders: string[][] = [];
  const folderPosition = new Map<string, number>();
  const folderOf = (folder: string[]) => {
    const key = folder.join('\u0000');
    let at = folderPosition.get(key);
    if (at === undefined) {
      at = folders.length;
      folders.push([...folder]);
      folderPosition.set(key, at);
    }
    return at;
  };

  const details = new Map<string, SiteNodeDetail>();
  const nodes = data.nodes.map((node, i): SiteIndexNode => {
    const key = detailKey(node.id, details);
    const lineage = data.lineage.nodes[node.id];
    details.set(detailFile(node.id, key), { node, lineage });
    const entry: SiteIndexNode = { i: node.id, t: node.resourceType, l: node.label, f: folderOf(node.folder), d: key };
    if (node.name !== node.label) entry.n = node.name;
    if (node.tags.length) entry.g = node.tags;
    const snippet = plainSnippet(node.description);
    if (snippet) entry.s = snippet;
    if (node.columns.length) entry.c = node.columns.map((c) => c.name).join(' ');
    if (parents[i].size) entry.p = [...parents[i]].sort((a, b) => a - b);
    if (node.materialized) entry.m = node.materialized;
    const counts = testCounts(node);
    if (counts) entry.r = counts;
    if (lineage) entry.x = lineage.status;
    return entry;
  });

  // The writer sets the version once it has serialised everything.
  const index: SiteIndex = { version: '', project: data.project, folders, nodes };
  return { index, details };
}

/** The shortest start of the id's hash that names no other node's file. */
function detailKey(id: string, taken: Map<string, unknown>): string {
  const hash = createHash('sha1').update(id).digest('hex');
  for (let length = 8; length <= hash.length; length += 4) {
    const key = hash.slice(0, length);
    if (!taken.has(detailFile(id, key))) return key;
  }
  throw new Error(`docs data: no free file name for ${id}`);
}

function testCounts(node: DocsNode): TestCounts | undefined {
  const all: DocsTest[] = [...node.tests, ...node.columns.flatMap((c) => c.tests)];
  if (!all.length) return undefined;
  const counts: TestCounts = [0, 0, 0, 0, 0, 0];
  const slot = { pass: 0, fail: 1, warn: 2, error: 3, skipped: 4 } as const;
  for (const test of all) counts[test.status ? slot[test.status] : 5]++;
  return counts;
}

/** Markdown reduced to its words: enough to search and to show as a one-line hint. */
export function plainSnippet(markdown: string): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= SNIPPET_LENGTH) return text;
  const cut = text.slice(0, SNIPPET_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${space > SNIPPET_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}
