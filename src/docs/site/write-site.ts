import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DocsData } from '../docs-data.js';
import { DETAIL_CALLBACK, INDEX_GLOBAL } from './browser/site-data.js';
import { linkPageScript } from './link-page-script.js';
import { FAVICON_SVG, pageHtml } from './page-html.js';
import { PAGE_CSS } from './page-style.js';
import { splitDocsData } from './split-data.js';

export interface WriteSiteOptions {
  /** Folder of the compiled page script (`app.js` and its modules); by default the package's own. */
  pageScriptDir?: string;
}

/** What `writeSite` leaves in its folder; nothing else there is touched. */
const GENERATED = ['index.html', 'assets', 'data'];

/** Library browser bundles copied into `assets/vendor/`, from the installed packages. */
const VENDOR: Array<{ file: string; from: Array<[pkg: string, path: string]> }> = [
  { file: 'marked.js', from: [['marked', 'lib/marked.umd.js']] },
  {
    file: 'prism.js',
    from: [
      ['prismjs', 'prism.js'],
      ['prismjs', 'components/prism-sql.js'],
    ],
  },
  { file: 'prism.css', from: [['prismjs', 'themes/prism.css']] },
  { file: 'elk.js', from: [['elkjs', 'lib/elk.bundled.js']] },
];

/**
 * Writes the documentation site of `data` into `outDir` (`target/docs/`): `index.html`, the page
 * script and the libraries it uses under `assets/`, the data as scripts under `data/` (an index
 * loaded first, one file per node loaded on demand), so the site works from file:// as from any
 * static server, with no network. The generated parts of a previous site are removed first.
 */
export function writeSite(outDir: string, data: DocsData, options: WriteSiteOptions = {}): { files: number; bytes: number } {
  // Everything that can fail is read before the previous site is removed.
  const script = linkPageScript(options.pageScriptDir ?? defaultPageScriptDir());
  // A package's own files, found from its package.json: `exports` may not list the browser bundles.
  const require = createRequire(import.meta.url);
  const read = ([pkg, path]: [string, string]) => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), path), 'utf8');
  const vendor = VENDOR.map(({ file, from }) => ({ file, content: from.map(read).join('\n;\n') }));
  const { index, details } = splitDocsData(data);

  for (const entry of GENERATED) rmSync(join(outDir, entry), { recursive: true, force: true });
  let files = 0;
  let bytes = 0;
  const made = new Set<string>();
  const write = (rel: string, content: string) => {
    const path = join(outDir, rel);
    const dir = dirname(path);
    if (!made.has(dir)) mkdirSync(dir, { recursive: true });
    made.add(dir);
    writeFileSync(path, content);
    files++;
    bytes += Buffer.byteLength(content);
  };

  // Details first: the version (a hash of every file's data) goes in the index and the page.
  const hash = createHash('sha1');
  for (const [file, detail] of details) {
    const content = `window.${DETAIL_CALLBACK}(${scriptLiteral(detail.node.id)}, ${scriptLiteral(detail)});\n`;
    hash.update(content);
    write(`data/nodes/${file}.js`, content);
  }
  index.version = hash.update(scriptLiteral(index)).update(script).digest('hex').slice(0, 12);
  write('data/index.js', `window.${INDEX_GLOBAL} = ${scriptLiteral(index)};\n`);
  write('index.html', pageHtml(data.project.name, index.version));
  write('assets/site.css', PAGE_CSS);
  write('assets/favicon.svg', FAVICON_SVG);
  write('assets/app.js', script);
  for (const { file, content } of vendor) write(`assets/vendor/${file}`, content);
  return { files, bytes };
}

/**
 * The compiled page script next to this module (dist/docs/site/write-site.js → browser/app.js);
 * when this module runs from its TypeScript source (tests), the build's copy in dist/.
 */
function defaultPageScriptDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'browser'), join(here, '..', '..', '..', 'dist', 'docs', 'site', 'browser')];
  const found = candidates.find((dir) => existsSync(join(dir, 'app.js')));
  if (!found) throw new Error(`docs site: the page script is not built (no app.js in ${candidates.join(' or ')}); run \`npm run build\``);
  return found;
}

/** JSON as a JavaScript literal that is also safe should it ever be inlined in HTML. */
function scriptLiteral(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
