/**
 * `tsdbt docs generate` and `docs serve` on DuckDB, as a user runs them: catalog.json (dbt's
 * catalog v1), lineage.json, the site's files, the static server and its errors.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { artifactViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, runTsdbt, startTsdbt } from '../helpers/tmp-project.js';

const FILES: Record<string, string> = {
  'seeds/regions.csv': 'code,name\n11,Île-de-France\n84,Auvergne-Rhône-Alpes\n',
  'lake/readings/2024.csv': 'day;region;mw\n2024-01-01;11;100\n2024-01-02;11;120\n2024-01-01;84;80\n',
  'models/sources.yml': `version: 2
sources:
  - name: lake
    tables:
      - name: readings
        description: Daily readings
        external:
          location: readings/*.csv
          format: csv
          options: {delim: ";", header: true, all_varchar: true}
`,
  'models/stg_readings.sql': `{{config materialized="view"}}
select cast(day as date) as day, region, cast(mw as double) as mw from {{source "lake" "readings"}}
`,
  'models/region_names.sql': `{{config materialized="ephemeral"}}
select code, name from {{ref "regions"}}
`,
  'models/daily.sql': `{{config materialized="table"}}
select r.day, n.name as region_name, sum(r.mw) as mw, sum(r.mw) * 24 as mwh
from {{ref "stg_readings"}} as r
join {{ref "region_names"}} as n on n.code = cast(r.region as integer)
group by r.day, n.name
`,
  'models/schema.yml': `version: 2
models:
  - name: daily
    description: "Energy per region and day: {{ doc('mwh_rule') }}"
    columns:
      - name: day
        data_tests: [not_null]
      - name: mwh
        description: Energy in MWh
      - name: planned
        description: Declared, not built yet
        data_type: varchar
exposures:
  - name: board
    type: dashboard
    owner: {name: Data team}
    depends_on: [ref('daily')]
`,
  'models/docs.md': '{% docs mwh_rule %}MWh = MW × 24 h{% enddocs %}\n{% docs __overview__ %}# Readings\n\nThe overview.{% enddocs %}\n',
};

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb, lake: lake}\n';

describe('tsdbt docs generate on DuckDB', () => {
  it('writes catalog.json with engine types, positions and row counts, valid against dbt catalog v1', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    const result = await runTsdbt(project.dir, ['docs', 'generate']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Catalog: 4 relations in target/catalog.json');
    expect(result.stdout).toContain('Site: target/docs/index.html');

    const catalog = project.json('target/catalog.json');
    if (schemasPresent) expect(artifactViolations('catalog_v1.json', catalog)).toEqual([]);
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.demo.daily', 'model.demo.stg_readings', 'seed.demo.regions']);
    const daily = catalog.nodes['model.demo.daily'];
    expect(daily.metadata).toEqual({ type: 'BASE TABLE', schema: 'main', name: 'daily', database: 'dev', comment: null, owner: null });
    expect(daily.columns).toEqual({
      day: { type: 'DATE', index: 1, name: 'day', comment: null },
      region_name: { type: 'VARCHAR', index: 2, name: 'region_name', comment: null },
      mw: { type: 'DOUBLE', index: 3, name: 'mw', comment: null },
      mwh: { type: 'DOUBLE', index: 4, name: 'mwh', comment: null },
    });
    expect(daily.stats.num_rows.value).toBe(3);
    expect(daily.stats.has_stats.value).toBe(true);
    expect(catalog.nodes['model.demo.stg_readings'].metadata.type).toBe('VIEW');
    expect(catalog.nodes['model.demo.stg_readings'].stats).toEqual({
      has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' },
    });
    // The lake source: its columns as the reader delivers them (all text here).
    expect(catalog.sources['source.demo.lake.readings'].columns).toEqual({
      day: { type: 'VARCHAR', index: 1, name: 'day', comment: null },
      region: { type: 'VARCHAR', index: 2, name: 'region', comment: null },
      mw: { type: 'VARCHAR', index: 3, name: 'mw', comment: null },
    });
    expect(catalog.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');

    const lineage = project.json('target/lineage.json');
    expect(Object.keys(lineage.nodes).sort()).toEqual(['model.demo.daily', 'model.demo.region_names', 'model.demo.stg_readings']);
    expect(Object.keys(lineage.nodes['model.demo.daily'].columns)).toEqual(['day', 'region_name', 'mw', 'mwh']);

    expect(project.exists('target/docs/index.html')).toBe(true);
    expect(project.exists('target/manifest.json')).toBe(true);
  });

  it('--no-catalog needs no database: declared columns only, no catalog.json', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    const result = await runTsdbt(project.dir, ['docs', 'generate', '--no-catalog']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Catalog: skipped (--no-catalog)');
    expect(project.exists('target/catalog.json')).toBe(false);
    expect(project.exists('target/dev.duckdb')).toBe(false);
    expect(project.exists('target/lineage.json')).toBe(true);
  });

  it('says which relations are not built yet instead of failing', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    const result = await runTsdbt(project.dir, ['docs', 'generate']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Catalog: 1 relation in target/catalog.json (3 not built yet: model.demo.daily, model.demo.stg_readings, seed.demo.regions)',
    );
    expect(Object.keys(project.json('target/catalog.json').nodes)).toEqual([]);
  });

  it('an unknown action is a usage error naming both actions', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    const result = await runTsdbt(project.dir, ['docs', 'publish']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tsdbt docs publish is not an action');
    expect(result.stderr).toContain('use tsdbt docs generate [--no-catalog] or tsdbt docs serve [--port 8080]');
  });
});

describe('preview charts', () => {
  it('within the budget, models an exposure reads come first, then leaves, then the most downstream', async () => {
    const project = createTmpProject({
      ...FILES,
      'profiles.yml': PROFILES,
      'models/leaf.sql': '{{config materialized="table"}}\nselect * from {{ref "stg_readings"}}\n',
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    const { openProject } = await import('../../src/api/open-project.js');
    const { createAdapter } = await import('../../src/adapters/registry.js');
    const { readWarehouseCatalog } = await import('../../src/docs/catalog.js');
    const { drawPreviews } = await import('../../src/docs/previews.js');
    const opened = await openProject({ projectDir: project.dir });
    const adapter = await createAdapter(opened.target);
    await adapter.connection.open();
    try {
      const catalog = await readWarehouseCatalog(opened.project, adapter, opened.target.lakeRoot);
      const order = [];
      for (const limit of [1, 2, 3]) order.push([...(await drawPreviews(opened.project, catalog, adapter, limit)).charts.keys()]);
      expect(order).toEqual([
        ['model.demo.daily'],
        ['model.demo.daily', 'model.demo.leaf'],
        ['model.demo.daily', 'model.demo.leaf', 'model.demo.stg_readings'],
      ]);
      const all = await drawPreviews(opened.project, catalog, adapter);
      expect(all.eligible).toBe(3);
      expect(all.charts.get('model.demo.daily')).toMatch(/^<svg/);
    } finally {
      await adapter.connection.close();
    }
  });
});

/** A port something else listens on, to see serve move to the next one. */
async function takenPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('tsdbt docs serve', () => {
  it('serves the site on 127.0.0.1, on the next port when the asked one is taken', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    expect((await runTsdbt(project.dir, ['docs', 'generate', '--no-catalog'])).code).toBe(0);
    const taken = await takenPort();
    const serving = startTsdbt(project.dir, ['docs', 'serve', '--port', String(taken.port)]);
    try {
      await serving.waitFor(/Serving \S+ at http:\/\/\S+/);
      const url = /Serving \S+ at (http:\/\/\S+)/.exec(serving.stdout)![1]!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(Number(new URL(url).port)).toBeGreaterThan(taken.port);
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await index.text()).toContain('<html');
      expect((await fetch(`${url}../../etc/passwd`)).status).toBe(404);
      expect((await fetch(`${url}nothing.js`)).status).toBe(404);
      expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    } finally {
      // Ctrl-C is how a server stops: 130, as every interrupted command.
      serving.interrupt();
      expect((await serving.result).code).toBe(130);
      await taken.release();
    }
  });

  it('--watch generates the site, then regenerates it when a project file changes', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    const serving = startTsdbt(project.dir, ['docs', 'serve', '--watch', '--no-catalog', '--port', '0']);
    try {
      await serving.waitFor(/Serving \S+ at http:\/\/\S+/);
      expect(project.read('target/docs/data/index.js')).toContain('Energy per region and day');
      project.write('models/schema.yml', project.read('models/schema.yml').replace('Energy per region and day', 'Daily energy by region'));
      await serving.waitFor(/models\/schema\.yml changed: regenerating[\s\S]*Site: /);
      expect(project.read('target/docs/data/index.js')).toContain('Daily energy by region');
    } finally {
      serving.interrupt();
      await serving.result;
    }
  });

  it('without a generated site: exit 2 and what to run', async () => {
    const project = createTmpProject({ ...FILES, 'profiles.yml': PROFILES });
    const result = await runTsdbt(project.dir, ['docs', 'serve']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no documentation site in');
    expect(result.stderr).toContain('run tsdbt docs generate first');
  });
});
