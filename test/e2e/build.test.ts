import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, tableRows, STACK_LINE, type RunResult, type TmpProject } from '../helpers/tmp-project.js';

/**
 * One project, built once, shared by every test here that only reads it (tests in a file run in
 * order; the few that build again produce the same relations).
 */
const FILES: Record<string, string> = {
  'project.yml': `name: demo
profile: demo
vars:
  min_amount: 10
models:
  demo:
    gold:
      +schema: gold
      +materialized: table
      +tags: [gold]
`,
  'seeds/customers.csv': `id,name,credit,signup_date
1,alice,10.5,2024-01-01
2,bob,20,2024-01-02
3,carol,30.25,2024-01-03
4,dave,0,2024-01-04
`,
  'seeds/_seeds.yml': `version: 2
seeds:
  - name: customers
    config:
      column_types:
        id: INTEGER
        credit: DECIMAL(10,2)
        signup_date: VARCHAR
`,
  'data/orders.csv': `order_id,customer_id,amount
1,1,5
2,1,15
3,2,25
4,3,8
5,3,40
`,
  'models/sources.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: orders
        external:
          location: data/orders.csv
          format: csv
`,
  'models/staging/schema.yml': `version: 2
models:
  - name: stg_customers
    description: Customers, cleaned.
    tags: [pii]
    columns:
      - name: id
        description: Customer id.
`,
  'models/staging/stg_customers.sql': `select id, upper(name) as name, credit
from {{ref "customers"}}
`,
  'models/staging/stg_orders.sql': `select order_id, customer_id, amount
from {{source "raw" "orders"}}
`,
  'models/staging/big_orders.sql': `{{config materialized="ephemeral"}}
select order_id, customer_id, amount
from {{ref "stg_orders"}}
where amount >= {{var "min_amount"}}
`,
  'models/gold/customer_totals.sql': `select c.id, c.name, count(o.order_id) as big_orders, coalesce(sum(o.amount), 0) as big_amount
from {{ref "stg_customers"}} c
left join {{ref "big_orders"}} o on o.customer_id = c.id
group by c.id, c.name
`,
  'models/marts/customer_labels.sql': `{{config materialized="table"}}
select id,
  {{cents "credit"}} as credit_cents,
  {{label "C-" "id"}} as code
from {{ref "stg_customers"}}
`,
  'models/misc/standalone.sql': `{{config tags="misc"}}
select 42 as answer
`,
  'macros/cents.sql': `{{!-- params: column --}}
cast(round({{column}} * 100) as integer)
`,
  'macros/helpers.js': `export function label(prefix, column) {
  return "'" + prefix + "' || cast(" + column + " as varchar)";
}
`,
};

const MODELS = ['stg_customers', 'stg_orders', 'big_orders', 'customer_totals', 'customer_labels', 'standalone'];

let project: TmpProject;
let build: RunResult;
let manifest: any;
let runResults: any;

beforeAll(async () => {
  project = createTmpProject(FILES);
  build = await runTsdbt(project.dir, ['build']);
  manifest = project.json('target/manifest.json');
  runResults = project.json('target/run_results.json');
});

/** Every node a full build executes, sorted (ephemeral big_orders is inlined, so it has no result). */
const EXECUTED = [
  'model.demo.customer_labels',
  'model.demo.customer_totals',
  'model.demo.standalone',
  'model.demo.stg_customers',
  'model.demo.stg_orders',
  'seed.demo.customers',
];
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const resultOf = (results: any, id: string) => results.results.find((r: any) => r.unique_id === id);

describe('build of a small project', () => {
  it('exits 0 and reports every node OK', () => {
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(build.stdout).toContain('tsdbt build: 6 nodes on target dev (duckdb, 2 threads)');
    expect(build.stdout).toMatch(/OK\s+seed\s+main\.customers\s+4 rows/);
    expect(build.stdout).toMatch(/OK\s+table\s+gold\.customer_totals\s+4 rows/);
    expect(build.stdout).toMatch(/OK\s+view\s+main\.stg_customers/);
    // The ephemeral model is not a node of its own.
    expect(build.stdout).not.toContain('big_orders');
  });

  it('loads the seed with the column_types of seeds/_seeds.yml', async () => {
    const columns = await queryDuckdb(
      project.dbPath,
      `select column_name, data_type from information_schema.columns where table_schema = 'main' and table_name = 'customers' order by ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'INTEGER' },
      { column_name: 'name', data_type: 'VARCHAR' },
      { column_name: 'credit', data_type: 'DECIMAL(10,2)' },
      { column_name: 'signup_date', data_type: 'VARCHAR' },
    ]);
    const rows = await queryDuckdb(project.dbPath, 'select id, name, credit::double as credit, signup_date from main.customers order by id');
    expect(rows).toEqual([
      { id: 1, name: 'alice', credit: 10.5, signup_date: '2024-01-01' },
      { id: 2, name: 'bob', credit: 20, signup_date: '2024-01-02' },
      { id: 3, name: 'carol', credit: 30.25, signup_date: '2024-01-03' },
      { id: 4, name: 'dave', credit: 0, signup_date: '2024-01-04' },
    ]);
  });

  it('builds views, tables and no relation for the ephemeral model', async () => {
    const relations = await queryDuckdb(
      project.dbPath,
      `select table_schema, table_name, table_type from information_schema.tables where table_catalog = 'dev' order by table_schema, table_name`,
    );
    expect(relations).toEqual([
      { table_schema: 'gold', table_name: 'customer_totals', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'customer_labels', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'customers', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'standalone', table_type: 'VIEW' },
      { table_schema: 'main', table_name: 'stg_customers', table_type: 'VIEW' },
      { table_schema: 'main', table_name: 'stg_orders', table_type: 'VIEW' },
      // What each node was built from, for the next run (state-aware runs).
      { table_schema: 'tsdbt_state', table_name: 'builds', table_type: 'BASE TABLE' },
    ]);
  });

  it('computes the table through the ephemeral model and the external source', async () => {
    const rows = await queryDuckdb(
      project.dbPath,
      'select id, name, big_orders::int as big_orders, big_amount::int as big_amount from gold.customer_totals order by id',
    );
    expect(rows).toEqual([
      { id: 1, name: 'ALICE', big_orders: 1, big_amount: 15 },
      { id: 2, name: 'BOB', big_orders: 1, big_amount: 25 },
      { id: 3, name: 'CAROL', big_orders: 1, big_amount: 40 },
      { id: 4, name: 'DAVE', big_orders: 0, big_amount: 0 },
    ]);
  });

  it('expands the SQL macro (positional param) and the JS macro', async () => {
    const rows = await queryDuckdb(project.dbPath, 'select id, credit_cents, code from main.customer_labels order by id');
    expect(rows).toEqual([
      { id: 1, credit_cents: 1050, code: 'C-1' },
      { id: 2, credit_cents: 2000, code: 'C-2' },
      { id: 3, credit_cents: 3025, code: 'C-3' },
      { id: 4, credit_cents: 0, code: 'C-4' },
    ]);
    expect(project.read('target/compiled/demo/models/marts/customer_labels.sql')).toBe(`
select id,
  cast(round(credit * 100) as integer) as credit_cents,
  'C-' || cast(id as varchar) as code
from main.stg_customers
`);
  });

  it('writes the rendered SQL to target/compiled, refs replaced by schema.name', () => {
    expect(project.read('target/compiled/demo/models/staging/stg_customers.sql')).toBe('select id, upper(name) as name, credit\nfrom main.customers\n');
    expect(project.read('target/compiled/demo/models/staging/stg_orders.sql')).toBe(
      // Relative lake locations resolve against the project, so the SQL runs from any folder.
      `select order_id, customer_id, amount\nfrom read_csv('${project.dir}/data/orders.csv')\n`,
    );
  });

  it('inlines the ephemeral model as a CTE __tsdbt__cte__<name> in its child', () => {
    expect(project.read('target/compiled/demo/models/gold/customer_totals.sql')).toBe(`with __tsdbt__cte__big_orders as (
select order_id, customer_id, amount
from main.stg_orders
where amount >= 10
)
select c.id, c.name, count(o.order_id) as big_orders, coalesce(sum(o.amount), 0) as big_amount
from main.stg_customers c
left join __tsdbt__cte__big_orders o on o.customer_id = c.id
group by c.id, c.name
`);
  });

  it('writes target/manifest.json with nodes, dependencies, checksums, configs and the graph maps', () => {
    expect(manifest.metadata.project_name).toBe('demo');
    expect(manifest.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    expect(Object.keys(manifest.nodes).sort()).toEqual([...MODELS.map((m) => `model.demo.${m}`), 'seed.demo.customers'].sort());
    for (const name of MODELS) {
      const node = manifest.nodes[`model.demo.${name}`];
      expect(node.unique_id).toBe(`model.demo.${name}`);
      expect(node.resource_type).toBe('model');
      expect(node.checksum).toEqual({ name: 'sha256', checksum: sha256(FILES[node.original_file_path]!) });
      expect(node.compiled_path).toBe(`target/compiled/demo/${node.original_file_path}`);
      expect(node.raw_code).toBe(FILES[node.original_file_path]);
    }

    const totals = manifest.nodes['model.demo.customer_totals'];
    expect(totals.original_file_path).toBe('models/gold/customer_totals.sql');
    expect(totals.fqn).toEqual(['demo', 'gold', 'customer_totals']);
    expect(totals.schema).toBe('gold');
    expect(totals.relation_name).toBe('gold.customer_totals');
    expect(totals.config.materialized).toBe('table');
    expect(totals.config.schema).toBe('gold');
    expect(totals.tags).toEqual(['gold']);
    expect([...totals.depends_on.nodes].sort()).toEqual(['model.demo.big_orders', 'model.demo.stg_customers']);
    expect(totals.compiled_code).toBe(project.read('target/compiled/demo/models/gold/customer_totals.sql'));

    expect(manifest.nodes['model.demo.big_orders'].config.materialized).toBe('ephemeral');
    expect(manifest.nodes['model.demo.big_orders'].relation_name).toBeNull();
    expect(manifest.nodes['model.demo.stg_customers'].config.materialized).toBe('view');
    expect(manifest.nodes['model.demo.stg_customers'].description).toBe('Customers, cleaned.');
    expect(manifest.nodes['model.demo.stg_customers'].tags).toEqual(['pii']);
    expect(manifest.nodes['model.demo.stg_customers'].patch_path).toBe('models/staging/schema.yml');
    expect(manifest.nodes['model.demo.stg_orders'].depends_on.nodes).toEqual(['source.demo.raw.orders']);
    expect(manifest.nodes['model.demo.standalone'].tags).toEqual(['misc']);
    expect([...manifest.nodes['model.demo.customer_labels'].depends_on.macros].sort()).toEqual(['macro.demo.cents', 'macro.demo.helpers']);
    expect(manifest.nodes['seed.demo.customers'].config.column_types).toEqual({ id: 'INTEGER', credit: 'DECIMAL(10,2)', signup_date: 'VARCHAR' });

    expect(Object.keys(manifest.sources)).toEqual(['source.demo.raw.orders']);
    expect(Object.keys(manifest.macros).sort()).toEqual(['macro.demo.cents', 'macro.demo.helpers']);
    expect([...manifest.parent_map['model.demo.customer_totals']].sort()).toEqual(['model.demo.big_orders', 'model.demo.stg_customers']);
    expect(manifest.parent_map['model.demo.big_orders']).toEqual(['model.demo.stg_orders']);
    expect(manifest.parent_map['seed.demo.customers']).toEqual([]);
    expect([...manifest.child_map['model.demo.stg_customers']].sort()).toEqual(['model.demo.customer_labels', 'model.demo.customer_totals']);
    expect(manifest.child_map['source.demo.raw.orders']).toEqual(['model.demo.stg_orders']);
    expect(manifest.child_map['model.demo.standalone']).toEqual([]);
  });

  it('writes target/run_results.json with a success per built node, rows, timings and args', () => {
    expect(runResults.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    const ids = runResults.results.map((r: any) => r.unique_id).sort();
    // Ephemeral models are not executed, so they have no result.
    expect(ids).toEqual(EXECUTED);
    for (const result of runResults.results) {
      expect(result.status).toBe('success');
      expect(typeof result.execution_time).toBe('number');
      expect(result.timing).toHaveLength(1);
    }
    expect(resultOf(runResults, 'seed.demo.customers').adapter_response.rows_affected).toBe(4);
    expect(resultOf(runResults, 'model.demo.customer_totals').adapter_response.rows_affected).toBe(4);
    expect(resultOf(runResults, 'model.demo.customer_totals').message).toBe('CREATE TABLE (4 rows)');
    expect(resultOf(runResults, 'model.demo.customer_totals').relation_name).toBe('gold.customer_totals');
    expect(resultOf(runResults, 'model.demo.customer_labels').adapter_response.rows_affected).toBe(4);
    expect(resultOf(runResults, 'model.demo.stg_customers').message).toBe('CREATE VIEW');
    expect(typeof runResults.elapsed_time).toBe('number');
    expect(runResults.elapsed_time).toBeGreaterThan(0);
    expect(runResults.args).toMatchObject({ which: 'build', select: [], exclude: [], full_refresh: false, fail_fast: false, log_format: 'text' });
    expect(runResults.metadata.invocation_id).toBe(manifest.metadata.invocation_id);
  });
});

describe('selection (tsdbt ls)', () => {
  const names = async (...args: string[]) => {
    const result = await runTsdbt(project.dir, ['ls', '--output', 'name', ...args]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout.trim().split('\n').sort();
  };

  it('lists every resource without a selector', async () => {
    expect(await names()).toEqual(['big_orders', 'customer_labels', 'customer_totals', 'customers', 'orders', 'standalone', 'stg_customers', 'stg_orders']);
  });

  it('+model: the model and all its ancestors', async () => {
    expect(await names('--select', '+customer_totals')).toEqual(['big_orders', 'customer_totals', 'customers', 'orders', 'stg_customers', 'stg_orders']);
  });

  it('model+: the model and all its descendants', async () => {
    expect(await names('--select', 'stg_orders+')).toEqual(['big_orders', 'customer_totals', 'stg_orders']);
  });

  it('1+model: the model and its direct parents only', async () => {
    expect(await names('--select', '1+customer_totals')).toEqual(['big_orders', 'customer_totals', 'stg_customers']);
  });

  it('@model: descendants and the ancestors of all of them', async () => {
    expect(await names('--select', '@stg_orders')).toEqual(['big_orders', 'customer_totals', 'customers', 'orders', 'stg_customers', 'stg_orders']);
  });

  it('tag: from properties YAML, project.yml folders and {{config}}', async () => {
    expect(await names('--select', 'tag:pii')).toEqual(['stg_customers']);
    expect(await names('--select', 'tag:gold')).toEqual(['customer_totals']);
    expect(await names('--select', 'tag:misc')).toEqual(['standalone']);
  });

  it('path:, config.materialized:, source:, resource_type:', async () => {
    expect(await names('--select', 'path:models/gold')).toEqual(['customer_totals']);
    expect(await names('--select', 'config.materialized:table')).toEqual(['customer_labels', 'customer_totals']);
    expect(await names('--select', 'source:raw+')).toEqual(['big_orders', 'customer_totals', 'orders', 'stg_orders']);
    expect(await names('--select', 'resource_type:seed')).toEqual(['customers']);
  });

  it('space is a union, comma an intersection, --exclude removes', async () => {
    expect(await names('--select', 'stg_customers standalone')).toEqual(['standalone', 'stg_customers']);
    expect(await names('--select', '+customer_totals,config.materialized:view')).toEqual(['stg_customers', 'stg_orders']);
    expect(await names('--select', '+customer_totals', '--exclude', 'staging')).toEqual(['customer_totals', 'customers', 'orders']);
    expect(await names('--exclude', 'tag:gold resource_type:source')).toEqual([
      'big_orders',
      'customer_labels',
      'customers',
      'standalone',
      'stg_customers',
      'stg_orders',
    ]);
  });

  it('--resource-type narrows, and other output formats', async () => {
    expect(await names('--select', '+customer_totals', '--resource-type', 'model')).toEqual(['big_orders', 'customer_totals', 'stg_customers', 'stg_orders']);
    const paths = await runTsdbt(project.dir, ['ls', '--select', '1+customer_totals', '--output', 'path']);
    expect(paths.stdout.trim().split('\n').sort()).toEqual([
      'models/gold/customer_totals.sql',
      'models/staging/big_orders.sql',
      'models/staging/stg_customers.sql',
    ]);
    const selectors = await runTsdbt(project.dir, ['ls', '--select', 'source:raw+1']);
    expect(selectors.stdout.trim().split('\n').sort()).toEqual(['demo.staging.stg_orders', 'source:demo.raw.orders']);
  });

  it('--output json prints one JSON object per line', async () => {
    const result = await runTsdbt(project.dir, ['ls', '--output', 'json', '--select', '+customer_totals']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    const objects = lines.map((line) => JSON.parse(line));
    const totals = objects.find((o) => o.unique_id === 'model.demo.customer_totals');
    expect(totals).toMatchObject({
      name: 'customer_totals',
      resource_type: 'model',
      original_file_path: 'models/gold/customer_totals.sql',
      tags: ['gold'],
      relation_name: 'gold.customer_totals',
      config: { materialized: 'table', schema: 'gold' },
    });
    expect([...totals.depends_on.nodes].sort()).toEqual(['model.demo.big_orders', 'model.demo.stg_customers']);
    expect(objects.find((o) => o.unique_id === 'source.demo.raw.orders')).toMatchObject({ resource_type: 'source', name: 'orders' });
  });

  it('an empty selection warns and lists nothing', async () => {
    const result = await runTsdbt(project.dir, ['ls', '--select', 'tag:nothing_has_this']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('warning: the selection matched nothing\n');
  });
});

describe('--log-format json', () => {
  it('prints only JSON lines: run_started, node_finished per node, run_finished', async () => {
    const result = await runTsdbt(project.dir, ['build', '--log-format', 'json', '--no-reuse']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    const events = lines.map((line) => JSON.parse(line));
    for (const event of events) expect(typeof event.ts).toBe('string');

    const started = events.filter((e) => e.event === 'run_started');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ command: 'build', target: 'dev', adapter: 'duckdb', threads: 2, total: 6 });
    expect(events[0].event).toBe('run_started');

    const finished = events.filter((e) => e.event === 'node_finished');
    expect(finished.map((e) => e.unique_id).sort()).toEqual(EXECUTED);
    for (const e of finished) expect(e.status).toBe('success');
    expect(finished.find((e) => e.unique_id === 'model.demo.customer_totals')).toMatchObject({
      rows_affected: 4,
      materialized: 'table',
      relation: 'gold.customer_totals',
      total: 6,
    });
    expect(finished.find((e) => e.unique_id === 'seed.demo.customers')).toMatchObject({ rows_affected: 4, materialized: 'seed' });
    expect(finished.find((e) => e.unique_id === 'model.demo.stg_customers').rows_affected).toBeUndefined();
    expect(finished.map((e) => e.index).sort()).toEqual([1, 2, 3, 4, 5, 6]);

    const last = events[events.length - 1];
    expect(last).toMatchObject({ event: 'run_finished', interrupted: false, counts: { success: 6 } });
    expect(typeof last.elapsed).toBe('number');
    expect(project.json('target/run_results.json').args.log_format).toBe('json');
  });

  it('node_started events carry distinct positions 1..N, like node_finished', async () => {
    const result = await runTsdbt(project.dir, ['build', '--log-format', 'json']);
    expect(result.code).toBe(0);
    const started = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((e) => e.event === 'node_started');
    expect(started.map((e) => e.unique_id).sort()).toEqual(EXECUTED);
    // With 2 threads several nodes start before any finishes: each still needs its own position.
    expect(started.map((e) => e.index).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reports a fatal error as a JSON event on stdout, nothing on stderr', async () => {
    const broken = createTmpProject({ 'models/a.sql': 'select * from {{ref "nope"}}\n' });
    const result = await runTsdbt(broken.dir, ['parse', '--log-format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'error',
      code: 'E_UNKNOWN_REF',
      message: 'model "a" references unknown ref "nope"',
      node: 'model.demo.a',
      location: { file: 'models/a.sql', line: 1, column: 15 },
    });
  });
});

describe('show, compile, parse, debug, vars', () => {
  it('show --select m --limit 2 prints a table with 2 rows', async () => {
    const result = await runTsdbt(project.dir, ['show', '--select', 'stg_customers', '--limit', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Previewing stg_customers (2 rows, limit 2):');
    expect(tableRows(result.stdout)).toEqual([
      ['id', 'name', 'credit'],
      ['1', 'ALICE', '10.50'],
      ['2', 'BOB', '20.00'],
    ]);
  });

  it('show --inline renders refs and runs the SQL', async () => {
    const result = await runTsdbt(project.dir, ['show', '--inline', "select name, big_amount from {{ref 'customer_totals'}} where big_amount > 20 order by 1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Previewing inline query (2 rows, limit 10):');
    expect(tableRows(result.stdout)).toEqual([
      ['name', 'big_amount'],
      ['BOB', '25'],
      ['CAROL', '40'],
    ]);
  });

  it('show --output json prints the rows as JSON', async () => {
    const result = await runTsdbt(project.dir, ['show', '--select', 'standalone', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ show: 'standalone', rows: [{ answer: 42 }] });
  });

  it('show needs exactly one of --select / --inline', async () => {
    const result = await runTsdbt(project.dir, ['show']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('show needs exactly one of --select <model> or --inline "<sql>"');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('compile writes target/compiled and the manifest; parse rewrites the manifest', async () => {
    project.remove('target/compiled');
    project.remove('target/manifest.json');
    const compiled = await runTsdbt(project.dir, ['compile']);
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toMatch(/^6 models, 1 seeds, 1 sources, 0 exposures, 2 macros; 6 compiled in \d+\.\d\ds → target\/compiled\/\n$/);
    for (const path of [
      'staging/stg_customers',
      'staging/stg_orders',
      'staging/big_orders',
      'gold/customer_totals',
      'marts/customer_labels',
      'misc/standalone',
    ]) {
      expect(project.exists(`target/compiled/demo/models/${path}.sql`)).toBe(true);
    }
    const afterCompile = project.json('target/manifest.json');
    expect(Object.keys(afterCompile.nodes)).toHaveLength(7);

    const parsed = await runTsdbt(project.dir, ['parse']);
    expect(parsed.code).toBe(0);
    expect(parsed.stdout).toMatch(/^6 models, 1 seeds, 1 sources, 0 exposures, 2 macros parsed in \d+\.\d\ds → target\/manifest\.json\n$/);
    const afterParse = project.json('target/manifest.json');
    expect(afterParse.metadata.invocation_id).not.toBe(afterCompile.metadata.invocation_id);
    expect(afterParse.nodes['model.demo.customer_totals'].compiled_code).toBe(afterCompile.nodes['model.demo.customer_totals'].compiled_code);
  });

  it('compile --select writes only the selected models', async () => {
    project.remove('target/compiled');
    const result = await runTsdbt(project.dir, ['compile', '--select', 'customer_totals']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('; 1 compiled in');
    expect(project.exists('target/compiled/demo/models/gold/customer_totals.sql')).toBe(true);
    expect(project.exists('target/compiled/demo/models/staging/stg_customers.sql')).toBe(false);
  });

  it('debug checks the configuration and the connection', async () => {
    const result = await runTsdbt(project.dir, ['debug']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  profiles.yml: profiles.yml, profile demo\n');
    expect(result.stdout).toContain('  target:       dev (duckdb)\n');
    expect(result.stdout).toContain('  resources:    7 models and seeds, 1 sources, 0 exposures: all parsed and compiled\n');
    expect(result.stdout).toContain('  connection:   OK (duckdb target/dev.duckdb, 2 threads)\n');
    expect(result.stdout).toContain('All checks passed!');
  });

  it('--vars reaches {{var}} in inline SQL and overrides project vars in models', async () => {
    const inline = await runTsdbt(project.dir, ['show', '--inline', 'select {{var "x"}} as x', '--vars', '{x: 5}', '--output', 'json']);
    expect(inline.code).toBe(0);
    expect(JSON.parse(inline.stdout)).toEqual({ show: 'inline query', rows: [{ x: 5 }] });

    const rendered = await runTsdbt(project.dir, ['compile', '--inline', 'select {{var "x"}} as x, {{var "min_amount"}} as m', '--vars', '{x: 5}']);
    expect(rendered.stdout).toBe('select 5 as x, 10 as m\n');

    const run = await runTsdbt(project.dir, ['run', '--select', 'customer_totals', '--vars', '{min_amount: 20}']);
    expect(run.code).toBe(0);
    expect(project.read('target/compiled/demo/models/gold/customer_totals.sql')).toContain('where amount >= 20\n');
    const rows = await queryDuckdb(project.dbPath, 'select id, big_orders::int as n from gold.customer_totals order by id');
    expect(rows).toEqual([
      { id: 1, n: 0 },
      { id: 2, n: 1 },
      { id: 3, n: 1 },
      { id: 4, n: 0 },
    ]);
    expect(project.json('target/run_results.json').args).toMatchObject({ which: 'run', select: ['customer_totals'], vars: { min_amount: 20 } });
  });
});

describe('seed, run and --quiet', () => {
  it('seed loads only seeds; run builds only models; -q prints nothing when all is well', async () => {
    const seed = await runTsdbt(project.dir, ['seed']);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('tsdbt seed: 1 node on target dev (duckdb, 2 threads)');
    expect(project.json('target/run_results.json').results.map((r: any) => r.unique_id)).toEqual(['seed.demo.customers']);

    const nothing = await runTsdbt(project.dir, ['run', '--select', 'customers']);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toBe('warning: nothing to run: the selection matched no model\n');

    const quiet = await runTsdbt(project.dir, ['run', '-q', '--threads', '1']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
    const results = project.json('target/run_results.json');
    expect(results.results).toHaveLength(5);
    expect(results.args).toMatchObject({ which: 'run', threads: 1 });
    expect(new Set(results.results.map((r: any) => r.thread_id))).toEqual(new Set(['Thread-1']));
  });
});

describe('threads', () => {
  it('a DuckDB target without threads runs one thread per core', async () => {
    const project = createTmpProject({
      'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb}\n',
      'models/m.sql': 'select 1 as x\n',
    });
    const run = await runTsdbt(project.dir, ['run']);
    expect(run.code).toBe(0);
    const cores = availableParallelism();
    expect(run.stdout).toContain(`tsdbt run: 1 node on target dev (duckdb, ${cores} thread${cores === 1 ? '' : 's'})`);
  });
});
