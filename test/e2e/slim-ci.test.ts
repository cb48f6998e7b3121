import { cpSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

const PROFILES = `demo:
  target: dev
  outputs:
    dev: {type: duckdb, path: target/dev.duckdb, threads: 2}
    prod: {type: duckdb, path: prod/prod.duckdb, threads: 2}
`;

function project() {
  return createTmpProject({
    'profiles.yml': PROFILES,
    'seeds/customers.csv': 'id,name\n1,ada\n2,bob\n',
    'macros/upper_name.sql': '{{!-- params: column --}}\nupper({{column}})',
    'models/stg_customers.sql': 'select id, {{upper_name "name"}} as name from {{ref "customers"}}\n',
    'models/customer_count.sql': '{{config materialized="table"}}\nselect count(*) as n from {{ref "stg_customers"}}\n',
    'models/other.sql': 'select 1 as x\n',
    'models/schema.yml': 'version: 2\nmodels:\n  - name: stg_customers\n    columns:\n      - name: id\n        data_tests: [unique]\n',
  });
}

async function names(dir: string, args: string[]): Promise<string[]> {
  const result = await runTsdbt(dir, ['ls', '--output', 'name', ...args]);
  expect(result.stderr.replace(/warning: the selection matched nothing\n/, '')).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim().split('\n').filter(Boolean).sort();
}

describe('slim CI with --state', () => {
  it('selects new and modified resources (body, config, macro) and their children', async () => {
    const p = project();
    expect((await runTsdbt(p.dir, ['parse'])).code).toBe(0);
    cpSync(p.path('target/manifest.json'), p.path('state/manifest.json'));
    expect(await names(p.dir, ['--select', 'state:modified', '--state', 'state'])).toEqual([]);

    p.write('models/other.sql', 'select 2 as x\n');
    p.write('models/brand_new.sql', 'select 3 as y\n');
    expect(await names(p.dir, ['--select', 'state:modified', '--state', 'state'])).toEqual(['brand_new', 'other']);
    expect(await names(p.dir, ['--select', 'state:new', '--state', 'state'])).toEqual(['brand_new']);
    expect(await names(p.dir, ['--select', 'state:modified.body', '--state', 'state'])).toEqual(['other']);

    p.write('models/other.sql', 'select 1 as x\n');
    p.write('macros/upper_name.sql', '{{!-- params: column --}}\nupper(trim({{column}}))');
    expect(await names(p.dir, ['--select', 'state:modified.macros', '--state', 'state'])).toEqual(['stg_customers']);
    expect(await names(p.dir, ['--select', 'state:modified+', '--state', 'state', '--exclude', 'brand_new'])).toEqual([
      'customer_count',
      'stg_customers',
      'unique_stg_customers_id',
    ]);

    p.write('macros/upper_name.sql', '{{!-- params: column --}}\nupper({{column}})');
    p.write('models/customer_count.sql', '{{config materialized="view"}}\nselect count(*) as n from {{ref "stg_customers"}}\n');
    expect(await names(p.dir, ['--select', 'state:modified.configs', '--state', 'state'])).toEqual(['customer_count']);
  });

  it('explains a missing --state and a bad state folder', async () => {
    const p = project();
    const noState = await runTsdbt(p.dir, ['ls', '--select', 'state:modified']);
    expect(noState.code).toBe(2);
    expect(noState.stderr).toContain('invalid selector "state:modified": state: selection needs --state <dir>');
    const missing = await runTsdbt(p.dir, ['ls', '--select', 'state:modified', '--state', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the state manifest');
    const deferAlone = await runTsdbt(p.dir, ['run', '--defer']);
    expect(deferAlone.code).toBe(2);
    expect(deferAlone.stderr).toContain('--defer needs --state <dir>');
  });

  it("--defer reads unselected parents from the state run's database", async () => {
    const p = project();
    expect((await runTsdbt(p.dir, ['build', '--target', 'prod'])).code).toBe(0);
    cpSync(p.path('target/manifest.json'), p.path('prod-artifacts/manifest.json'));
    p.write('models/customer_count.sql', '{{config materialized="table"}}\nselect count(*) + 100 as n from {{ref "stg_customers"}}\n');

    // The dev database has no stg_customers: without --defer the changed model cannot build.
    const alone = await runTsdbt(p.dir, ['run', '--select', 'state:modified', '--state', 'prod-artifacts']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('stg_customers');

    const deferred = await runTsdbt(p.dir, ['run', '--select', 'state:modified', '--state', 'prod-artifacts', '--defer']);
    expect(deferred.stderr).toBe('');
    expect(deferred.code).toBe(0);
    expect(deferred.stdout).toContain(`--defer: 3 unselected nodes read from the state's relations (${p.path('prod/prod.duckdb')})`);
    expect(p.read('target/compiled/demo/models/customer_count.sql')).toContain('from tsdbt_state.main.stg_customers');
    expect(await queryDuckdb(p.dbPath, 'select n::int as n from main.customer_count')).toEqual([{ n: 102 }]);
  });
});

describe('tsdbt source freshness', () => {
  it('passes, warns and errors by loaded_at_field age and writes sources.json', async () => {
    const p = createTmpProject({
      'data/recent.csv': 'id,loaded\n1,2000-01-01 00:00:00\n',
      'models/sources.yml': `version: 2
sources:
  - name: raw
    loaded_at_field: loaded
    freshness: {warn_after: {count: 1, period: day}}
    tables:
      - name: fresh
        loaded_at_field: "current_timestamp - interval 1 hour"
        external: {location: data/recent.csv}
      - name: stale
        external: {location: data/recent.csv}
      - name: very_stale
        freshness: {error_after: {count: 2, period: day}}
        external: {location: data/recent.csv}
      - name: unchecked
        freshness: null
        external: {location: data/recent.csv}
`,
    });
    const result = await runTsdbt(p.dir, ['source', 'freshness']);
    expect(result.code).toBe(1);
    const sources = p.json('target/sources.json');
    const byId = Object.fromEntries(sources.results.map((r: { unique_id: string }) => [r.unique_id, r]));
    expect(Object.keys(byId).sort()).toEqual(['source.demo.raw.fresh', 'source.demo.raw.stale', 'source.demo.raw.very_stale']);
    expect(byId['source.demo.raw.fresh']).toMatchObject({ status: 'pass', max_loaded_at_time_ago_in_s: 3600 });
    expect(byId['source.demo.raw.stale']).toMatchObject({ status: 'warn', criteria: { warn_after: { count: 1, period: 'day' } } });
    expect(byId['source.demo.raw.very_stale'].status).toBe('error');
    expect(result.stdout).toMatch(/WARN\s+source\s+raw\.stale\s+last loaded [\d.]+ days ago, more than warn_after 1 day\(s\)/);

    const onlyWarn = await runTsdbt(p.dir, ['source', 'freshness', '--select', 'source:raw.stale']);
    expect(onlyWarn.code).toBe(0);
    const bad = await runTsdbt(p.dir, ['source', 'fresh']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown source action "fresh"');
  });
});
