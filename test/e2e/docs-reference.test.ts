/**
 * The reference project's documentation site as its readers use it: built, generated and served
 * by the real CLI (`tsdbt build`, `docs generate`, `docs serve`), then read in Debian's Chromium.
 * Screenshots go to $TSDBT_SCREENSHOT_DIR when set (how docs/images/ is refreshed), else to a
 * temporary folder.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { hasChromium, launchChromium } from '../helpers/browser.js';
import { type RunningTsdbt, runTsdbt, startTsdbt } from '../helpers/tmp-project.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
if (!hasChromium) console.warn('Chromium not found at /usr/bin/chromium: the reference docs site browser tests are skipped (apt-get install chromium)');

const SCREENSHOTS = process.env.TSDBT_SCREENSHOT_DIR ?? mkdtempSync(join(tmpdir(), 'tsdbt-shots-'));

describe.skipIf(!hasChromium)('the reference project documentation site', () => {
  let dir: string;
  let serving: RunningTsdbt;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsdbt-docs-ref-'));
    for (const path of ['models', 'lake', 'macros', 'seeds', 'snapshots', 'tests', 'project.yml', 'profiles.yml']) {
      if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
    }
    expect((await runTsdbt(dir, ['build'])).code).toBe(0);
    const generated = await runTsdbt(dir, ['docs', 'generate']);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    serving = startTsdbt(dir, ['docs', 'serve', '--port', '0']);
    await serving.waitFor(/ at http:\/\/\S+/);
    url = / at (http:\/\/\S+)/.exec(serving.stdout)![1]!;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    serving?.interrupt();
    await serving?.result;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a catalog valid against dbt catalog v1 and a lineage entry for every column of every model', async () => {
    const { readFileSync } = await import('node:fs');
    const catalog = JSON.parse(readFileSync(join(dir, 'target/catalog.json'), 'utf8'));
    if (schemasPresent) expect(artifactViolations('catalog_v1.json', catalog)).toEqual([]);
    const lineage = JSON.parse(readFileSync(join(dir, 'target/lineage.json'), 'utf8'));
    const models = Object.entries(catalog.nodes as Record<string, { columns: Record<string, unknown> }>).filter(([id]) => id.startsWith('model.'));
    expect(models.length).toBe(43);
    const missing = models.flatMap(([id, table]) =>
      Object.keys(table.columns)
        .filter((column) => !lineage.nodes[id]?.columns[column])
        .map((column) => `${id}.${column}`),
    );
    expect(missing).toEqual([]);
    const untraced = Object.entries(lineage.nodes as Record<string, { status: string }>).filter(([, n]) => n.status !== 'ok');
    expect(untraced).toEqual([]);
  });

  it('search "mix" finds mix_energetique_quotidien; its page shows column types and test results', async () => {
    await page.goto(url);
    await page.waitForSelector('[data-testid="overview-title"]');
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-overview.png') });
    await page.fill('[data-testid="search-box"]', 'mix');
    await page.waitForSelector('[data-testid="tree-item"][data-id="model.eco2mix.mix_energetique_quotidien"]');
    await page.click('[data-testid="tree-item"][data-id="model.eco2mix.mix_energetique_quotidien"]');
    await page.waitForSelector('[data-testid="node-page"][data-id="model.eco2mix.mix_energetique_quotidien"] [data-testid="columns-table"]');
    expect(await page.textContent('[data-testid="node-title"]')).toBe('mix_energetique_quotidien');
    const row = '[data-testid="column-row"][data-column="part_renouvelables_pct"]';
    expect(await page.textContent(`${row} [data-testid="column-type"]`)).toBe('DOUBLE');
    expect(await page.textContent('[data-testid="column-row"][data-column="date_locale"] [data-testid="column-type"]')).toBe('DATE');
    const badges = await page.$$eval('[data-testid="column-row"][data-column="date_locale"] [data-testid="test-badge"]', (bs) =>
      bs.map((b) => `${(b as HTMLElement).dataset.test}:${(b as HTMLElement).dataset.status}`).sort(),
    );
    expect(badges).toEqual(['not_null:pass', 'relationships:pass', 'unique:pass']);
    expect(await page.getAttribute('[data-testid="preview-chart"]', 'src')).toMatch(/^data:image\/svg\+xml/);
  });

  it('the lineage graph, then a click on part_renouvelables_pct traces it to the silver columns and the lake source', async () => {
    await page.waitForSelector('[data-testid="lineage-graph"] [data-testid="graph-node"][data-id="model.eco2mix.silver_eco2mix_national_15min"]');
    await page.click('[data-testid="column-row"][data-column="part_renouvelables_pct"] [data-testid="column-trace"]');
    await page.waitForSelector('[data-testid="column-lineage-item"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lineage-graph"] [data-testid="graph-column"]').length > 0);
    const traced = await page.locator('[data-testid="column-lineage-item"] .col-ref').allTextContents();
    for (const column of ['eolien_mw', 'solaire_mw', 'hydraulique_mw', 'bioenergies_mw']) {
      expect(traced).toContain(`silver_eco2mix_national_tr_rows.${column}`);
    }
    expect(traced).toContain('silver_eco2mix_national_15min.renouvelables_mw');
    expect(traced).toContain('rte.eco2mix_national_tr.Eolien');
    expect(traced).toContain('odre.eco2mix_national_tr.Eolien (MW)');
    await page.locator('[data-testid="lineage-section"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-column-lineage.png') });
  });

  it('an exposure page on the BigQuery target has its Looker Studio link', async () => {
    const generated = await runTsdbt(dir, ['docs', 'generate', '--target', 'prod', '--no-catalog']);
    expect(generated.code).toBe(0);
    await page.goto(`${url}#!/exposure/exposure.eco2mix.tableau_de_bord_mix_electrique`);
    await page.waitForSelector('[data-testid="looker-studio-link"]');
    const href = await page.getAttribute('[data-testid="looker-studio-link"]', 'href');
    expect(href).toBe(
      'https://lookerstudio.google.com/reporting/create?r.reportName=Looker+Studio+%E2%80%94+Mix+%C3%A9lectrique+fran%C3%A7ais' +
        ['mix_energetique_quotidien', 'production_par_source_horaire', 'empreinte_carbone', 'echanges_internationaux', 'statistiques_hebdomadaires']
          .map(
            (table, i) =>
              `&ds.ds${i}.datasourceName=${table}&ds.ds${i}.connector=bigQuery&ds.ds${i}.type=TABLE&ds.ds${i}.projectId=my-gcp-project&ds.ds${i}.datasetId=gold&ds.ds${i}.tableId=${table}`,
          )
          .join(''),
    );
  });
});
