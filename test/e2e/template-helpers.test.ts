/**
 * The helpers `tsdbt import dbt` writes for Jinja (conditions, lists, dbt_utils' generators) and
 * macro parameter defaults, run on real DuckDB: the values dbt would compute.
 */
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

describe('template helpers', () => {
  it('compute what dbt_utils computes, and conditions as Jinja reads them', async () => {
    const project = createTmpProject({
      'models/orders.sql': "select * from (values (1, 'card', 10), (1, 'cash', 5), (2, 'card', 7), (3, null, 1)) as t(id, method, amount)\n",
      'models/more_orders.sql': "select 4 as id, 'cash' as method, 2 as amount\n",
      'models/keyed.sql': 'select id, {{generate_surrogate_key "id" "method"}} as sk from {{ref "orders"}}\n',
      'models/pivoted.sql':
        'select id,\n  {{pivot "method" (list "card" "cash") agg="sum" then_value="amount" else_value=0 prefix="amount_"}}\nfrom {{ref "orders"}}\ngroup by id\n',
      'models/all_orders.sql': '{{union_relations (list (ref "orders") (ref "more_orders"))}}\n',
      'models/no_amount.sql': 'select {{star except=(list "amount")}} from {{ref "orders"}}\n',
      'models/days.sql': '{{date_spine "day" "date \'2024-02-27\'" "date \'2024-03-02\'"}}\n',
      'models/conditions.sql':
        'select\n  {{#if (and (eq target.name "dev") (not (gt 1 2)))}}\'dev\'{{else}}\'other\'{{/if}} as env,\n  {{#each (list "a" "b") as |letter|}}\'{{letter}}\' as col_{{letter}}{{#unless @last}},{{/unless}}{{/each}},\n  {{money "amount"}} as m1, {{money "amount" 1}} as m2\nfrom {{ref "orders"}} where id = 2\n',
      'macros/money.sql': '{{!-- params: column, scale=2 --}}\nround({{column}} / 100.0, {{scale}})\n',
    });
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const db = project.dbPath;
    // dbt_utils: md5 of the fields cast to text, NULL marked, joined by '-'.
    expect(await queryDuckdb(db, "select sk = md5('3-_dbt_utils_surrogate_key_null_') as same from main.keyed where id = 3")).toEqual([{ same: true }]);
    expect(await queryDuckdb(db, 'select id, amount_card::int as card, amount_cash::int as cash from main.pivoted order by id')).toEqual([
      { id: 1, card: 10, cash: 5 },
      { id: 2, card: 7, cash: 0 },
      { id: 3, card: 0, cash: 0 },
    ]);
    expect(await queryDuckdb(db, 'select _dbt_source_relation as r, count(*)::int as n from main.all_orders group by 1 order by 1')).toEqual([
      { r: 'main.more_orders', n: 1 },
      { r: 'main.orders', n: 4 },
    ]);
    expect(
      (await queryDuckdb(db, "select column_name from information_schema.columns where table_name = 'no_amount' order by ordinal_position")).map(
        (r) => r.column_name,
      ),
    ).toEqual(['id', 'method']);
    expect(await queryDuckdb(db, 'select count(*)::int as n, min(date_day)::varchar as first, max(date_day)::varchar as last from main.days')).toEqual([
      { n: 4, first: '2024-02-27', last: '2024-03-01' },
    ]);
    expect(await queryDuckdb(db, 'select env, col_a, col_b, m1::double as m1, m2::double as m2 from main.conditions')).toEqual([
      { env: 'dev', col_a: 'a', col_b: 'b', m1: 0.07, m2: 0.1 },
    ]);
  });

  it('refuses star with a prefix: it would need the columns while compiling', async () => {
    const project = createTmpProject({ 'models/a.sql': 'select 1 as x\n', 'models/b.sql': 'select {{star prefix="p_"}} from {{ref "a"}}\n' });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error models/b.sql:1:8 [model.demo.b]: star with prefix or suffix needs the column names, which tsdbt does not read while compiling',
    );
  });
});
