/**
 * Unit tests end to end: a model's SQL run on fixture rows (dict or CSV) instead of its inputs,
 * with vars and is_incremental overrides, row diffs on mismatch, and nothing written to the
 * target database; plus the errors for unknown models and missing inputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE, type RunResult, type TmpProject } from '../helpers/tmp-project.js';

interface ResultEntry {
  unique_id: string;
  status: string;
  failures: number | null;
  message: string;
}

const resultsOf = (project: TmpProject): ResultEntry[] => project.json('target/run_results.json').results;

function expectExit(result: RunResult, code: number) {
  expect(result.code, `exit code\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(code);
}

/** 1-based line of the first line of `content` containing `text`. */
function lineOf(content: string, text: string): number {
  const index = content.split('\n').findIndex((line) => line.includes(text));
  expect(index, text).toBeGreaterThanOrEqual(0);
  return index + 1;
}

const tablesIn = (dbPath: string) =>
  queryDuckdb<{ table_schema: string; table_name: string }>(
    dbPath,
    "select table_schema, table_name from information_schema.tables where table_schema <> 'tsdbt_state' order by all",
  );

const UNIT_YML = `version: 2
unit_tests:
  - name: totals_from_dicts
    description: only the columns the model reads are given
    model: order_totals
    given:
      - input: ref('stg_orders')
        rows:
          - {customer_id: 1, amount: 10, status: paid}
          - {customer_id: 1, amount: 5, status: paid}
          - {customer_id: 1, amount: 100, status: cancelled}
          - {customer_id: 2, amount: 7, status: paid}
      - input: ref('customers')
        rows:
          - {id: 1, name: alice}
          - {id: 2, name: bob}
      - input: ref('eph_factor')
        rows:
          - {factor: 2}
    expect:
      rows:
        - {customer_id: 1, total: 30}
        - {customer_id: 2, total: 14}
  - name: totals_from_csv
    model: order_totals
    given:
      - input: ref('stg_orders')
        format: csv
        rows: |
          customer_id,amount,status
          1,10,paid
          1,3,open
          1,,paid
      - input: ref('customers')
        format: csv
        rows: |
          id,name
          1,alice
      - input: ref('eph_factor')
        format: csv
        rows: |
          factor
          10
    expect:
      format: csv
      rows: |
        customer_id,name,total,n
        1,alice,130,3
  - name: totals_with_vars
    model: order_totals
    overrides:
      vars: {excluded_status: open}
    given:
      - input: ref('stg_orders')
        rows:
          - {customer_id: 1, amount: 10, status: paid}
          - {customer_id: 1, amount: 3, status: open}
          - {customer_id: 1, amount: 1, status: cancelled}
      - input: ref('customers')
        rows: [{id: 1, name: alice}]
      - input: ref('eph_factor')
        rows: [{factor: 1}]
    expect:
      rows: [{customer_id: 1, total: 11, n: 2}]
  - name: stg_orders_from_source
    model: stg_orders
    given:
      - input: source('raw', 'orders')
        rows:
          - {id: 1, customer_id: 1, amount: 10, status: paid, note: a}
          - {id: 2, customer_id: 1, amount: 10, status: null, note: b}
    expect:
      rows:
        - {id: 1, status: paid}
  - name: inc_events_incremental
    model: inc_events
    overrides:
      macros: {is_incremental: true}
    given:
      - input: ref('events_src')
        rows: [{id: 1, ts: 10}, {id: 2, ts: 20}, {id: 3, ts: 30}]
      - input: this
        rows: [{id: 1, ts: 10}, {id: 2, ts: 20}]
    expect:
      rows: [{id: 3, ts: 30}]
  - name: inc_events_full
    model: inc_events
    given:
      - input: ref('events_src')
        rows: [{id: 1, ts: 10}, {id: 2, ts: 20}]
    expect:
      rows: [{id: 1, ts: 10}, {id: 2, ts: 20}]
  - name: totals_mismatch
    model: order_totals
    given:
      - input: ref('stg_orders')
        rows: [{customer_id: 1, amount: 10, status: paid}, {customer_id: 2, amount: 4, status: paid}]
      - input: ref('customers')
        rows: [{id: 1, name: alice}, {id: 2, name: bob}]
      - input: ref('eph_factor')
        rows: [{factor: 1}]
    expect:
      rows:
        - {customer_id: 1, name: alice, total: 10}
        - {customer_id: 2, name: bob, total: 5}
  - name: expects_unknown_column
    model: customers
    given: []
    expect:
      rows: [{id: 1, nickname: x}]
  - name: no_big_orders
    model: big_orders
    given:
      - input: ref('stg_orders')
        rows: [{customer_id: 1, amount: 10}, {customer_id: 2, amount: 50}]
    expect:
      rows: []
  - name: unexpected_big_order
    model: big_orders
    given:
      - input: ref('stg_orders')
        rows: [{customer_id: 1, amount: 10}, {customer_id: 2, amount: 60}]
    expect:
      rows: []
  - name: broken_sql
    model: broken
    given:
      - input: ref('customers')
        rows: [{id: 1}]
    expect:
      rows: [{id: 1}]
`;

describe('unit tests', () => {
  let project: TmpProject;
  let result: RunResult;
  let byName: Record<string, ResultEntry>;
  let tablesAfterTest: Array<{ table_schema: string; table_name: string }>;

  beforeAll(async () => {
    project = createTmpProject({
      'data/orders.csv': 'id,customer_id,amount,status,note\n1,1,10,paid,a\n2,1,5,,b\n',
      'models/sources.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: orders
        external:
          location: data/orders.csv
          format: csv
`,
      'models/stg_orders.sql':
        '{{config materialized="table"}}\nselect id, customer_id, amount, status, note from {{source "raw" "orders"}} where status is not null\n',
      'models/customers.sql': "{{config materialized=\"table\"}}\nselect 1 as id, 'x' as name, 'fr' as country\n",
      'models/eph_factor.sql': '{{config materialized="ephemeral"}}\nselect 2 as factor\n',
      'models/order_totals.sql': `{{config materialized="table"}}
select c.id as customer_id, c.name, sum(o.amount * f.factor) as total, count(*) as n
from {{ref "stg_orders"}} as o
join {{ref "customers"}} as c on o.customer_id = c.id
cross join {{ref "eph_factor"}} as f
where o.status <> '{{var "excluded_status" "cancelled"}}'
group by 1, 2
`,
      'models/events_src.sql': 'select id, amount as ts from {{ref "stg_orders"}}\n',
      'models/inc_events.sql': `{{config materialized="incremental" unique_key="id"}}
select id, ts from {{ref "events_src"}}
{{#if (is_incremental)}} where ts > (select max(ts) from {{this}}) {{/if}}
`,
      'models/big_orders.sql': 'select customer_id, amount from {{ref "stg_orders"}} where amount > 50\n',
      'models/broken.sql': 'select id, no_such_column from {{ref "customers"}}\n',
      'models/unit.yml': UNIT_YML,
    });
    // A fresh project: no model has ever been built.
    result = await runTsdbt(project.dir, ['test', '--select', 'test_type:unit']);
    byName = Object.fromEntries(resultsOf(project).map((r) => [r.unique_id.split('.').slice(-1)[0]!, r]));
    tablesAfterTest = await tablesIn(project.dbPath);
  });

  it('runs every unit test and exits 1 on a mismatch or error', () => {
    expectExit(result, 1);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(
      resultsOf(project)
        .map((r) => r.unique_id)
        .sort(),
    ).toEqual([
      'unit_test.demo.big_orders.no_big_orders',
      'unit_test.demo.big_orders.unexpected_big_order',
      'unit_test.demo.broken.broken_sql',
      'unit_test.demo.customers.expects_unknown_column',
      'unit_test.demo.inc_events.inc_events_full',
      'unit_test.demo.inc_events.inc_events_incremental',
      'unit_test.demo.order_totals.totals_from_csv',
      'unit_test.demo.order_totals.totals_from_dicts',
      'unit_test.demo.order_totals.totals_mismatch',
      'unit_test.demo.order_totals.totals_with_vars',
      'unit_test.demo.stg_orders.stg_orders_from_source',
    ]);
  });

  it('passes with dict fixtures giving only the columns the model reads, an ephemeral ref included', () => {
    expect(byName.totals_from_dicts).toMatchObject({ status: 'pass', failures: 0, message: '2 expected rows matched' });
  });

  it('passes with format: csv fixtures (empty cells are NULL)', () => {
    expect(byName.totals_from_csv).toMatchObject({ status: 'pass', failures: 0, message: '1 expected row matched' });
  });

  it('applies overrides: vars', () => {
    expect(byName.totals_with_vars).toMatchObject({ status: 'pass', failures: 0, message: '1 expected row matched' });
  });

  it("reads input: source('raw', 'orders') from fixture rows", () => {
    expect(byName.stg_orders_from_source).toMatchObject({ status: 'pass', failures: 0, message: '1 expected row matched' });
  });

  it('applies overrides: macros: {is_incremental: true} with input: this, and is not incremental otherwise', () => {
    expect(byName.inc_events_incremental).toMatchObject({ status: 'pass', failures: 0, message: '1 expected row matched' });
    expect(byName.inc_events_full).toMatchObject({ status: 'pass', failures: 0, message: '2 expected rows matched' });
  });

  it('prints a row diff when the actual rows differ from the expected ones', () => {
    const expected = [
      'actual rows differ from expected: 1 missing, 1 unexpected',
      '  - missing    customer_id=2, name="bob", total="5"',
      '  + unexpected customer_id=2, name="bob", total="4"',
    ].join('\n');
    expect(byName.totals_mismatch).toMatchObject({ status: 'fail', failures: 2, message: expected });
    expect(result.stderr).toContain(
      `FAIL in unit test totals_mismatch (models/unit.yml:${lineOf(UNIT_YML, '- name: totals_mismatch')})\n  ${expected.split('\n').join('\n  ')}`,
    );
    expect(result.stdout).toMatch(/FAIL\s+unit test\s+totals_mismatch\s+actual rows differ from expected: 1 missing, 1 unexpected/);
  });

  it('fails when an expected column is not in the model output', () => {
    expect(byName.expects_unknown_column).toMatchObject({ status: 'fail', message: "expected column nickname not in the model's output (id, name, country)" });
  });

  it('expect: rows: [] asserts that the model returns no rows', () => {
    expect(byName.no_big_orders).toMatchObject({ status: 'pass', failures: 0 });
    expect(byName.unexpected_big_order).toMatchObject({ status: 'fail', failures: 1 });
    expect(byName.unexpected_big_order!.message).toMatch(/^actual rows differ from expected: 0 missing, 1 unexpected\n {2}\+ unexpected .*amount=60/);
  });

  it("reports the model's SQL failing on the fixtures as an error", () => {
    expect(byName.broken_sql!.status).toBe('error');
    expect(byName.broken_sql!.failures).toBeNull();
    expect(byName.broken_sql!.message).toMatch(/^the model's SQL failed on the fixtures: Binder Error: Referenced column "no_such_column" not found/);
    expect(result.stderr).toContain(`ERROR in unit test broken_sql (models/unit.yml:${lineOf(UNIT_YML, '- name: broken_sql')})`);
  });

  it('creates no table in the target database: neither fixtures nor the tested models', () => {
    expect(tablesAfterTest).toEqual([]);
  });

  it('build runs the unit tests first and creates only the models, never fixture tables', async () => {
    const build = await runTsdbt(project.dir, ['build', '--select', 'stg_orders']);
    expectExit(build, 0);
    expect(
      resultsOf(project)
        .map((r) => `${r.unique_id} ${r.status}`)
        .sort(),
    ).toEqual(['model.demo.stg_orders success', 'unit_test.demo.stg_orders.stg_orders_from_source pass']);
    // The unit test finishes before its model starts.
    expect(build.stdout).toMatch(/1\/2\s+PASS\s+unit test\s+stg_orders_from_source[\s\S]*\n2\/2\s+OK\s+table\s+main\.stg_orders/);
    expect(await tablesIn(project.dbPath)).toEqual([{ table_schema: 'main', table_name: 'stg_orders' }]);
    expect(await queryDuckdb(project.dbPath, 'select id::int as id, status from main.stg_orders')).toEqual([{ id: 1, status: 'paid' }]);
  });
});

describe('unit test declaration errors', () => {
  const yml = `version: 2
unit_tests:
  - name: on_unknown_model
    model: order_total
    given: []
    expect:
      rows: [{id: 1}]
  - name: missing_input
    model: order_totals
    given:
      - input: ref('orders')
        rows: [{customer_id: 1}]
    expect:
      rows: [{id: 1}]
`;
  let project: TmpProject;
  let result: RunResult;

  beforeAll(async () => {
    project = createTmpProject({
      'models/customers.sql': 'select 1 as id\n',
      'models/orders.sql': 'select 1 as customer_id\n',
      'models/order_totals.sql': 'select c.id from {{ref "customers"}} as c join {{ref "orders"}} as o on o.customer_id = c.id\n',
      'models/unit.yml': yml,
    });
    result = await runTsdbt(project.dir, ['test']);
  });

  it('exit 2 before anything runs', () => {
    expectExit(result, 2);
    expect(result.stdout).toContain('2 errors; nothing was run.');
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(project.exists('target/run_results.json')).toBe(false);
  });

  it('a unit test on an unknown model, with did-you-mean', () => {
    expect(result.stderr).toContain(
      `error models/unit.yml:${lineOf(yml, 'model: order_total')}:12: unit test "on_unknown_model": model "order_total" does not exist\n  hint: did you mean "order_totals"?`,
    );
  });

  it("a model input without fixture rows, naming ref('customers')", () => {
    expect(result.stderr).toMatch(
      new RegExp(
        `error models/unit\\.yml:${lineOf(yml, "- input: ref('orders')")}:\\d+: unit test "missing_input": the model reads ref\\('customers'\\) but the test gives no rows for it\\n  hint: add "- input: ref\\('customers'\\)" with rows under given:`,
      ),
    );
  });
});
