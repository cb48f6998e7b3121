/**
 * The documentation site `tsdbt docs generate` writes, opened in a real Chromium from file://
 * and from a loopback HTTP server: tree and search, node pages, lineage graph, column lineage,
 * exposures, Markdown safety; and a 10 000-node project.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocsColumn, DocsData, DocsNode, DocsTest, NodeLineage } from '../../src/docs/docs-data.js';
import { writeSite } from '../../src/docs/site/write-site.js';
import { CHROMIUM_PATH, hasChromium, launchChromium, type StaticServer, serveStatic } from '../helpers/browser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOTS = process.env.TSDBT_DOCS_SCREENSHOTS ?? join(tmpdir(), 'tsdbt-docs-screenshots');
const LOOKER_URL =
  'https://lookerstudio.google.com/reporting/create?c.reportId=abc123&ds.ds0.connector=bigQuery&ds.ds0.type=TABLE&ds.ds0.projectId=my-project&ds.ds0.datasetId=marts&ds.ds0.tableId=orders';

if (!hasChromium) console.warn(`docs-site tests skipped: no Chromium at ${CHROMIUM_PATH} (set TSDBT_CHROMIUM to run them)`);

// ---------------------------------------------------------------------------------------------
// A small shop project as the generator would describe it.

const test = (name: string, status?: DocsTest['status'], failures?: number, severity: DocsTest['severity'] = 'error'): DocsTest => ({
  id: `test.shop.${name}_${Math.random().toString(36).slice(2, 8)}`,
  name,
  severity,
  status,
  failures,
});

const col = (name: string, type: string, description = '', tests: DocsTest[] = []): Omit<DocsColumn, 'index'> => ({ name, type, description, tests });

function node(fields: Partial<DocsNode> & Pick<DocsNode, 'id' | 'resourceType' | 'name'>, columns: Array<Omit<DocsColumn, 'index'>> = []): DocsNode {
  return {
    label: fields.name,
    packageName: 'shop',
    folder: [`${fields.resourceType}s`],
    originalFilePath: `${fields.resourceType}s/${fields.name}.sql`,
    description: '',
    tags: [],
    config: {},
    tests: [],
    parents: [],
    children: [],
    ...fields,
    columns: columns.map((c, i) => ({ ...c, index: i + 1 })),
  };
}

const edge = (nodeId: string, column: string, kind: 'passthrough' | 'transformation' | 'filter' = 'passthrough') => ({ node: nodeId, column, kind });

const PREVIEW_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80" viewBox="0 0 320 80"><polyline fill="none" stroke="#3457d5" stroke-width="2" points="0,60 40,50 80,55 120,30 160,35 200,20 240,28 280,10 320,15"/></svg>';

const ORDERS_DESCRIPTION = `One row per **order**, in euros.

- built from the staging orders
- joined to [countries](#!/seed/seed.shop.countries)

Dangerous bits that must stay text: <script>window.__xss = 1</script> <img src="x" onerror="window.__xss2 = 1">
and a [bad link](javascript:window.__xss3=1).`;

function shopData(): DocsData {
  const nodes: DocsNode[] = [
    node(
      {
        id: 'source.shop.raw.orders',
        resourceType: 'source',
        name: 'orders',
        label: 'raw.orders',
        folder: ['sources', 'raw'],
        originalFilePath: 'models/sources.yml',
        relation: '"lake"."raw"."orders"',
        description: 'Orders as the shop exports them.',
        children: ['model.shop.stg_orders'],
      },
      [
        col('id', 'INTEGER', '', [test('not_null', 'pass')]),
        col('amount', 'DOUBLE'),
        col('status', 'VARCHAR'),
        col('customer_id', 'INTEGER'),
        col('country_code', 'VARCHAR'),
      ],
    ),
    node(
      {
        id: 'source.shop.raw.customers',
        resourceType: 'source',
        name: 'customers',
        label: 'raw.customers',
        folder: ['sources', 'raw'],
        originalFilePath: 'models/sources.yml',
        children: ['model.shop.stg_customers'],
      },
      [col('id', 'INTEGER'), col('name', 'VARCHAR'), col('email', 'VARCHAR')],
    ),
    node({ id: 'seed.shop.countries', resourceType: 'seed', name: 'countries', relation: '"main"."countries"', children: ['model.shop.orders'] }, [
      col('code', 'VARCHAR', 'ISO 3166 code'),
      col('name', 'VARCHAR'),
    ]),
    node(
      {
        id: 'model.shop.stg_orders',
        resourceType: 'model',
        name: 'stg_orders',
        folder: ['models', 'staging'],
        materialized: 'view',
        relation: '"main"."stg_orders"',
        description: 'Orders, cleaned: cancelled ones left out.',
        parents: ['source.shop.raw.orders'],
        children: ['model.shop.orders', 'model.shop.customers', 'snapshot.shop.orders_snapshot'],
        rawSql:
          'select id as order_id, amount * 1.0 as amount, status, customer_id, country_code\nfrom {{source "raw" "orders"}}\nwhere status <> \'cancelled\'',
        compiledSql:
          'select id as order_id, amount * 1.0 as amount, status, customer_id, country_code\nfrom "lake"."raw"."orders"\nwhere status <> \'cancelled\'',
      },
      [col('order_id', 'INTEGER'), col('amount', 'DOUBLE'), col('status', 'VARCHAR'), col('customer_id', 'INTEGER'), col('country_code', 'VARCHAR')],
    ),
    node(
      {
        id: 'model.shop.stg_customers',
        resourceType: 'model',
        name: 'stg_customers',
        folder: ['models', 'staging'],
        materialized: 'view',
        parents: ['source.shop.raw.customers'],
      },
      [col('customer_id', 'INTEGER'), col('name', 'VARCHAR')],
    ),
    node(
      {
        id: 'model.shop.orders',
        resourceType: 'model',
        name: 'orders',
        folder: ['models', 'marts'],
        originalFilePath: 'models/marts/orders.sql',
        materialized: 'table',
        relation: '"main"."orders"',
        description: ORDERS_DESCRIPTION,
        tags: ['finance', 'daily'],
        config: { materialized: 'table', tags: ['finance', 'daily'], partition_by: { field: 'order_date', granularity: 'day' }, enabled: true },
        parents: ['model.shop.stg_orders', 'seed.shop.countries'],
        children: ['model.shop.revenue_by_country', 'exposure.shop.weekly_sales'],
        stats: { rowCount: 12345, bytes: 2_621_440 },
        tests: [test('dbt_utils.unique_combination_of_columns', 'pass')],
        rawSql:
          '{{config materialized="table"}}\nselect o.order_id, o.amount * 0.92 as amount_eur, c.name as country_name\nfrom {{ref "stg_orders"}} o\njoin {{ref "countries"}} c on c.code = o.country_code',
        compiledSql:
          'select o.order_id, o.amount * 0.92 as amount_eur, c.name as country_name\nfrom "main"."stg_orders" o\njoin "main"."countries" c on c.code = o.country_code',
        previewSvg: PREVIEW_SVG,
      },
      [
        col('order_id', 'INTEGER', 'The order number.', [test('unique', 'pass'), test('not_null', 'pass')]),
        col('amount_eur', 'DOUBLE', 'Amount in **euros**.', [test('not_null', 'fail', 3)]),
        col('country_name', 'VARCHAR', '', [test('accepted_values', 'warn', 2, 'warn')]),
        col('customer_id', 'INTEGER', '', [test('relationships', 'error')]),
      ],
    ),
    node(
      {
        id: 'model.shop.customers',
        resourceType: 'model',
        name: 'customers',
        folder: ['models', 'marts'],
        materialized: 'table',
        parents: ['model.shop.stg_customers', 'model.shop.stg_orders'],
      },
      [col('customer_id', 'INTEGER'), col('order_count', 'BIGINT')],
    ),
    node(
      {
        id: 'model.shop.revenue_by_country',
        resourceType: 'model',
        name: 'revenue_by_country',
        folder: ['models', 'marts'],
        materialized: 'table',
        parents: ['model.shop.orders'],
        children: ['model.shop.country_kpis'],
      },
      [col('country_name', 'VARCHAR'), col('revenue', 'DOUBLE'), col('rank', 'BIGINT')],
    ),
    node(
      {
        id: 'model.shop.country_kpis',
        resourceType: 'model',
        name: 'country_kpis',
        folder: ['models', 'reporting'],
        materialized: 'view',
        parents: ['model.shop.revenue_by_country'],
      },
      [col('country_name', 'VARCHAR')],
    ),
    node(
      { id: 'snapshot.shop.orders_snapshot', resourceType: 'snapshot', name: 'orders_snapshot', folder: ['snapshots'], parents: ['model.shop.stg_orders'] },
      [col('order_id', 'INTEGER')],
    ),
    node({
      id: 'exposure.shop.weekly_sales',
      resourceType: 'exposure',
      name: 'weekly_sales',
      label: 'Weekly sales',
      folder: ['models', 'marts'],
      originalFilePath: 'models/marts/exposures.yml',
      description: 'The **weekly sales** dashboard.',
      parents: ['model.shop.orders'],
      exposure: { type: 'dashboard', owner: { name: 'Data team', email: 'data@example.com' }, url: 'https://example.com/dashboards/weekly', maturity: 'high' },
      lookerStudioUrl: LOOKER_URL,
    }),
  ];

  const lineage: Record<string, NodeLineage> = {
    'model.shop.stg_orders': {
      status: 'ok',
      columns: {
        order_id: { upstream: [edge('source.shop.raw.orders', 'id')] },
        amount: { upstream: [edge('source.shop.raw.orders', 'amount', 'transformation')] },
        status: { upstream: [edge('source.shop.raw.orders', 'status')] },
        customer_id: { upstream: [edge('source.shop.raw.orders', 'customer_id')] },
        country_code: { upstream: [edge('source.shop.raw.orders', 'country_code')] },
      },
      keys: [edge('source.shop.raw.orders', 'status', 'filter')],
    },
    'model.shop.orders': {
      status: 'ok',
      columns: {
        order_id: { upstream: [edge('model.shop.stg_orders', 'order_id')] },
        amount_eur: { upstream: [edge('model.shop.stg_orders', 'amount', 'transformation')] },
        country_name: { upstream: [edge('seed.shop.countries', 'name')] },
        customer_id: { upstream: [edge('model.shop.stg_orders', 'customer_id')] },
      },
      keys: [edge('model.shop.stg_orders', 'country_code', 'filter'), edge('seed.shop.countries', 'code', 'filter')],
    },
    'model.shop.revenue_by_country': {
      status: 'partial',
      reason: 'a window function over an unnamed expression',
      columns: {
        country_name: { upstream: [edge('model.shop.orders', 'country_name')] },
        revenue: { upstream: [edge('model.shop.orders', 'amount_eur', 'transformation')] },
        rank: { upstream: [], unresolved: 'rank() over an expression the parser cannot name' },
      },
      keys: [],
    },
  };

  return {
    project: {
      name: 'shop',
      generatedAt: '2025-03-14T09:26:53Z',
      tsdbtVersion: '0.1.0',
      target: { name: 'dev', type: 'duckdb' },
      overviewMarkdown:
        '# Shop analytics\n\nModels of the **shop**: orders, customers and their _revenue_.\n\n## Conventions\n\n1. `stg_` models clean one source\n2. marts join them',
      lastRun: { generatedAt: '2025-03-14T09:20:00Z', command: 'build' },
    },
    nodes,
    lineage: { metadata: { generatedAt: '2025-03-14T09:26:53Z', tsdbtVersion: '0.1.0', parser: 'test' }, nodes: lineage },
  };
}

/** 10 000 nodes: 50 sources, chains of models 50 apart, and a hub model a third of the models read. */
function bigData(): DocsData {
  const sources = 50;
  const total = 10_000;
  const columns = ['id', 'event_date', 'region', 'amount', 'quantity', 'status', 'updated_at', 'label'];
  const modelId = (i: number) => `model.big.m_${String(i).padStart(5, '0')}`;
  const nodes: DocsNode[] = [];
  const lineage: Record<string, NodeLineage> = {};
  for (let s = 0; s < sources; s++) {
    nodes.push(
      node(
        {
          id: `source.big.src_${s}.events`,
          resourceType: 'source',
          name: 'events',
          label: `src_${s}.events`,
          packageName: 'big',
          folder: ['sources', `src_${s}`],
        },
        columns.map((c) => col(c, 'VARCHAR')),
      ),
    );
  }
  for (let i = sources; i < total; i++) {
    const m = i - sources;
    const parents = m < sources ? [`source.big.src_${m}.events`] : [modelId(m - sources)];
    if (m > 100 && m % 3 === 0) parents.push(modelId(sources));
    const id = modelId(m);
    nodes.push(
      node(
        {
          id,
          resourceType: 'model',
          name: `m_${String(m).padStart(5, '0')}`,
          packageName: 'big',
          folder: ['models', `layer_${m % 20}`, `group_${m % 7}`],
          materialized: m % 2 ? 'table' : 'view',
          description: `Model number ${m} of the generated project: it reads its parent and keeps eight columns, with a filter on the status and a daily grain.`,
          tags: m % 5 === 0 ? ['nightly'] : [],
          parents,
          rawSql: `select id, event_date, region, amount, quantity, status, updated_at, label\nfrom {{ref "${parents[0]}"}}\nwhere status = 'ok'`,
          compiledSql: `select id, event_date, region, amount, quantity, status, updated_at, label\nfrom "${parents[0]}"\nwhere status = 'ok'`,
        },
        columns.map((c) => col(c, 'VARCHAR', '', c === 'id' ? [test('unique', m % 97 === 0 ? 'fail' : 'pass', m % 97 === 0 ? 1 : undefined)] : [])),
      ),
    );
    lineage[id] = {
      status: 'ok',
      columns: Object.fromEntries(columns.map((c) => [c, { upstream: [edge(parents[0], c)] }])),
      keys: [edge(parents[0], 'status', 'filter')],
    };
  }
  // children as the generator lists them
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const n of nodes) for (const p of n.parents) byId.get(p)?.children.push(n.id);
  return {
    project: { ...shopData().project, name: 'big' },
    nodes,
    lineage: { metadata: { generatedAt: '2025-03-14T09:26:53Z', tsdbtVersion: '0.1.0', parser: 'test' }, nodes: lineage },
  };
}

// ---------------------------------------------------------------------------------------------

let work: string;
let pageScriptDir: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tsdbt-docs-site-'));
  // The page script as `npm run build` compiles it, into a private folder (dist/ is left alone).
  pageScriptDir = join(work, 'page-script');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.site.json'), '--outDir', pageScriptDir], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(() => {
  if (work && process.env.TSDBT_KEEP_TMP !== '1') rmSync(work, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('writeSite', () => {
  it('writes a self-contained site and removes what a previous generation left', () => {
    const out = join(work, 'files');
    mkdirSync(join(out, 'data', 'nodes'), { recursive: true });
    writeFileSync(join(out, 'data', 'nodes', 'stale.js'), 'old');
    writeFileSync(join(out, 'keep.txt'), 'not ours');
    const result = writeSite(out, shopData(), { pageScriptDir });
    const files = listFiles(out);
    expect(files).not.toContain(join('data', 'nodes', 'stale.js'));
    expect(files).toContain('keep.txt');
    expect(files).toEqual(
      expect.arrayContaining([
        'index.html',
        'assets/app.js',
        'assets/site.css',
        'assets/vendor/elk.js',
        'assets/vendor/marked.js',
        'assets/vendor/prism.js',
        'data/index.js',
      ]),
    );
    expect(files.filter((f) => f.startsWith('data/nodes/'))).toHaveLength(shopData().nodes.length);
    expect(result.files).toBe(files.length - 1);
    expect(result.bytes).toBe(files.filter((f) => f !== 'keep.txt').reduce((sum, f) => sum + statSync(join(out, f)).size, 0));

    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(readFileSync(join(out, 'assets/app.js'), 'utf8')).not.toMatch(/^\s*(import|export)\s/m);
    const index = readFileSync(join(out, 'data/index.js'), 'utf8');
    expect(index).not.toContain('select ');
    expect(index).not.toContain('<script');

    // A second generation without a node leaves no file of it.
    const fewer = shopData();
    fewer.nodes = fewer.nodes.filter((n) => n.id !== 'model.shop.country_kpis');
    writeSite(out, fewer, { pageScriptDir });
    expect(listFiles(out).filter((f) => f.includes('country_kpis'))).toEqual([]);
  });

  it('finds the page script the build compiled (dist/docs/site/browser/), like the CLI does', () => {
    // End-to-end tests run after `npm run build`, as the CLI's own do (bin/tsdbt.js loads dist/).
    const out = join(work, 'default-script');
    writeSite(out, shopData());
    expect(readFileSync(join(out, 'assets/app.js'), 'utf8')).toContain('__modules["app.js"]');
  });
});

describe.skipIf(!hasChromium)('the documentation site in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;
  let site: string;

  beforeAll(async () => {
    site = join(work, 'shop');
    writeSite(site, shopData(), { pageScriptDir });
    browser = await launchChromium();
    server = await serveStatic(site);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const modes = [
    { mode: 'file://', url: () => pathToFileURL(join(site, 'index.html')).href },
    { mode: 'http', url: () => `${server.origin}/index.html` },
  ];

  describe.each(modes)('from $mode', ({ mode, url }) => {
    let page: Page;
    const problems: string[] = [];
    const shot = async (name: string) => {
      if (mode === 'file://') await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
    };

    beforeAll(async () => {
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('request', (request) => {
        const target = request.url();
        if (!target.startsWith('file:') && !target.startsWith(server.origin) && !target.startsWith('data:')) problems.push(`network: ${target}`);
      });
      await page.goto(url());
      await page.waitForSelector('body[data-ready]');
    });

    afterAll(async () => {
      await page?.close();
    });

    const open = async (hash: string) => {
      await page.evaluate((h) => {
        location.hash = h;
      }, hash);
      await page.waitForSelector(`[data-testid="node-page"][data-id="${decodeURIComponent(hash.split('/').slice(2).join('/'))}"] .node-body section`);
    };

    it('shows the overview: rendered Markdown, counts, last run', async () => {
      expect(await page.textContent('[data-testid="overview-title"]')).toBe('shop');
      expect(await page.textContent('[data-testid="overview-markdown"] h1')).toBe('Shop analytics');
      expect(await page.textContent('[data-testid="overview-markdown"] strong')).toBe('shop');
      expect(await page.locator('[data-testid="overview-markdown"] ol li').count()).toBe(2);
      expect(await page.textContent('[data-testid="count-model"]')).toContain('6');
      expect(await page.textContent('[data-testid="count-source"]')).toContain('2');
      expect(await page.textContent('[data-testid="count-exposure"]')).toContain('1');
      expect(await page.textContent('[data-testid="last-run"]')).toContain('tsdbt build');
      await shot('overview');
    });

    it('search filters the tree, by name and by column name', async () => {
      const visible = () => page.$$eval('[data-testid="tree-item"]', (items) => items.map((i) => (i as HTMLElement).dataset.id).sort());
      expect(await visible()).toEqual(
        expect.arrayContaining(['model.shop.orders', 'source.shop.raw.orders', 'seed.shop.countries', 'exposure.shop.weekly_sales']),
      );
      await page.fill('[data-testid="search-box"]', 'stg_');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tree-item"]').length === 2);
      expect(await visible()).toEqual(['model.shop.stg_customers', 'model.shop.stg_orders']);
      await page.fill('[data-testid="search-box"]', 'amount_eur');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tree-item"]').length === 1);
      expect(await visible()).toEqual(['model.shop.orders']);
      expect(await page.textContent('[data-testid="search-status"]')).toBe('1 match');
      await shot('search');
      await page.fill('[data-testid="search-box"]', '');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="tree-item"]').length > 2);
    });

    it('a model page shows its columns with types and test results', async () => {
      await page.click('[data-testid="tree-item"][data-id="model.shop.orders"]');
      await page.waitForSelector('[data-testid="node-page"][data-id="model.shop.orders"] [data-testid="columns-table"]');
      expect(await page.textContent('[data-testid="node-title"]')).toBe('orders');
      expect(await page.textContent('[data-testid="node-relation"]')).toBe('"main"."orders"');
      const rows = await page.$$eval('[data-testid="column-row"]', (trs) =>
        trs.map((tr) => ({
          column: (tr as HTMLElement).dataset.column,
          type: tr.querySelector('[data-testid="column-type"]')?.textContent,
          badges: [...tr.querySelectorAll<HTMLElement>('[data-testid="test-badge"]')].map((b) => `${b.dataset.test}:${b.dataset.status}`),
        })),
      );
      expect(rows).toEqual([
        { column: 'order_id', type: 'INTEGER', badges: ['unique:pass', 'not_null:pass'] },
        { column: 'amount_eur', type: 'DOUBLE', badges: ['not_null:fail'] },
        { column: 'country_name', type: 'VARCHAR', badges: ['accepted_values:warn'] },
        { column: 'customer_id', type: 'INTEGER', badges: ['relationships:error'] },
      ]);
      expect(await page.textContent('[data-testid="column-row"][data-column="amount_eur"] [data-testid="test-badge"]')).toContain('fail · 3');
      expect(await page.textContent('[data-testid="node-tests"]')).toContain('dbt_utils.unique_combination_of_columns');
      expect(await page.textContent('[data-fact="rows"] dd')).toBe('12,345');
      expect(await page.textContent('[data-fact="bytes"] dd')).toBe('2.5 MB');
      expect(await page.textContent('[data-testid="config-table"]')).toContain('partition_by');
      expect(await page.locator('[data-testid="node-tag"]').allTextContents()).toEqual(['finance', 'daily']);
      expect(await page.getAttribute('[data-testid="preview-chart"]', 'src')).toMatch(/^data:image\/svg\+xml/);
      expect(await page.locator('[data-testid="parents-list"] a').allTextContents()).toEqual(['stg_orders', 'countries']);
      await page.waitForSelector('[data-testid="lineage-graph"]');
      await shot('model');
      // SQL, highlighted, in tabs
      expect(await page.locator('[data-testid="code-block"] .token.keyword').count()).toBeGreaterThan(0);
      expect(await page.textContent('[data-testid="code-block"]')).toContain('from "main"."stg_orders" o');
      await page.click('[data-testid="code-tab-raw"]');
      expect(await page.textContent('[data-testid="code-block"]')).toContain('{{ref "stg_orders"}}');
      await shot('model-code');
    });

    it('renders descriptions as Markdown and never runs HTML from them', async () => {
      await open('#!/model/model.shop.orders');
      const description = page.locator('[data-testid="node-description"]');
      expect(await description.locator('strong').first().textContent()).toBe('order');
      expect(await description.locator('li').count()).toBe(2);
      expect(await description.textContent()).toContain('<script>window.__xss = 1</script>');
      expect(await description.locator('script, img[onerror]').count()).toBe(0);
      const badLink = description.locator('a', { hasText: 'bad link' });
      expect(await badLink.getAttribute('href')).toBeNull();
      expect(await page.evaluate(() => [(window as any).__xss, (window as any).__xss2, (window as any).__xss3])).toEqual([undefined, undefined, undefined]);
    });

    it('draws the lineage graph of the neighbourhood at the chosen depths', async () => {
      await open('#!/model/model.shop.orders');
      const graphNodes = async () => {
        await page.waitForSelector('[data-testid="lineage-graph"]');
        return page.$$eval('[data-testid="lineage-graph"] [data-testid="graph-node"]', (gs) => gs.map((g) => (g as SVGElement).dataset.id).sort());
      };
      const setDepth = async (which: 'up' | 'down', value: number) => {
        for (let i = 0; i < 10; i++) {
          const now = Number(await page.textContent(`[data-testid="depth-${which}"]`));
          if (now === value) break;
          await page.click(`[data-testid="depth-${which}-${now < value ? 'plus' : 'minus'}"]`);
        }
        await page.waitForFunction(
          ([w, v]) =>
            document.querySelector(`[data-testid="graph-selector"]`) && (document.querySelector(`[data-testid="depth-${w}"]`)?.textContent ?? '') === String(v),
          [which, value] as const,
        );
      };
      const waitCount = (n: number) =>
        page.waitForFunction((count) => document.querySelectorAll('[data-testid="lineage-graph"] [data-testid="graph-node"]').length === count, n);

      await setDepth('up', 1);
      await setDepth('down', 1);
      await waitCount(5);
      expect(await graphNodes()).toEqual([
        'exposure.shop.weekly_sales',
        'model.shop.orders',
        'model.shop.revenue_by_country',
        'model.shop.stg_orders',
        'seed.shop.countries',
      ]);
      expect(await page.inputValue('[data-testid="graph-selector"]')).toBe('1+orders+1');
      await setDepth('up', 2);
      await waitCount(6);
      expect(await graphNodes()).toContain('source.shop.raw.orders');
      await setDepth('down', 2);
      await waitCount(7);
      expect(await graphNodes()).toContain('model.shop.country_kpis');

      // The selector box: dbt's graph operators and methods.
      const selectorCount = async (selector: string, count: number) => {
        await page.fill('[data-testid="graph-selector"]', selector);
        await page.click('[data-testid="graph-selector-apply"]');
        await waitCount(count);
      };
      await selectorCount('+stg_orders', 2);
      await selectorCount('stg_orders+', 7);
      await selectorCount('stg_orders+1', 4);
      await selectorCount('tag:finance', 1);
      await selectorCount('type:source', 2);
      await selectorCount('1+revenue_by_country country_kpis', 3);

      // A click on a node opens its page.
      await selectorCount('2+orders+1', 6);
      await page.click('[data-testid="lineage-graph"] [data-testid="graph-node"][data-id="model.shop.stg_orders"] .graph-node-header');
      await page.waitForSelector('[data-testid="node-page"][data-id="model.shop.stg_orders"]');
      expect(await page.evaluate(() => location.hash)).toBe('#!/model/model.shop.stg_orders');
    });

    it('a click on a column lists its upstream columns across models down to the source', async () => {
      await open('#!/model/model.shop.orders');
      await page.click('[data-testid="column-row"][data-column="amount_eur"] [data-testid="column-trace"]');
      await page.waitForSelector('[data-testid="column-lineage-item"]');
      const items = await page.$$eval('[data-testid="column-lineage-item"]', (lis) =>
        lis.map((li) => `${li.querySelector('.col-ref')?.textContent} ${(li as HTMLElement).dataset.kind} ${(li as HTMLElement).dataset.depth}`),
      );
      expect(items).toEqual(['stg_orders.amount transformation 1', 'raw.orders.amount transformation 2']);
      const list = await page.textContent('[data-testid="column-lineage-list"]');
      expect(list).toContain('stg_orders.amount');
      expect(list).toContain('raw.orders.amount');
      const keys = await page.locator('[data-testid="column-lineage-key"] .col-ref').allTextContents();
      expect(keys.sort()).toEqual(['countries.code', 'raw.orders.status', 'stg_orders.country_code']);
      expect(await page.getAttribute('[data-testid="column-row"][data-column="amount_eur"]', 'class')).toContain('is-selected');

      // The graph turns into the traced columns, box by box.
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="lineage-graph"] [data-testid="graph-column"]').length > 0);
      const boxes = await page.$$eval('[data-testid="lineage-graph"] [data-testid="graph-node"]', (gs) =>
        gs
          .map(
            (g) =>
              `${(g as SVGElement).dataset.id}:${[...g.querySelectorAll<SVGElement>('[data-testid="graph-column"]')].map((c) => c.dataset.column).join(',')}`,
          )
          .sort(),
      );
      expect(boxes).toEqual([
        'model.shop.orders:amount_eur',
        'model.shop.stg_orders:amount,country_code',
        'seed.shop.countries:code',
        'source.shop.raw.orders:amount,status',
      ]);
      expect(await page.getAttribute('[data-testid="lineage-graph"]', 'data-edge-count')).toBe('5');
      await page.locator('[data-testid="lineage-section"]').scrollIntoViewIfNeeded();
      await shot('column-lineage');

      // A column of another box, clicked in the graph, is traced in turn.
      await page.click('[data-testid="graph-node"][data-id="model.shop.stg_orders"] [data-testid="graph-column"][data-column="amount"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="column-lineage-origin"]')?.textContent?.includes('stg_orders.amount'));
      expect(await page.locator('[data-testid="column-lineage-item"] .col-ref').allTextContents()).toEqual(['raw.orders.amount']);
    });

    it("shows a model's lineage status and untraced columns", async () => {
      await open('#!/model/model.shop.revenue_by_country');
      expect(await page.textContent('[data-testid="lineage-status"]')).toContain('partial: a window function over an unnamed expression');
      expect(await page.getAttribute('[data-testid="column-row"][data-column="rank"] [data-testid="column-unresolved"]', 'title')).toContain('rank() over');
      await page.click('[data-testid="column-row"][data-column="rank"] [data-testid="column-trace"]');
      await page.waitForSelector('[data-testid="column-lineage-notes"]');
      expect(await page.textContent('[data-testid="column-lineage-notes"]')).toContain(
        'revenue_by_country.rank not traced: rank() over an expression the parser cannot name',
      );
      await page.click('[data-testid="column-row"][data-column="revenue"] [data-testid="column-trace"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="column-lineage-item"]').length === 3);
      expect(await page.locator('[data-testid="column-lineage-item"] .col-ref').allTextContents()).toEqual([
        'orders.amount_eur',
        'stg_orders.amount',
        'raw.orders.amount',
      ]);
    });

    it('an exposure page links to Looker Studio', async () => {
      await page.click('[data-testid="tree-item"][data-id="exposure.shop.weekly_sales"]');
      await page.waitForSelector('[data-testid="node-page"][data-id="exposure.shop.weekly_sales"] [data-testid="exposure-info"]');
      expect(await page.textContent('[data-testid="node-title"]')).toBe('Weekly sales');
      expect(await page.getAttribute('[data-testid="looker-studio-link"]', 'href')).toBe(LOOKER_URL);
      expect(await page.textContent('[data-testid="exposure-type"]')).toBe('dashboard');
      expect(await page.textContent('[data-testid="exposure-maturity"]')).toBe('high');
      expect(await page.textContent('[data-testid="exposure-owner"]')).toContain('data@example.com');
      expect(await page.getAttribute('[data-testid="exposure-url"]', 'href')).toBe('https://example.com/dashboards/weekly');
      await page.waitForSelector('[data-testid="lineage-graph"]');
      await shot('exposure');
    });

    it('loaded only local files, with no error', () => {
      expect(problems).toEqual([]);
    });
  });
});

describe.skipIf(!hasChromium)('a 10 000-node project', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads, searches and opens nodes', async () => {
    const out = join(work, 'big');
    const data = bigData();
    expect(data.nodes).toHaveLength(10_000);
    const started = performance.now();
    const written = writeSite(out, data, { pageScriptDir });
    const writeMs = performance.now() - started;
    const indexBytes = statSync(join(out, 'data/index.js')).size;
    const nodeFiles = readdirSync(join(out, 'data/nodes'));
    const nodeBytes = nodeFiles.reduce((sum, f) => sum + statSync(join(out, 'data/nodes', f)).size, 0);
    expect(nodeFiles).toHaveLength(10_000);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const loadStarted = performance.now();
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.waitForSelector('body[data-ready]');
    const loadMs = performance.now() - loadStarted;
    const inPage = await page.evaluate(() => Math.round(performance.now()));

    const searchMs = await page.evaluate(async () => {
      const box = document.querySelector<HTMLInputElement>('[data-testid="search-box"]')!;
      const t0 = performance.now();
      box.value = 'm_09877';
      box.dispatchEvent(new Event('input'));
      while (!document.querySelector('[data-testid="tree-item"][data-id="model.big.m_09877"]')) await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    });
    expect(await page.locator('[data-testid="tree-item"]').count()).toBe(1);
    await page.fill('[data-testid="search-box"]', 'nightly');
    await page.waitForFunction(() => document.querySelector('[data-testid="search-status"]')?.textContent?.startsWith('1990 matches'));
    expect(await page.locator('[data-testid="tree-item"]').count()).toBeLessThanOrEqual(300);
    await page.fill('[data-testid="search-box"]', 'm_09877');
    await page.click('[data-testid="tree-item"][data-id="model.big.m_09877"]');
    await page.waitForSelector('[data-testid="node-page"][data-id="model.big.m_09877"] [data-testid="lineage-graph"]');
    expect(await page.locator('[data-testid="lineage-graph"] [data-testid="graph-node"]').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'big-node.png') });

    // The hub a third of the models read: its neighbourhood is capped, and says so; its
    // children are drawn as a few and a "+n more" box, which opens them all.
    await page.evaluate(() => {
      location.hash = '#!/model/model.big.m_00050';
    });
    await page.waitForSelector('[data-testid="node-page"][data-id="model.big.m_00050"] [data-testid="lineage-graph"]');
    expect(await page.textContent('[data-testid="graph-notice"]')).toContain('150 nearest nodes');
    expect(Number(await page.getAttribute('[data-testid="lineage-graph"]', 'data-node-count'))).toBe(3 + 2 + 8 + 1); // m_00100 and m_00150 also link to each other: not folded
    const group = page.locator('[data-testid="graph-node"][data-id="group:children:model.big.m_00050"]');
    expect(await group.locator('.graph-node-label').textContent()).toBe('+137 more');
    await page.locator('[data-testid="lineage-section"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'big-hub.png') });
    await group.locator('.graph-node-header').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="lineage-graph"]')?.getAttribute('data-node-count') === '150');
    await page.screenshot({ path: join(SCREENSHOTS, 'big-hub-open.png') });
    expect(problems).toEqual([]);
    await page.close();

    console.log(
      [
        `docs site, 10 000 nodes: ${written.files} files, ${(written.bytes / 1e6).toFixed(1)} MB written in ${Math.round(writeMs)} ms`,
        `  data/index.js ${(indexBytes / 1e6).toFixed(2)} MB; data/nodes/ ${nodeFiles.length} files, ${(nodeBytes / 1e6).toFixed(1)} MB (${Math.round(nodeBytes / nodeFiles.length)} B each)`,
        `  Chromium from file://: ready in ${Math.round(loadMs)} ms (page clock ${inPage} ms), search ${searchMs.toFixed(1)} ms`,
      ].join('\n'),
    );
  });
});
