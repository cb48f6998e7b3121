/**
 * `tsdbt import dbt`: dbt projects written as dbt users write them (test/fixtures/dbt/) become
 * tsdbt projects that build and pass the tests dbt would run, with Handlebars a person would write.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/dbt/${name}`, import.meta.url));

/** Imports a fixture into a new folder; returns the folder and the import's result. */
async function importFixture(name: string) {
  const parent = createTmpProject({}, { bare: true });
  const out = join(parent.dir, 'imported');
  const result = await runTsdbt(parent.dir, ['import', 'dbt', fixture(name), '--out', out]);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return { out, result, read: (file: string) => parent.read(`imported/${file}`), json: (file: string) => parent.json(`imported/${file}`) };
}

describe('tsdbt import dbt', () => {
  it('imports a jaffle-shop style project that builds and passes its tests', async () => {
    const imported = await importFixture('jaffle_small');
    expect(imported.result.stderr).toBe('');
    expect(imported.result.code).toBe(0);
    expect(imported.result.stdout).toContain('5 SQL files translated, 0 macros and generic tests, 5 files copied');
    expect(imported.result.stdout).toContain('Nothing left to do');
    // The for loop over a set list, as a person writes it in Handlebars.
    expect(imported.read('models/marts/orders.sql')).toContain(
      `{{#each (list "credit_card" "coupon" "bank_transfer" "gift_card") as |payment_method|}}sum(case when payment_method = '{{payment_method}}' then amount else 0 end) as {{payment_method}}_amount,`,
    );
    expect(imported.read('models/staging/stg_orders.sql')).toContain('select * from {{ref "raw_orders"}}');
    expect(imported.read('IMPORT.md')).toContain('## Left to do (0)');

    const build = await runTsdbt(imported.out, ['build']);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    // dbt's test names, every test passing.
    const results = imported.json('target/run_results.json').results as Array<{ unique_id: string; status: string }>;
    const tests = results.filter((r) => r.unique_id.startsWith('test.'));
    expect(tests).toHaveLength(15);
    expect(tests.every((t) => t.status === 'pass')).toBe(true);
    // dbt names a test whose readable name is too long by its hash, as here.
    expect(tests.some((t) => t.unique_id.startsWith('test.jaffle_small.accepted_values_stg_orders_4f514bf94b77b7ea437830eec4421c58.'))).toBe(true);
    expect(
      await queryDuckdb(
        join(imported.out, 'target/dev.duckdb'),
        'select customer_id::int as customer_id, customer_lifetime_value::double as clv from main.customers order by 1',
      ),
    ).toEqual([
      { customer_id: 1, clv: 36 },
      { customer_id: 2, clv: 17 },
      { customer_id: 3, clv: 20 },
    ]);
    if (schemasPresent) expect(manifestViolations(imported.json('target/manifest.json'))).toEqual([]);
  });

  it('imports macros with defaults, adapter.dispatch, generic and singular tests, incremental models, doc blocks and dbt_utils calls', async () => {
    const imported = await importFixture('shop_full');
    expect(imported.result.code).toBe(0);
    expect(imported.result.stdout).toContain('6 SQL files translated, 5 macros and generic tests, 5 files copied');
    expect(imported.result.stdout).toContain('package dbt-labs/dbt_utils: its tests are built in');
    expect(imported.read('macros/cents_to_dollars.sql')).toBe('{{!-- params: column_name, scale=2 --}}\nround({{column_name}} / 100.0, {{scale}})\n');
    expect(imported.read('macros/safe_ratio.sql')).toBe(
      '{{!-- params: numerator, denominator --}}\n{{#if (eq @root.target.type "bigquery")}}{{bigquery__safe_ratio numerator denominator}}{{else}}{{default__safe_ratio numerator denominator}}{{/if}}\n',
    );
    expect(imported.read('tests/generic/is_positive.sql')).toContain('{{!-- params: allow_zero=false --}}\nselect *\nfrom {{model}}\n{{#if allow_zero}}');
    expect(imported.read('models/marts/fct_orders.sql')).toContain('{{generate_surrogate_key "o.order_id" "o.customer_id"}} as order_key');
    expect(imported.read('models/marts/calendar.sql')).toBe(
      '{{date_spine "day" (cat "cast(\'" (var "start_date") "\' as date)") "cast(\'2024-01-08\' as date)"}}\n',
    );
    expect(imported.read('dbt_project.yml')).toContain('  - "select count(*) from {{ref \\"fct_orders\\"}}"');

    for (const run of ['first', 'incremental']) {
      // The second build runs every node again (--no-reuse), incremental models on their table.
      const build = await runTsdbt(imported.out, ['build', ...(run === 'incremental' ? ['--no-reuse'] : [])]);
      expect(build.code, `${run}: ${build.stdout}${build.stderr}`).toBe(0);
      const results = imported.json('target/run_results.json').results as Array<{ unique_id: string; status: string }>;
      expect(results.filter((r) => r.status !== 'pass' && r.status !== 'success')).toEqual([]);
      expect(results.filter((r) => r.unique_id.startsWith('test.') || r.unique_id.startsWith('unit_test.'))).toHaveLength(8);
    }
    const db = join(imported.out, 'target/dev.duckdb');
    expect(
      await queryDuckdb(
        db,
        "select order_id::int as id, amount::double as amount, share_of_customer_orders::double as share, order_key = md5(order_id || '-' || customer_id) as key_ok from main.fct_orders order by 1",
      ),
    ).toEqual([
      { id: 1, amount: 12.5, share: 6.25, key_ok: true },
      { id: 2, amount: 8, share: 8, key_ok: true },
      { id: 3, amount: 40, share: 20, key_ok: true },
      { id: 4, amount: 1.5, share: 1.5, key_ok: true },
    ]);
    expect(await queryDuckdb(db, 'select count(*)::int as days, min(date_day)::varchar as first from main.calendar')).toEqual([
      { days: 7, first: '2024-01-01' },
    ]);
    expect(
      (await queryDuckdb(db, "select column_name from information_schema.columns where table_name = 'stg_customers' order by ordinal_position")).map(
        (r) => r.column_name,
      ),
    ).toEqual(['id', 'name', 'has_email']);
    const manifest = imported.json('target/manifest.json');
    expect(manifest.nodes['model.shop_full.fct_orders'].description).toBe(
      'One row per order, with its amount in dollars and its customer.\n\nOrders of every status are kept; filter on `status` for revenue.',
    );
    if (schemasPresent) expect(manifestViolations(manifest)).toEqual([]);
  });

  it('lists what it cannot translate with file:line and what to do, exits 1, and the result stops at it', async () => {
    const dbt = createTmpProject(
      {
        'dbt_project.yml': "name: 'leftovers'\nconfig-version: 2\nprofile: 'leftovers'\n",
        'models/a.sql': "select 1 as id\n{% set rows = run_query('select 1') %}\n",
        'snapshots/s.sql': '{% snapshot s %}select 1{% endsnapshot %}\n',
        'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n  - package: dbt-labs/codegen\n    version: 0.12.1\n',
      },
      { bare: true },
    );
    const out = mkdtempSync(join(tmpdir(), 'tsdbt-import-'));
    const result = await runTsdbt(dbt.dir, ['import', 'dbt', '.', '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('models/a.sql:2:1: {% set rows = … %} of a computed value: only literals and lists of literals can be set');
    expect(result.stdout).toContain('package dbt-labs/dbt_utils: its tests are built in');
    expect(result.stdout).toContain('package dbt-labs/codegen: no tsdbt equivalent');
    expect(result.stdout).toContain('1 thing left to do, listed in');
    // A snapshot block becomes a snapshot file of its name (its config is what compile checks).
    expect(readFileSync(join(out, 'snapshots/s.sql'), 'utf8')).toBe('select 1\n');
    const report = dbt.read(join('..', out.split('/').pop()!, 'IMPORT.md'));
    expect(report).toContain('| models/a.sql:2:1 | {% set rows = … %} of a computed value |');
    // The imported model keeps the Jinja it could not translate: compiling stops there.
    const compile = await runTsdbt(out, ['compile']);
    expect(compile.code).toBe(2);
    expect(compile.stderr).toContain(
      "error models/a.sql:2:1 [model.leftovers.a]: this is Jinja; tsdbt templates are Handlebars: {% set rows = run_query('select 1') %}",
    );
  });

  it('refuses a folder without dbt_project.yml and a --out that is not empty', async () => {
    const empty = createTmpProject({}, { bare: true });
    const notDbt = await runTsdbt(empty.dir, ['import', 'dbt', '.', '--out', 'x']);
    expect(notDbt.code).toBe(2);
    expect(notDbt.stderr).toContain('is not a dbt project: it has no dbt_project.yml');
    const full = await runTsdbt(empty.dir, ['import', 'dbt', fixture('jaffle_small'), '--out', fixture('jaffle_small')]);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('is not empty');
  });
});
