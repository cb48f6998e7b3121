/**
 * Model contracts end to end, real CLI on real DuckDB files: the SELECT's columns are compared
 * with the contract before anything is built (a mismatch is an error naming the model's file, each
 * column listed, the previous table untouched); the table is created with the declared types and
 * the constraints DuckDB enforces, a violating row rolling the whole build of the model back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { expectGolden } from '../helpers/golden.js';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE, type TmpProject } from '../helpers/tmp-project.js';

const ORDERS = `{{config materialized="table"}}
select * from (values (1, 'FR', 10.5, date '2024-01-01'), (2, 'DE', 20.25, date '2024-01-02')) as t(id, country, amount, day)
`;

/** id BIGINT and amount DOUBLE, as the contract says, whatever the VALUES literals are. */
const ORDERS_TYPED = `{{config materialized="table"}}
select id::bigint as id, country, amount::double as amount, day
from (values (1, 'FR', 10.5, date '2024-01-01'), (2, 'DE', 20.25, date '2024-01-02')) as t(id, country, amount, day)
`;

const ORDERS_YML = `version: 2
models:
  - name: orders
    config:
      contract: {enforced: true}
    constraints:
      - type: check
        name: amount_positive
        expression: "amount > 0"
    columns:
      - name: id
        data_type: int
        constraints:
          - type: not_null
          - type: primary_key
      - name: country
        data_type: string
        constraints: [{type: not_null}]
      - name: amount
        data_type: float
      - name: day
        data_type: date
`;

const columnsOf = (project: TmpProject, table: string) =>
  queryDuckdb<{ column_name: string; column_type: string; null: string; key: string | null }>(project.dbPath, `describe main.${table}`);
const ordersRows = (project: TmpProject) => queryDuckdb<{ id: string; country: string }>(project.dbPath, 'select id, country from main.orders order by id');

describe('an enforced contract on DuckDB', () => {
  let project: TmpProject;
  beforeAll(async () => {
    project = createTmpProject({ 'models/orders.sql': ORDERS_TYPED, 'models/orders.yml': ORDERS_YML });
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('creates the table with the declared types and constraints, then inserts the SELECT', async () => {
    expect(await columnsOf(project, 'orders')).toEqual([
      { column_name: 'id', column_type: 'BIGINT', null: 'NO', key: 'PRI', default: null, extra: null },
      { column_name: 'country', column_type: 'VARCHAR', null: 'NO', key: null, default: null, extra: null },
      { column_name: 'amount', column_type: 'DOUBLE', null: 'YES', key: null, default: null, extra: null },
      { column_name: 'day', column_type: 'DATE', null: 'YES', key: null, default: null, extra: null },
    ]);
    expect(
      await queryDuckdb(project.dbPath, "select constraint_type, constraint_text from duckdb_constraints() where table_name = 'orders' order by 1, 2"),
    ).toEqual([
      { constraint_type: 'CHECK', constraint_text: 'CHECK((amount > 0))' },
      { constraint_type: 'NOT NULL', constraint_text: 'NOT NULL' },
      { constraint_type: 'NOT NULL', constraint_text: 'NOT NULL' },
      { constraint_type: 'PRIMARY KEY', constraint_text: 'PRIMARY KEY(id)' },
    ]);
    expect(await ordersRows(project)).toEqual([
      { id: '1', country: 'FR' },
      { id: '2', country: 'DE' },
    ]);
    // The statements that ran: CREATE with the declared types and constraints, then INSERT.
    expectGolden('duckdb/contracts/table.sql', project.read('target/run/demo/models/orders.sql'));
  });

  it('records the contract and the constraints in the manifest as dbt does, and the manifest validates', () => {
    const node = project.json('target/manifest.json').nodes['model.demo.orders'];
    expect(node.config.contract).toEqual({ enforced: true, alias_types: true });
    expect(node.contract).toEqual({ enforced: true, alias_types: true, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(node.constraints).toEqual([
      {
        type: 'check',
        name: 'amount_positive',
        expression: 'amount > 0',
        warn_unenforced: true,
        warn_unsupported: true,
        to: null,
        to_columns: [],
        columns: [],
      },
    ]);
    expect(node.columns.id.constraints.map((c: { type: string }) => c.type)).toEqual(['not_null', 'primary_key']);
    expect(node.columns.amount.constraints).toEqual([]);
    if (schemasPresent) expect(manifestViolations(project.json('target/manifest.json'))).toEqual([]);
  });

  it('a type mismatch stops the model before anything is built, naming the file and each column', async () => {
    project.write('models/orders.sql', ORDERS);
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(`ERROR in model orders (models/orders.sql)
  model orders does not match its contract (2 columns):
    column | contract | model
    -------+----------+-------------
    id     | BIGINT   | INTEGER        data type differs
    amount | DOUBLE   | DECIMAL(4,2)   data type differs
  hint: change the SELECT (cast the column, add or drop it) or the data_type in models/orders.yml; nothing was built, the previous relation is untouched`);
    const results = project.json('target/run_results.json').results;
    expect(results.map((r: { unique_id: string; status: string }) => [r.unique_id, r.status])).toEqual([['model.demo.orders', 'error']]);
    // Nothing ran: the table of the last good build is there, as it was.
    expect(await ordersRows(project)).toHaveLength(2);
    expect((await columnsOf(project, 'orders')).map((c) => c.column_type)).toEqual(['BIGINT', 'VARCHAR', 'DOUBLE', 'DATE']);
  });

  it('a missing column and an extra one are listed', async () => {
    project.write('models/orders.sql', ORDERS_TYPED.replace('amount::double as amount', 'amount::double as total'));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`  model orders does not match its contract (2 columns):
    column | contract | model
    -------+----------+-------
    amount | DOUBLE   | -        missing from the model
    total  | -        | DOUBLE   not in the contract`);
  });

  it('a NULL in a not_null column fails the INSERT and rolls the build back: the previous rows stay', async () => {
    project.write('models/orders.sql', ORDERS_TYPED.replace("'DE'", 'NULL'));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Constraint Error: NOT NULL constraint failed: orders.country');
    expect(result.stderr).toContain('the previous relation was left untouched');
    expect(await ordersRows(project)).toEqual([
      { id: '1', country: 'FR' },
      { id: '2', country: 'DE' },
    ]);
  });

  it('a duplicate primary key fails the same way', async () => {
    project.write('models/orders.sql', ORDERS_TYPED.replace("(2, 'DE'", "(1, 'DE'"));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Constraint Error: PRIMARY KEY or UNIQUE constraint violation: duplicate key "1"');
    expect(await ordersRows(project)).toEqual([
      { id: '1', country: 'FR' },
      { id: '2', country: 'DE' },
    ]);
  });

  it('a failing check constraint too', async () => {
    project.write('models/orders.sql', ORDERS_TYPED.replace('20.25', '-1'));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CHECK constraint failed on table orders with expression CHECK((amount > 0))');
    expect(await ordersRows(project)).toHaveLength(2);
  });
});

describe('contracts on views, incremental models and unit tests', () => {
  it('a view: columns and types checked, its constraints not applied (a warning)', async () => {
    const project = createTmpProject({
      'models/v.sql': "select 1::bigint as id, 'x' as label\n",
      'models/v.yml': `version: 2
models:
  - name: v
    config: {contract: {enforced: true}}
    columns:
      - name: id
        data_type: int
        constraints: [{type: not_null}]
      - name: label
        data_type: string
`,
    });
    const ok = await runTsdbt(project.dir, ['build']);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain(
      'warning: models/v.yml:8:23: not_null constraint on id of v is not applied: a view has no constraints (its columns and types are still checked)',
    );
    project.write('models/v.sql', "select 1 as id, 'x' as label\n");
    const failed = await runTsdbt(project.dir, ['build']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('    id     | BIGINT   | INTEGER   data type differs');
  });

  it('an incremental model: created typed on the first run, its columns checked on the next', async () => {
    const model = (cast: string) => `{{config materialized="incremental" unique_key="id" on_schema_change="fail"}}
select id${cast} as id, v from (values (1, 'a'), (2, 'b')) as t(id, v)
{{#if (is_incremental)}}where id >= (select max(id) from {{this}}){{/if}}
`;
    const project = createTmpProject({
      'models/inc.sql': model('::bigint'),
      'models/inc.yml': `version: 2
models:
  - name: inc
    config: {contract: {enforced: true}}
    columns:
      - name: id
        data_type: int
        constraints: [{type: primary_key}]
      - name: v
        data_type: string
`,
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    expectGolden('duckdb/contracts/incremental-first-run.sql', project.read('target/run/demo/models/inc.sql'));
    expect((await columnsOf(project, 'inc')).map((c) => [c.column_name, c.column_type, c.key])).toEqual([
      ['id', 'BIGINT', 'PRI'],
      ['v', 'VARCHAR', null],
    ]);
    const second = await runTsdbt(project.dir, ['build', '--no-reuse']);
    expect(second.code).toBe(0);
    const results = project.json('target/run_results.json').results;
    expect(results.map((r: { message: string }) => r.message)).toEqual(['MERGE (1 new row, +0 net)']);
    // Later runs fold the new rows into the constrained table as any incremental run does.
    expectGolden('duckdb/contracts/incremental-merge.sql', project.read('target/run/demo/models/inc.sql'));
    project.write('models/inc.sql', model(''));
    const third = await runTsdbt(project.dir, ['build']);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('    id     | BIGINT   | INTEGER   data type differs');
  });

  it("types a unit test's input from the contract of the model it stands for", async () => {
    const project = createTmpProject({
      'models/amounts.sql': '{{config materialized="table"}}\nselect 1::bigint as id, now() as ts\n',
      'models/summary.sql': 'select typeof(id) as id_type, typeof(ts) as ts_type from {{ref "amounts"}}\n',
      'models/schema.yml': `version: 2
models:
  - name: amounts
    config: {contract: {enforced: true}}
    columns:
      - {name: id, data_type: int}
      - {name: ts, data_type: timestamp_tz}
unit_tests:
  - name: typed_by_the_contract
    model: summary
    given:
      - input: ref('amounts')
        rows: [{id: 1, ts: '2024-01-01 00:00:00+00'}]
    expect:
      rows: [{id_type: BIGINT, ts_type: TIMESTAMP WITH TIME ZONE}]
`,
    });
    const result = await runTsdbt(project.dir, ['test', '--select', 'summary']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('typed_by_the_contract');
  });
});

describe('contract mistakes are errors at file:line before anything runs', () => {
  it('a column without data_type, a contract on an ephemeral model, a bad constraint', async () => {
    const project = createTmpProject({
      'models/a.sql': 'select 1 as id, 2 as n\n',
      'models/e.sql': '{{config materialized="ephemeral"}}\nselect 1 as id\n',
      'models/schema.yml': `version: 2
models:
  - name: a
    config:
      materialized: table
      contract: {enforced: true}
    columns:
      - name: id
        data_type: int
        constraints: [{type: primary}]
      - name: n
  - name: e
    config:
      contract: {enforced: true}
    columns:
      - {name: id, data_type: int}
`,
    });
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('models/schema.yml:11:9');
    expect(result.stderr).toContain('column a.n has no data_type: an enforced contract needs the type of every column');
    expect(result.stderr).toContain('models/schema.yml:10:23');
    expect(result.stderr).toContain('constraint of column id: unknown type "primary"');
    expect(result.stderr).toContain('did you mean "primary_key"?');
    expect(result.stderr).toContain('models/schema.yml:14:7');
    expect(result.stderr).toContain('model "e" is ephemeral: an ephemeral model cannot have an enforced contract');
    expect(project.exists('target/dev.duckdb')).toBe(false);
  });

  it("a foreign key's to: makes the referenced model a parent; an unknown one is an error at its line", async () => {
    const files = (to: string) => ({
      'models/customers.sql': '{{config materialized="table"}}\nselect 1::bigint as customer_id\n',
      'models/orders.sql': '{{config materialized="table"}}\nselect 1::bigint as order_id, 1::bigint as customer_id\n',
      'models/orders.yml': `version: 2
models:
  - name: orders
    config: {contract: {enforced: true}}
    columns:
      - {name: order_id, data_type: int}
      - name: customer_id
        data_type: int
        constraints:
          - {type: foreign_key, to: "${to}", to_columns: [customer_id]}
`,
    });
    const project = createTmpProject(files("ref('customers')"));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: models/orders.yml:10:13: foreign_key constraint on customer_id of orders is not applied: DuckDB would then refuse to rebuild the referenced table; check the reference with a relationships test',
    );
    const node = project.json('target/manifest.json').nodes['model.demo.orders'];
    expect(node.depends_on.nodes).toEqual(['model.demo.customers']);
    expect(node.columns.customer_id.constraints[0]).toMatchObject({ type: 'foreign_key', to: 'main.customers', to_columns: ['customer_id'] });

    const unknown = createTmpProject(files("ref('customer')"));
    const failed = await runTsdbt(unknown.dir, ['compile']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("error models/orders.yml:10:13 [model.demo.orders]: foreign_key constraint of orders references unknown ref('customer')");
    expect(failed.stderr).toContain('did you mean "customers"?');
  });

  it("a seed's column constraints are said to do nothing", async () => {
    const project = createTmpProject({
      'seeds/codes.csv': 'code\nA\n',
      'seeds/codes.yml': 'version: 2\nseeds:\n  - name: codes\n    columns:\n      - name: code\n        constraints: [{type: not_null}]\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: seeds/codes.yml:6:9: constraints of codes.code have no effect: a seed has no contract');
  });

  it('constraints written as a config key are pointed at the properties', async () => {
    const project = createTmpProject({ 'models/a.sql': '{{config constraints="x"}}\nselect 1 as id\n' });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('constraints is not a config: it is a property of a model or of its columns');
  });
});
