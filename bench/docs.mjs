#!/usr/bin/env node
// `tsdbt docs generate` at 1 000 and 10 000 models: time, memory, site size, and the page's
// load time in Chromium (Debian's /usr/bin/chromium through playwright-core).
//
//   node bench/docs.mjs [--sizes 1000,10000] [--runs 3] [--page-runs 5] [--reuse]
//
// Each size: a generated project (bench/generate.mjs, seed 42), built once on DuckDB (raw tables
// from seed.sql, then `tsdbt run`), then `docs generate` with the catalog (connected) and with
// `--no-catalog` (--reuse: keep a project built by an earlier run). The page is opened from file:// and timed until the tree is drawn, then until
// a search has filtered it and a model page with its lineage graph is shown.
// Results go to bench/work/docs.json and the "Docs" section of RESULTS.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { closeDatabase, openDatabase } from './lib/duck.mjs';
import { measure, median } from './lib/measure.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH, '..');
const CLI = path.join(REPO, 'bin', 'tsdbt.js');
const WORK = path.join(BENCH, 'work');
const OUT_JSON = path.join(WORK, 'docs.json');
const RESULTS_MD = path.join(BENCH, 'RESULTS.md');
const CHROMIUM = '/usr/bin/chromium';

const args = Object.fromEntries(process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])));
const SIZES = String(args.sizes ?? '1000,10000')
  .split(',')
  .map(Number);
const RUNS = Number(args.runs ?? 3);
const PAGE_RUNS = Number(args['page-runs'] ?? 5);

const log = (text) => process.stderr.write(`${text}\n`);

function folderSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return { bytes, files };
}

async function buildProject(size) {
  const dir = path.join(WORK, `docs-${size}`);
  fs.rmSync(dir, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(BENCH, 'generate.mjs'), '--models', String(size), '--out', dir, '--flavor', 'tsdbt', '--seed', '42', '--quiet']);
  fs.mkdirSync(path.join(dir, 'target'), { recursive: true });
  const db = await openDatabase(path.join(dir, 'target', 'bench.duckdb'));
  await db.conn.run(fs.readFileSync(path.join(dir, 'seed.sql'), 'utf8'));
  closeDatabase(db);
  const built = await measure(process.execPath, [CLI, 'run'], { cwd: dir, timeoutMs: 3_600_000 });
  if (!built.ok) throw new Error(`tsdbt run failed at ${size} models: ${built.stderrTail}`);
  return dir;
}

async function timeGenerate(dir, extra) {
  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    const m = await measure(process.execPath, [CLI, 'docs', 'generate', ...extra], { cwd: dir, timeoutMs: 3_600_000 });
    if (!m.ok) throw new Error(`docs generate ${extra.join(' ')} failed: ${m.stderrTail}`);
    runs.push(m);
  }
  return {
    wallMs: median(runs.map((m) => m.wallMs)),
    cpuMs: median(runs.map((m) => m.userMs + m.sysMs)),
    peakMB: Math.round(Math.max(...runs.map((m) => m.peakTreeKB)) / 1024),
    runs: runs.length,
  };
}

/** Median page timings from file://: tree drawn; search filtered; a model page with its graph. */
async function timePage(dir) {
  const require = createRequire(path.join(REPO, 'package.json'));
  const playwright = await import(pathToFileURL(require.resolve('playwright-core')).href);
  const { chromium } = playwright.default ?? playwright;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const ready = [];
  const search = [];
  const nodePage = [];
  try {
    for (let r = 0; r < PAGE_RUNS; r++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const start = performance.now();
      await page.goto(pathToFileURL(path.join(dir, 'target', 'docs', 'index.html')).href);
      await page.waitForSelector('[data-testid="tree-folder"]');
      ready.push(performance.now() - start);
      const searchStart = performance.now();
      await page.fill('[data-testid="search-box"]', 'gld_');
      await page.waitForFunction(() => /match/.test(document.querySelector('[data-testid="search-status"]')?.textContent ?? ''));
      search.push(performance.now() - searchStart);
      // The last match: a gold model deep in the DAG.
      const id = await page.evaluate(() => [...document.querySelectorAll('[data-testid="tree-item"]')].at(-1)?.getAttribute('data-id'));
      const pageStart = performance.now();
      await page.evaluate((nodeId) => {
        location.hash = `#!/model/${nodeId ?? ''}`;
      }, id);
      await page.waitForSelector('[data-testid="lineage-graph"] [data-testid="graph-node"]');
      nodePage.push(performance.now() - pageStart);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { readyMs: median(ready), searchMs: median(search), nodePageMs: median(nodePage), runs: PAGE_RUNS };
}

const results = {
  date: new Date().toISOString(),
  command: `node bench/docs.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  load: os.loadavg()[0].toFixed(2),
  sizes: [],
};
for (const size of SIZES) {
  log(`docs @ ${size} models: building the project`);
  const dir =
    'reuse' in args && fs.existsSync(path.join(WORK, `docs-${size}`, 'target', 'bench.duckdb')) ? path.join(WORK, `docs-${size}`) : await buildProject(size);
  log('  docs generate (catalog)');
  const withCatalog = await timeGenerate(dir, []);
  const site = folderSize(path.join(dir, 'target', 'docs'));
  const index = fs.statSync(path.join(dir, 'target', 'docs', 'data', 'index.js')).size;
  const lineage = fs.statSync(path.join(dir, 'target', 'lineage.json')).size;
  log('  docs generate --no-catalog');
  const noCatalog = await timeGenerate(dir, ['--no-catalog']);
  const page = fs.existsSync(CHROMIUM) ? await timePage(dir) : undefined;
  results.sizes.push({ size, withCatalog, noCatalog, site, indexBytes: index, lineageBytes: lineage, page });
  log(`  ${JSON.stringify(results.sizes.at(-1))}`);
}
fs.mkdirSync(WORK, { recursive: true });
fs.writeFileSync(OUT_JSON, `${JSON.stringify(results, null, 2)}\n`);

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const section = [
  '<!-- docs:start -->',
  '## Docs: `tsdbt docs generate` and the site in Chromium',
  '',
  `Generated projects (bench/generate.mjs, seed 42) built on DuckDB, then \`tsdbt docs generate\` (manifest, catalog, column lineage of every model, site), median of ${RUNS}; the page opened from file:// in Debian's Chromium (headless, playwright-core), median of ${PAGE_RUNS}: until the tree is drawn, until a search for "gld_" has filtered it, until a model page shows its lineage graph. Command: \`${results.command}\` (${results.date}, load average ${results.load}).`,
  '',
  '| models | generate (catalog) wall (CPU) / peak | generate --no-catalog wall (CPU) / peak | site: files, size | index.js | lineage.json | page ready | search | model page + graph |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.sizes.map(
    (r) =>
      `| ${r.size.toLocaleString('en-US')} | ${s(r.withCatalog.wallMs)} (${s(r.withCatalog.cpuMs)}) / ${r.withCatalog.peakMB} MB | ${s(r.noCatalog.wallMs)} (${s(r.noCatalog.cpuMs)}) / ${r.noCatalog.peakMB} MB | ${r.site.files.toLocaleString('en-US')}, ${mb(r.site.bytes)} | ${mb(r.indexBytes)} | ${mb(r.lineageBytes)} | ${r.page ? `${Math.round(r.page.readyMs)} ms` : 'no chromium'} | ${r.page ? `${Math.round(r.page.searchMs)} ms` : ''} | ${r.page ? `${Math.round(r.page.nodePageMs)} ms` : ''} |`,
  ),
  '',
  'The page loads only `data/index.js` (names, folders, edges, column names) up front; a node page loads its own file, the graph draws only the neighbourhood.',
  '<!-- docs:end -->',
].join('\n');
const current = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '';
const pattern = /<!-- docs:start -->[\s\S]*<!-- docs:end -->/;
fs.writeFileSync(RESULTS_MD, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
log(section);
