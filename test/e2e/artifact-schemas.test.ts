/**
 * The artifacts of a project that uses every kind of resource validate against dbt's own JSON
 * schemas, each node against the branch of its resource_type: tools that read dbt artifacts
 * (dbt-docs, elementary, dbt-artifacts-parser) read tsdbt's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const FILES = {
  'seeds/countries.csv': 'code,name\nFR,France\nDE,Germany\n',
  'lake/orders.csv': 'id,country,amount,loaded_at\n1,FR,10,2024-01-01 10:00:00\n2,DE,20,2024-01-02 10:00:00\n3,XX,5,2024-01-03 10:00:00\n',
  'models/staging/stg_orders.sql': 'select * from {{source "shop" "orders"}}\n',
  'models/staging/eph_rates.sql': '{{config materialized="ephemeral"}}\nselect 1.2 as rate\n',
  'models/marts/revenue.sql':
    '{{config materialized="table"}}\nselect o.country, sum(o.amount * r.rate) as revenue\nfrom {{ref "stg_orders"}} o cross join {{ref "eph_rates"}} r\ngroup by 1\n',
  'models/marts/orders_inc.sql':
    '{{config materialized="incremental" unique_key="id"}}\nselect id, amount from {{ref "stg_orders"}}\n{{#if (is_incremental)}}where id > (select max(id) from {{this}}){{/if}}\n',
  'models/schema.yml': `version: 2
groups:
  - name: finance
    owner: {name: Finance team, email: finance@example.com}
sources:
  - name: shop
    loader: csv files
    freshness: {warn_after: {count: 1, period: day}}
    loaded_at_field: loaded_at
    tables:
      - name: orders
        external: {location: lake/orders.csv}
        columns:
          - name: id
            data_tests: [not_null, unique]
      - name: broken
        loaded_at_field: no_such_column
        external: {location: lake/orders.csv}
models:
  - name: revenue
    description: Revenue per country
    group: finance
    access: public
    columns:
      - name: country
        data_tests:
          - not_null
          - relationships: {to: ref('countries'), field: code}
      - name: revenue
        data_tests:
          - dbt_utils.expression_is_true: {expression: ">= 0"}
  - name: orders_inc
    columns:
      - name: amount
        data_tests:
          - accepted_values: {values: [10, 20], quote: false, config: {severity: warn}}
seeds:
  - name: countries
    columns:
      - name: code
        data_tests: [unique]
exposures:
  - name: revenue_dashboard
    type: dashboard
    owner: {name: Finance team}
    depends_on: [ref('revenue')]
unit_tests:
  - name: revenue_is_converted
    model: revenue
    given:
      - input: ref('stg_orders')
        rows: [{country: FR, amount: 10}]
      - input: ref('eph_rates')
        rows: [{rate: 2}]
    expect:
      rows: [{country: FR, revenue: 20}]
`,
  'tests/assert_positive_amounts.sql': 'select * from {{ref "stg_orders"}} where amount < 0\n',
  'snapshots/orders_snapshot.sql':
    '{{config strategy="check" unique_key="id" check_cols="all" hard_deletes="new_record"}}\nselect id, amount from {{ref "stg_orders"}}\n',
};

describe.skipIf(!schemasPresent)("artifacts against dbt's JSON schemas", () => {
  let project: TmpProject;
  const read = (file: string) => project.json(`target/${file}`);

  beforeAll(async () => {
    project = createTmpProject(FILES);
    const build = await runTsdbt(project.dir, ['build']);
    // The relationships test fails (XX is no country): an artifact with a failure is still valid.
    expect(build.code, build.stderr).toBe(1);
    // An incremental run, then freshness (one source check cannot run: its column does not exist).
    expect((await runTsdbt(project.dir, ['run', '--select', 'orders_inc'])).code).toBe(0);
    const freshness = await runTsdbt(project.dir, ['source', 'freshness']);
    expect(freshness.code).toBe(1);
  });

  it('manifest.json: 0 violations, every node against its resource_type', () => {
    const manifest = read('manifest.json');
    const types = new Set(Object.values(manifest.nodes as Record<string, { resource_type: string }>).map((n) => n.resource_type));
    expect([...types].sort()).toEqual(['model', 'seed', 'snapshot', 'test']);
    expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.demo.revenue.revenue_is_converted']);
    expect(Object.keys(manifest.exposures)).toEqual(['exposure.demo.revenue_dashboard']);
    expect(manifestViolations(manifest)).toEqual([]);
  });

  it('writes what dbt writes where tools look for it', () => {
    const manifest = read('manifest.json');
    const revenue = manifest.nodes['model.demo.revenue'];
    expect(revenue).toMatchObject({ database: 'dev', schema: 'main', alias: 'revenue', group: 'finance', access: 'public', path: 'marts/revenue.sql' });
    expect(manifest.group_map).toEqual({ finance: ['model.demo.revenue'] });
    const relationships = Object.values(manifest.nodes as Record<string, Record<string, unknown>>).find((n) => String(n.name).startsWith('relationships_'));
    expect(relationships).toMatchObject({
      test_metadata: {
        name: 'relationships',
        namespace: null,
        kwargs: { column_name: 'country', model: "{{ get_where_subquery(ref('revenue')) }}", to: "ref('countries')", field: 'code' },
      },
      file_key_name: 'models.revenue',
      attached_node: 'model.demo.revenue',
      database: 'dev',
    });
    const namespaced = Object.values(manifest.nodes as Record<string, Record<string, unknown>>).find((n) =>
      String(n.name).startsWith('dbt_utils_expression_is_true'),
    );
    expect(namespaced).toMatchObject({ test_metadata: { name: 'expression_is_true', namespace: 'dbt_utils' } });
    expect(manifest.sources['source.demo.shop.orders']).toMatchObject({ database: 'dev', loader: 'csv files', path: 'schema.yml' });
    expect(manifest.metadata.env).toMatchObject({ TSDBT_TARGET: 'dev', TSDBT_ADAPTER: 'duckdb' });
  });

  it('run_results.json: 0 violations', () => {
    const runResults = read('run_results.json');
    expect(runResults.results).toHaveLength(1);
    expect(artifactViolations('run-results_v6.json', runResults)).toEqual([]);
  });

  it('sources.json: 0 violations, a check that could not run as a runtime error', () => {
    const sources = read('sources.json');
    const byId = Object.fromEntries((sources.results as Array<{ unique_id: string; status: string }>).map((r) => [r.unique_id, r]));
    expect(byId['source.demo.shop.orders']?.status).toBe('warn');
    expect(byId['source.demo.shop.broken']).toMatchObject({ status: 'runtime error', error: expect.stringContaining('no_such_column') });
    expect(artifactViolations('sources_v3.json', sources)).toEqual([]);
  });
});
