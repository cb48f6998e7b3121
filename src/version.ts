import { readFileSync } from 'node:fs';

/** tsdbt's own version, read from its package.json (src/ and dist/ both sit one level below it). */
export const TSDBT_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
