/** Hash routes (`#!/model/model.pkg.name`), so every page has a link that works from file://. */
import type { SiteIndexNode } from './site-data.js';

export type Route = { page: 'overview' } | { page: 'node'; id: string };

export function parseRoute(hash: string): Route {
  const match = /^#!\/([a-z]+)\/(.+)$/.exec(hash);
  if (!match) return { page: 'overview' };
  try {
    return { page: 'node', id: decodeURIComponent(match[2]) };
  } catch {
    return { page: 'overview' };
  }
}

export function nodeHref(node: SiteIndexNode): string {
  return `#!/${node.t}/${encodeURIComponent(node.i)}`;
}

export const OVERVIEW_HREF = '#!/overview';
