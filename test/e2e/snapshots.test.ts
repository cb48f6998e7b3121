/**
 * Snapshots (SCD type 2) on real DuckDB files through the real CLI: three successive states of a
 * source (an update, a delete and an insert, then the deleted key back) give dbt's rows for each
 * strategy and hard_deletes mode, dbt_scd_id included; YAML-defined snapshots, renamed meta
 * columns, dbt_valid_to_current and composite keys; new columns; a failure that leaves the table
 * as it was; and the config errors, each at its file and line.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { expectGolden } from '../helpers/golden.js';
import { createTmpProject, queryDuckdb, type RunResult, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const T1 = '2024-01-01 00:00:00';
const T2 = '2024-01-02 00:00:00';
const T3 = '2024-01-03 00:00:00';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The source's three states: 2 updated, 3 deleted and 4 inserted; then 3 back, changed later. */
const STATES = [
  `id,name,updated_at\n1,a,${T1}\n2,b,${T1}\n3,c,${T1}\n`,
  `id,name,updated_at\n1,a,${T1}\n2,B,${T2}\n4,d,${T2}\n`,
  `id,name,updated_at\n1,a,${T1}\n2,B,${T2}\n3,c,${T3}\n4,d,${T2}\n`,
];

const timestampSnapshot = (config: string) => `{{config strategy="timestamp" unique_key="id" updated_at="updated_at"${config}}}\nselect * from {{ref "src"}}\n`;

const FILES: Record<string, string> = {
  'seeds/src.csv': STATES[0]!,
  'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: src\n    config: {column_types: {id: integer, name: varchar, updated_at: timestamp}}\n',
  'snapshots/ts_ignore.sql': timestampSnapshot(''),
  'snapshots/ts_invalidate.sql': timestampSnapshot(' hard_deletes="invalidate"'),
  'snapshots/ts_new_record.sql': timestampSnapshot(' hard_deletes="new_record"'),
  'snapshots/check_names.sql':
    '{{config strategy="check" unique_key="id" check_cols=(list "name") hard_deletes="invalidate"}}\nselect id, name from {{ref "src"}}\n',
  // Built after the snapshot it reads, in the same build.
  'models/current_names.sql':
    '{{config materialized="table"}}\nselect id, name from {{ref "ts_new_record"}}\nwhere dbt_valid_to is null and dbt_is_deleted = \'False\'\n',
};

/** A run and the UTC window it ran in: the snapshot times it writes fall inside. */
interface TimedRun {
  result: RunResult;
  from: number;
  to: number;
}

async function timed(project: TmpProject, args: string[]): Promise<TimedRun> {
  const from = Date.now();
  const result = await runTsdbt(project.dir, args);
  return { result, from, to: Date.now() };
}

const TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/;

/** Rows with every time written by run i (not a source value) replaced by `R<i>`; the raw texts by label. */
function labelled(rows: Array<Record<string, unknown>>, runs: TimedRun[]): { rows: unknown[][]; raw: Map<string, string> } {
  const raw = new Map<string, string>();
  const label = (value: unknown): unknown => {
    if (typeof value !== 'string' || !TIME.test(value) || value.startsWith('2024-')) return value;
    const at = Date.parse(`${value.replace(' ', 'T')}Z`);
    const run = runs.findIndex((r) => at >= r.from - 1 && at <= r.to + 1);
    if (run < 0) return `unexpected time ${value}`;
    const name = `R${run + 1}`;
    const seen = raw.get(name);
    if (seen !== undefined && seen !== value) return `${name} twice: ${seen} and ${value}`;
    raw.set(name, value);
    return name;
  };
  return { rows: rows.map((row) => Object.values(row).map(label)), raw };
}

const snapshotRows = (project: TmpProject, table: string, extra = '') =>
  queryDuckdb(project.dbPath, `select * ${extra} from main.${table} order by id, dbt_valid_from, dbt_scd_id`);

describe('snapshots: three states of a source give dbt rows', () => {
  let project: TmpProject;
  const runs: TimedRun[] = [];

  beforeAll(async () => {
    project = createTmpProject(FILES);
    runs.push(await timed(project, ['build']));
    expect(runs[0]!.result.stderr).toBe('');
    expect(runs[0]!.result.code).toBe(0);
    expectGolden('duckdb/snapshots/first-build-new_record.sql', project.read('target/run/demo/snapshots/ts_new_record.sql'));

    project.write('seeds/src.csv', STATES[1]!);
    runs.push(await timed(project, ['build']));
    expect(runs[1]!.result.stderr).toBe('');
    expect(runs[1]!.result.code).toBe(0);
    expectGolden('duckdb/snapshots/changes-timestamp-new_record.sql', project.read('target/run/demo/snapshots/ts_new_record.sql'));
    expectGolden('duckdb/snapshots/changes-timestamp-ignore.sql', project.read('target/run/demo/snapshots/ts_ignore.sql'));
    expectGolden('duckdb/snapshots/changes-check-invalidate.sql', project.read('target/run/demo/snapshots/check_names.sql'));

    // The third state: the seed, then `tsdbt snapshot` alone.
    project.write('seeds/src.csv', STATES[2]!);
    expect((await runTsdbt(project.dir, ['seed'])).code).toBe(0);
    runs.push(await timed(project, ['snapshot']));
    expect(runs[2]!.result.stderr).toBe('');
    expect(runs[2]!.result.code).toBe(0);
  });

  it('timestamp, hard_deletes ignore: a deleted key stays current until it changes again', async () => {
    const { rows } = labelled(await snapshotRows(project, 'ts_ignore'), runs);
    expect(rows).toEqual([
      [1, 'a', T1, md5(`1|${T1}`), T1, T1, null],
      [2, 'b', T1, md5(`2|${T1}`), T1, T1, T2],
      [2, 'B', T2, md5(`2|${T2}`), T2, T2, null],
      [3, 'c', T1, md5(`3|${T1}`), T1, T1, T3],
      [3, 'c', T3, md5(`3|${T3}`), T3, T3, null],
      [4, 'd', T2, md5(`4|${T2}`), T2, T2, null],
    ]);
  });

  it('timestamp, hard_deletes invalidate: the deleted version ends at the run that missed it', async () => {
    const { rows } = labelled(await snapshotRows(project, 'ts_invalidate'), runs);
    expect(rows).toEqual([
      [1, 'a', T1, md5(`1|${T1}`), T1, T1, null],
      [2, 'b', T1, md5(`2|${T1}`), T1, T1, T2],
      [2, 'B', T2, md5(`2|${T2}`), T2, T2, null],
      [3, 'c', T1, md5(`3|${T1}`), T1, T1, 'R2'],
      [3, 'c', T3, md5(`3|${T3}`), T3, T3, null],
      [4, 'd', T2, md5(`4|${T2}`), T2, T2, null],
    ]);
  });

  it('timestamp, hard_deletes new_record: a deletion record, ended when the key comes back', async () => {
    const { rows, raw } = labelled(await snapshotRows(project, 'ts_new_record'), runs);
    expect(rows).toEqual([
      [1, 'a', T1, md5(`1|${T1}`), T1, T1, null, 'False'],
      [2, 'b', T1, md5(`2|${T1}`), T1, T1, T2, 'False'],
      [2, 'B', T2, md5(`2|${T2}`), T2, T2, null, 'False'],
      [3, 'c', T1, md5(`3|${T1}`), T1, T1, 'R2', 'False'],
      [3, 'c', T3, md5(`3|${T3}`), T3, T3, null, 'False'],
      // dbt's deletion record: the last values seen, valid from the run that missed the key, its
      // scd id the md5 of the replaced version's and that time; ended by the key's updated_at.
      [3, 'c', T1, md5(`${md5(`3|${T1}`)}|${raw.get('R2')}`), 'R2', 'R2', T3, 'True'],
      [4, 'd', T2, md5(`4|${T2}`), T2, T2, null, 'False'],
    ]);
  });

  it('check (check_cols name), invalidate: versions start and end at the runs that saw them', async () => {
    const { rows, raw } = labelled(await snapshotRows(project, 'check_names'), runs);
    const scd = (id: number, run: string) => md5(`${id}|${raw.get(run)}`);
    expect(rows).toEqual([
      [1, 'a', scd(1, 'R1'), 'R1', 'R1', null],
      [2, 'b', scd(2, 'R1'), 'R1', 'R1', 'R2'],
      [2, 'B', scd(2, 'R2'), 'R2', 'R2', null],
      [3, 'c', scd(3, 'R1'), 'R1', 'R1', 'R2'],
      [3, 'c', scd(3, 'R3'), 'R3', 'R3', null],
      [4, 'd', scd(4, 'R2'), 'R2', 'R2', null],
    ]);
  });

  it('build runs a snapshot before the models that ref it; snapshot runs only snapshots', async () => {
    // current_names was built by the second build, after ts_new_record took state 2, and not
    // again by `tsdbt snapshot` (state 3 would add 3).
    expect(await queryDuckdb(project.dbPath, 'select id, name from main.current_names order by id')).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'B' },
      { id: 4, name: 'd' },
    ]);
    const output = runs[2]!.result.stdout;
    expect(output).toMatch(/^tsdbt snapshot: 4 nodes on target dev/);
    expect(output).toMatch(/OK\s+snapshot\s+main\.ts_new_record\s+1 row\b/);
    expect(output).not.toContain('current_names');
    const results = project.json('target/run_results.json');
    expect(results.results.map((r: { unique_id: string }) => r.unique_id).sort()).toEqual([
      'snapshot.demo.check_names',
      'snapshot.demo.ts_ignore',
      'snapshot.demo.ts_invalidate',
      'snapshot.demo.ts_new_record',
    ]);
    const message = (id: string) => results.results.find((r: { unique_id: string }) => r.unique_id === id).message;
    expect(message('snapshot.demo.ts_new_record')).toBe('SNAPSHOT (1 new row, +1 net)');
    expect(results.args.which).toBe('snapshot');
    if (schemasPresent) expect(artifactViolations('run-results_v6.json', results)).toEqual([]);
  });

  it('a run with nothing changed records nothing', async () => {
    const before = await snapshotRows(project, 'ts_new_record');
    // Its input did not change: the run leaves it as it is (state-aware), and so does a forced one.
    const again = await runTsdbt(project.dir, ['snapshot', '--select', 'ts_new_record']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/REUSE\s+snapshot\s+main\.ts_new_record\s+reused/);
    const forced = await runTsdbt(project.dir, ['snapshot', '--select', 'ts_new_record', '--no-reuse']);
    expect(forced.stdout).toMatch(/OK\s+snapshot\s+main\.ts_new_record\s+0 rows/);
    expect(await snapshotRows(project, 'ts_new_record')).toEqual(before);
  });

  it('selects, lists and describes snapshots like models', async () => {
    const listed = await runTsdbt(project.dir, ['ls', '--select', 'resource_type:snapshot']);
    expect(listed.stdout).toBe('demo.check_names\ndemo.ts_ignore\ndemo.ts_invalidate\ndemo.ts_new_record\n');
    const children = await runTsdbt(project.dir, ['ls', '--select', 'ts_new_record+', '--output', 'name']);
    expect(children.stdout).toBe('ts_new_record\ncurrent_names\n');
    const byType = await runTsdbt(project.dir, ['ls', '--resource-type', 'snapshot', '--output', 'path']);
    expect(byType.stdout).toBe('snapshots/check_names.sql\nsnapshots/ts_ignore.sql\nsnapshots/ts_invalidate.sql\nsnapshots/ts_new_record.sql\n');
    const manifest = project.json('target/manifest.json');
    expect(manifest.nodes['snapshot.demo.ts_new_record']).toMatchObject({
      resource_type: 'snapshot',
      path: 'ts_new_record.sql',
      original_file_path: 'snapshots/ts_new_record.sql',
      relation_name: 'main.ts_new_record',
      config: { materialized: 'snapshot', strategy: 'timestamp', unique_key: 'id', updated_at: 'updated_at', hard_deletes: 'new_record' },
      depends_on: { nodes: ['seed.demo.src'] },
      compiled_code: '\nselect * from main.src\n',
    });
    expect(manifest.child_map['snapshot.demo.ts_new_record']).toEqual(['model.demo.current_names']);
    if (schemasPresent) expect(manifestViolations(manifest)).toEqual([]);
    expect(project.read('target/compiled/demo/snapshots/ts_new_record.sql')).toBe('\nselect * from main.src\n');
  });
});

describe('snapshots defined in YAML', () => {
  let project: TmpProject;
  beforeAll(async () => {
    project = createTmpProject({
      'seeds/prices.csv': 'shop,product,price,changed_at\n1,apple,10,2024-01-01\n1,pear,20,2024-01-01\n2,apple,11,2024-01-01\n',
      'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: prices\n    config: {column_types: {shop: integer, price: integer, changed_at: date}}\n',
      'snapshots/_snapshots.yml': `version: 2
snapshots:
  - name: price_history
    relation: ref('prices')
    description: Every price a product had
    config:
      schema: history
      strategy: timestamp
      unique_key: [shop, product]
      updated_at: changed_at
      snapshot_meta_column_names: {dbt_valid_from: valid_from, dbt_valid_to: valid_to, dbt_scd_id: version_id, dbt_updated_at: changed}
      dbt_valid_to_current: "DATE '9999-12-31'"
    columns:
      - name: version_id
        data_tests: [unique, not_null]
`,
      'models/current_prices.sql': 'select shop, product, price from {{ref "price_history"}} where valid_to = DATE \'9999-12-31\'\n',
    });
    const first = await runTsdbt(project.dir, ['build']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    project.write(
      'seeds/prices.csv',
      'shop,product,price,changed_at\n1,apple,12,2024-02-01\n1,pear,20,2024-01-01\n2,apple,11,2024-01-01\n2,pear,21,2024-02-01\n',
    );
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
  });

  it('records a composite key, under the configured names, with dbt_valid_to_current', async () => {
    const rows = await queryDuckdb(
      project.dbPath,
      'select shop, product, price, version_id, changed::varchar as changed, valid_from::varchar as valid_from, valid_to::varchar as valid_to from history.price_history order by shop, product, valid_from',
    );
    expect(rows).toEqual([
      { shop: 1, product: 'apple', price: 10, version_id: md5('1|apple|2024-01-01'), changed: '2024-01-01', valid_from: '2024-01-01', valid_to: '2024-02-01' },
      { shop: 1, product: 'apple', price: 12, version_id: md5('1|apple|2024-02-01'), changed: '2024-02-01', valid_from: '2024-02-01', valid_to: '9999-12-31' },
      { shop: 1, product: 'pear', price: 20, version_id: md5('1|pear|2024-01-01'), changed: '2024-01-01', valid_from: '2024-01-01', valid_to: '9999-12-31' },
      { shop: 2, product: 'apple', price: 11, version_id: md5('2|apple|2024-01-01'), changed: '2024-01-01', valid_from: '2024-01-01', valid_to: '9999-12-31' },
      { shop: 2, product: 'pear', price: 21, version_id: md5('2|pear|2024-02-01'), changed: '2024-02-01', valid_from: '2024-02-01', valid_to: '9999-12-31' },
    ]);
    expect(await queryDuckdb(project.dbPath, 'select shop, product, price from main.current_prices order by all')).toEqual([
      { shop: 1, product: 'apple', price: 12 },
      { shop: 1, product: 'pear', price: 20 },
      { shop: 2, product: 'apple', price: 11 },
      { shop: 2, product: 'pear', price: 21 },
    ]);
    expectGolden('duckdb/snapshots/changes-yaml-composite-key.sql', project.read('target/run/demo/snapshots/_snapshots.yml/price_history.sql'));
  });

  it('is a node of the YAML file: tests, manifest and compiled SQL', () => {
    const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string }>;
    expect(
      results
        .filter((r) => r.unique_id.startsWith('test.'))
        .map((r) => [r.unique_id.split('.')[2], r.status])
        .sort(),
    ).toEqual([
      ['not_null_price_history_version_id', 'pass'],
      ['unique_price_history_version_id', 'pass'],
    ]);
    const manifest = project.json('target/manifest.json');
    expect(manifest.nodes['snapshot.demo.price_history']).toMatchObject({
      original_file_path: 'snapshots/_snapshots.yml',
      path: '_snapshots.yml',
      schema: 'history',
      description: 'Every price a product had',
      raw_code: 'select * from {{ref "prices"}}\n',
      compiled_path: 'target/compiled/demo/snapshots/_snapshots.yml/price_history.sql',
      patch_path: 'snapshots/_snapshots.yml',
    });
    if (schemasPresent) expect(manifestViolations(manifest)).toEqual([]);
    expect(project.read('target/compiled/demo/snapshots/_snapshots.yml/price_history.sql')).toBe('select * from main.prices\n');
  });
});

describe('snapshot schema changes and failures', () => {
  it('adds the columns a query gains; older versions hold NULL', async () => {
    const project = createTmpProject({
      'seeds/src.csv': `id,name,updated_at\n1,a,${T1}\n`,
      'snapshots/s.sql': timestampSnapshot(''),
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    project.write('seeds/src.csv', `id,name,updated_at,city\n1,a,${T2},Lyon\n`);
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(project.read('target/run/demo/snapshots/s.sql')).toContain('ALTER TABLE main.s ADD COLUMN city VARCHAR;');
    expect(await queryDuckdb(project.dbPath, 'select id::int as id, city, dbt_valid_to::varchar as valid_to from main.s order by dbt_valid_from')).toEqual([
      { id: 1, city: null, valid_to: T2 },
      { id: 1, city: 'Lyon', valid_to: null },
    ]);
  });

  it('a failing change leaves the snapshot table as it was (one transaction)', async () => {
    const project = createTmpProject({
      'seeds/src.csv': `id,v,updated_at\n1,10,${T1}\n2,20,${T1}\n`,
      'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: src\n    config: {column_types: {v: integer}}\n',
      'snapshots/s.sql': timestampSnapshot(''),
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    const before = await snapshotRows(project, 's');
    // v becomes text: the changes stage and the ended versions' UPDATE run, then the INSERT of
    // 'x' into the INTEGER column fails: the UPDATE is rolled back with it.
    project.write('seeds/_seeds.yml', 'version: 2\nseeds:\n  - name: src\n    config: {column_types: {v: varchar}}\n');
    project.write('seeds/src.csv', `id,v,updated_at\n1,x,${T2}\n2,20,${T1}\n`);
    const failed = await runTsdbt(project.dir, ['build']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/ERROR\s+snapshot\s+main\.s/);
    expect(failed.stderr).toContain('ERROR in snapshot s (snapshots/s.sql, compiled target/compiled/demo/snapshots/s.sql)');
    expect(failed.stderr).toContain("Conversion Error: Could not convert string 'x' to INT32");
    expect(failed.stderr).toContain('the previous relation was left untouched');
    expect(await snapshotRows(project, 's')).toEqual(before);
  });
});

describe('snapshot config errors', () => {
  const errorsOf = async (files: Record<string, string>): Promise<RunResult> => {
    const project = createTmpProject({ 'seeds/src.csv': `id,name,updated_at\n1,a,${T1}\n`, ...files });
    return runTsdbt(project.dir, ['compile']);
  };

  it('names each problem at the key, in the template or the YAML entry', async () => {
    const result = await errorsOf({
      'snapshots/a.sql': '{{config strategy="timestmp" unique_key="id"}}\nselect * from {{ref "src"}}\n',
      'snapshots/b.sql': '{{config strategy="check" unique_key="id"}}\nselect * from {{ref "src"}}\n',
      'snapshots/c.sql': '{{config strategy="timestamp" unique_key="id" updated_at="updated_at" hard_deletes="delete"}}\nselect * from {{ref "src"}}\n',
      'snapshots/_snapshots.yml': `version: 2
snapshots:
  - name: d
    relation: ref('src')
    config:
      strategy: timestamp
  - name: f
    relation: ref('src')
    config: {strategy: timestamp, unique_key: id, updated_at: updated_at, check_cols: [name]}
`,
      'models/m.sql': '{{config materialized="snapshot"}}\nselect 1 as id\n',
    });
    expect(result.code).toBe(2);
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('error') || l.startsWith('  hint'));
    expect(errors).toEqual([
      'error models/m.sql:1:10 [model.demo.m]: a model cannot be materialized as a snapshot',
      '  hint: move the file to snapshots/ (its config: strategy, unique_key, updated_at or check_cols), or define the snapshot in YAML under snapshots: with relation:',
      'error snapshots/a.sql:1:10 [snapshot.demo.a]: unknown snapshot strategy "timestmp"',
      '  hint: did you mean "timestamp"?',
      'error snapshots/b.sql:1:10 [snapshot.demo.b]: strategy "check" needs check_cols',
      '  hint: set check_cols: [<columns>] (the columns whose change makes a new version), or check_cols: all',
      'error snapshots/c.sql:1:71 [snapshot.demo.c]: unknown hard_deletes "delete"',
      '  hint: use one of: ignore, invalidate, new_record',
      'error snapshots/_snapshots.yml:3:5 [snapshot.demo.d]: a snapshot needs a unique_key: config unique_key is missing',
      '  hint: set unique_key: <column> (or a list of columns for a composite key)',
      'error snapshots/_snapshots.yml:6:7 [snapshot.demo.d]: strategy "timestamp" needs updated_at',
      '  hint: set updated_at: <the column that holds when a row last changed>, or use strategy: check',
      'error snapshots/_snapshots.yml:9:75 [snapshot.demo.f]: check_cols applies to strategy check, not "timestamp"',
      '  hint: remove check_cols, or use strategy: check',
    ]);
  });

  it('a relation: that is not a ref or a source', async () => {
    const result = await errorsOf({ 'snapshots/_snapshots.yml': 'version: 2\nsnapshots:\n  - name: e\n    relation: "select * from src"\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error snapshots/_snapshots.yml:4:15: snapshot "e": relation must be ref('name') or source('source', 'table'), got "select * from src"\n  hint: write relation: ref('my_model') or relation: source('my_source', 'my_table')`,
    );
  });

  it('a later run checks the query against the config and says which column', async () => {
    const project = createTmpProject({
      'seeds/src.csv': `id,name,updated_at\n1,a,${T1}\n`,
      'snapshots/s.sql': '{{config strategy="check" unique_key="id" check_cols=(list "name")}}\nselect * from {{ref "src"}}\n',
      'snapshots/t.sql': timestampSnapshot(''),
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    project.write('snapshots/s.sql', '{{config strategy="check" unique_key="id" check_cols=(list "nme")}}\nselect * from {{ref "src"}}\n');
    project.write('snapshots/t.sql', timestampSnapshot('').replace('select *', 'select *, 1 as dbt_scd_id'));
    const result = await runTsdbt(project.dir, ['snapshot']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'ERROR in snapshot s (snapshots/s.sql)\n  check_cols column "nme" is not in the query\'s columns (id, name, updated_at)\n  hint: fix check_cols, or select the column\n',
    );
    expect(result.stderr).toContain('ERROR in snapshot t (snapshots/t.sql)\n  the query returns a column "dbt_scd_id", which the snapshot adds itself\n');
  });

  it('a {% snapshot %} block is Jinja: the hint says what the file is in tsdbt', async () => {
    const result = await errorsOf({
      'snapshots/orders.sql':
        "{% snapshot orders %}\n{{ config(strategy='check', unique_key='id', check_cols='all') }}\nselect * from {{ ref('src') }}\n{% endsnapshot %}\n",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error snapshots/orders.sql:1:1 [snapshot.demo.orders]: this is Jinja; tsdbt templates are Handlebars: {% snapshot orders %}',
    );
    expect(result.stderr).toContain(
      '  hint: a snapshot is a file of its own, without the block: snapshots/<name>.sql holds its SELECT and {{config strategy="timestamp" unique_key="id" updated_at="updated_at"}}',
    );
  });

  it('a properties entry without relation: and without a file is reported', async () => {
    const project = createTmpProject({
      'seeds/src.csv': `id,name,updated_at\n1,a,${T1}\n`,
      'snapshots/_snapshots.yml': 'version: 2\nsnapshots:\n  - name: ghost\n    description: nobody\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: snapshots/_snapshots.yml:3:5: properties for snapshot "ghost" but no snapshots/**/ghost.sql exists (a snapshot defined here needs relation:)',
    );
  });
});

describe('snapshot hooks', () => {
  it('run in the snapshot transaction, with {{this}}; a failing post-hook leaves the history as it was', async () => {
    const project = createTmpProject({
      ...FILES,
      'snapshots/hooked.sql': timestampSnapshot(''),
      'snapshots/_snapshots.yml': `version: 2
snapshots:
  - name: hooked
    config:
      post_hook: "create table if not exists audit as select 'x' as what limit 0; insert into audit select '{{this}}'"
`,
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    const db = project.path('target/dev.duckdb');
    expect(await queryDuckdb(db, 'select what from audit')).toEqual([{ what: 'main.hooked' }]);
    project.write('seeds/src.csv', STATES[1]!);
    project.write(
      'snapshots/_snapshots.yml',
      'version: 2\nsnapshots:\n  - name: hooked\n    config:\n      post_hook: "insert into no_such_table values (1)"\n',
    );
    expect((await runTsdbt(project.dir, ['seed'])).code).toBe(0);
    const failed = await runTsdbt(project.dir, ['snapshot']);
    expect(failed.code).toBe(1);
    expect(failed.stdout + failed.stderr).toContain('post-hook 1');
    // The changes of that run were rolled back with the hook.
    expect(await queryDuckdb(db, 'select count(*)::int as n from hooked')).toEqual([{ n: 3 }]);
  });
});
