/** What the page finds on `window`: its data (written by the site writer) and the libraries' globals. */
import type { ELK, ELKConstructorArguments } from 'elkjs/lib/elk-api';
import type * as MarkedModule from 'marked';
import type { DETAIL_CALLBACK, INDEX_GLOBAL, SiteIndex, SiteNodeDetail } from './site-data.js';

export interface PrismApi {
  languages: Record<string, unknown>;
  highlight(text: string, grammar: unknown, language: string): string;
}

declare global {
  interface Window {
    [INDEX_GLOBAL]?: SiteIndex;
    [DETAIL_CALLBACK]?: (id: string, detail: SiteNodeDetail) => void;
    marked?: typeof MarkedModule;
    Prism?: PrismApi;
    ELK?: new (args?: ELKConstructorArguments) => ELK;
  }
}
