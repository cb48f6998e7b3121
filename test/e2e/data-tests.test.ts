/**
 * Data tests end to end: every built-in generic test passing and failing on real DuckDB data,
 * argument validation, test config (severity, thresholds, where, limit, store_failures, names,
 * project.yml folders), custom generic and singular tests, batching, selection and build gating.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE, type RunResult, type TmpProject } from '../helpers/tmp-project.js';

interface ResultEntry {
  unique_id: string;
  status: string;
  failures: number | null;
  message: string;
  timing: Array<{ name: string; started_at: string; completed_at: string }>;
}

const resultsOf = (project: TmpProject): ResultEntry[] => project.json('target/run_results.json').results;

/** `test.demo.not_null_orders_id.0123456789` → `not_null_orders_id`; singular and unit tests keep their name. */
const shortName = (uniqueId: string) =>
  uniqueId.startsWith('unit_test.') ? uniqueId.split('.').slice(-1)[0]! : uniqueId.replace(/^test\.demo\./, '').replace(/\.[0-9a-f]{10}$/, '');

const isTest = (r: ResultEntry) => r.unique_id.startsWith('test.') || r.unique_id.startsWith('unit_test.');

/** Test name → "status failures" for every test of an invocation (by default the last one). */
function outcomes(from: TmpProject | ResultEntry[]): Record<string, string> {
  const results = Array.isArray(from) ? from : resultsOf(from);
  return Object.fromEntries(results.filter(isTest).map((r) => [shortName(r.unique_id), `${r.status} ${r.failures}`]));
}

/** Test name (case-insensitive) → its run_results entry. */
function resultByName(from: TmpProject | ResultEntry[], name: string): ResultEntry {
  const results = Array.isArray(from) ? from : resultsOf(from);
  const found = results.filter((r) => isTest(r) && shortName(r.unique_id).toLowerCase() === name.toLowerCase());
  expect(found, `exactly one test named ${name}`).toHaveLength(1);
  return found[0]!;
}

/** 1-based "line:column" of the YAML list item `- <item>` (exact, else the first starting so). */
function positionOf(content: string, item: string): string {
  const lines = content.split('\n');
  let index = lines.findIndex((line) => line.trim() === `- ${item}`);
  if (index < 0) index = lines.findIndex((line) => line.trim().startsWith(`- ${item}`));
  expect(index, `"- ${item}" in the YAML`).toBeGreaterThanOrEqual(0);
  return `${index + 1}:${lines[index]!.indexOf(`- ${item}`) + 3}`;
}

/** The indented sample table printed under "FAIL in test <name>": its data rows. */
function sampleRowsPrinted(output: string, heading: string): string[][] {
  const start = output.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const block = output.slice(start).split('\n\n')[0]!;
  const rows = block
    .split('\n')
    .filter((line) => /^\s+│/.test(line))
    .map((line) =>
      line
        .trim()
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  return rows.slice(1); // without the header
}

function expectExit(result: RunResult, code: number) {
  expect(result.code, `exit code\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(code);
}

// ---------------------------------------------------------------------------------------------

const BUILTIN_MODELS: Record<string, string> = {
  'models/orders.sql': "select * from (values (1, 1, 'a', 10, 1), (2, 2, 'b', 20, 2), (3, 1, 'a', 30, 1)) as t(id, customer_id, status, amount, priority)\n",
  'models/orders_bad.sql': `select * from (values
  (1, 1, 'a', 10, 3),
  (1, 9, 'c', -5, 1),
  (2, 9, 'c', -1, 1),
  (2, 8, 'd', 20, 2),
  (2, 1, 'a', 20, 2),
  (null, 1, 'a', 20, 2),
  (null, 1, 'a', 20, 2)
) as t(id, customer_id, status, amount, priority)
`,
  'models/orders_copy.sql': 'select * from {{ref "orders"}}\n',
  'models/profile.sql': `select * from (values
  (1, 'x', null, 5, 'k', cast(null as int)),
  (2, 'y', null, 5, 'k', cast(null as int)),
  (3, null, null, 5, 'k', cast(null as int)),
  (4, 'z', 1, 6, 'k', cast(null as int))
) as t(id, mostly_filled, mostly_empty, varied, constant, empty)
`,
  // Views: evaluated when the test runs, relative to the current time.
  'models/fresh_events.sql': 'select 1 as id, current_timestamp - interval 1 hour as loaded_at\n',
  'models/stale_events.sql': 'select 1 as id, current_timestamp - interval 3 day as loaded_at\n',
  'models/seq_ok.sql': 'select * from (values (1), (2), (3), (4)) as t(n)\n',
  'models/seq_gap.sql': 'select * from (values (1), (2), (4), (5)) as t(n)\n',
  'models/quarter_hours.sql': `select * from (values
  (timestamp '2024-01-01 00:00:00'), (timestamp '2024-01-01 00:15:00'), (timestamp '2024-01-01 00:30:00'),
  (timestamp '2024-01-01 00:45:00'), (timestamp '2024-01-01 01:00:00')
) as t(ts)
`,
  // 00:30 is missing.
  'models/quarter_hours_gap.sql': `select * from (values
  (timestamp '2024-01-01 00:00:00'), (timestamp '2024-01-01 00:15:00'),
  (timestamp '2024-01-01 00:45:00'), (timestamp '2024-01-01 01:00:00')
) as t(ts)
`,
  'models/ranges_ok.sql': 'select * from (values (0, 10), (10, 20), (20, 30)) as t(lo, hi)\n',
  'models/ranges_overlap.sql': 'select * from (values (0, 10), (5, 15), (15, 20)) as t(lo, hi)\n',
  'models/ranges_gap.sql': 'select * from (values (0, 10), (12, 20)) as t(lo, hi)\n',
};

const BUILTIN_SOURCES_YML = `version: 2
sources:
  - name: raw
    tables:
      - name: orders
        external:
          location: data/raw_orders.csv
          format: csv
        data_tests:
          - dbt_utils.expression_is_true: {expression: "amount > 0"}
        columns:
          - name: id
            data_tests: [not_null, unique]
seeds:
  - name: customers
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: name
        tests:
          - accepted_values: {values: [a, b]}
`;

const BUILTIN_SCHEMA_YML = `version: 2
models:
  - name: orders
    data_tests:
      - expression_is_true: {expression: "amount > 0"}
      - dbt_utils.expression_is_true: {expression: "amount > 0"}
      - unique_combination_of_columns: {combination_of_columns: [customer_id, id]}
      - row_count: {min_value: 1, max_value: 5}
      - row_count: {max_value: 2}
    tests:
      - dbt_expectations.expect_table_row_count_to_be_between: {min_value: 3}
    columns:
      - name: id
        data_tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: {values: [a, b]}
      - name: customer_id
        data_tests:
          - relationships: {to: "ref('customers')", field: id}
      - name: priority
        data_tests:
          - accepted_values: {values: [1, 2], quote: false}
      - name: amount
        data_tests:
          - expression_is_true: {expression: "> 0"}
          - accepted_range: {min_value: 0, max_value: 100}
          - accepted_range: {min_value: 10, inclusive: false}
  - name: orders_bad
    data_tests:
      - expression_is_true: {expression: "amount > 0"}
      - unique_combination_of_columns: {combination_of_columns: [customer_id, status]}
      - equal_rowcount: {compare_model: "ref('orders')"}
    columns:
      - name: id
        data_tests: [not_null, unique]
      - name: status
        tests:
          - accepted_values: {values: [a, b]}
      - name: customer_id
        data_tests:
          - relationships: {to: "ref('customers')", field: id}
      - name: priority
        data_tests:
          - accepted_values: {values: [1, 2], quote: false}
      - name: amount
        data_tests:
          - expression_is_true: {expression: ">= 0"}
          - accepted_range: {min_value: 0}
  - name: orders_copy
    data_tests:
      - equal_rowcount: {compare_model: "ref('orders')"}
  - name: profile
    columns:
      - name: mostly_filled
        data_tests:
          - not_null_proportion: {at_least: 0.7}
          - at_least_one
      - name: mostly_empty
        data_tests:
          - not_null_proportion: {at_least: 0.5}
          - at_least_one
      - name: empty
        data_tests: [at_least_one]
      - name: varied
        data_tests: [not_constant]
      - name: constant
        data_tests: [not_constant]
  - name: fresh_events
    data_tests:
      - recency: {datepart: hour, field: loaded_at, interval: 2}
  - name: stale_events
    data_tests:
      - recency: {datepart: day, field: loaded_at, interval: 1}
  - name: seq_ok
    columns:
      - name: n
        data_tests: [sequential_values]
  - name: seq_gap
    columns:
      - name: n
        data_tests: [sequential_values]
  - name: quarter_hours
    columns:
      - name: ts
        data_tests:
          - sequential_values: {datepart: minute, interval: 15}
  - name: quarter_hours_gap
    columns:
      - name: ts
        data_tests:
          - sequential_values: {datepart: minute, interval: 15}
  - name: ranges_ok
    data_tests:
      - mutually_exclusive_ranges: {lower_bound_column: lo, upper_bound_column: hi, gaps: not_allowed}
  - name: ranges_overlap
    data_tests:
      - mutually_exclusive_ranges: {lower_bound_column: lo, upper_bound_column: hi}
  - name: ranges_gap
    data_tests:
      - mutually_exclusive_ranges: {lower_bound_column: lo, upper_bound_column: hi}
      - mutually_exclusive_ranges: {lower_bound_column: lo, upper_bound_column: hi, gaps: not_allowed}
`;

describe('built-in generic tests on DuckDB data', () => {
  let project: TmpProject;
  let test: RunResult;
  let all: Record<string, string>;

  beforeAll(async () => {
    project = createTmpProject({
      'seeds/customers.csv': 'id,name\n1,a\n2,b\n3,c\n',
      'data/raw_orders.csv': 'id,amount\n1,5\n2,7\n,9\n',
      'models/sources.yml': BUILTIN_SOURCES_YML,
      'models/schema.yml': BUILTIN_SCHEMA_YML,
      ...BUILTIN_MODELS,
    });
    expectExit(await runTsdbt(project.dir, ['seed']), 0);
    expectExit(await runTsdbt(project.dir, ['run']), 0);
    test = await runTsdbt(project.dir, ['test']);
    // Lower-cased names, so the status checks do not depend on how booleans are spelled in names.
    all = Object.fromEntries(Object.entries(outcomes(project)).map(([name, outcome]) => [name.toLowerCase(), outcome]));
  });

  it('runs every declared test once and exits 1 because some fail', () => {
    expectExit(test, 1);
    expect(test.stderr).not.toMatch(STACK_LINE);
    expect(Object.keys(all)).toHaveLength(48);
    expect(resultsOf(project).every(isTest)).toBe(true);
    for (const r of resultsOf(project)) {
      if (r.status === 'pass') expect(r).toMatchObject({ failures: 0, message: 'no failing rows' });
      else {
        expect(r.status).toBe('fail');
        expect(r.message).toBe(`${r.failures} failing row${r.failures === 1 ? '' : 's'} (error_if !=0)`);
      }
    }
  });

  it('gives tests dbt-style names and unique ids', () => {
    const ids = resultsOf(project).map((r) => r.unique_id);
    expect(ids).toContainEqual(expect.stringMatching(/^test\.demo\.not_null_orders_id\.[0-9a-f]{10}$/));
    for (const name of [
      'unique_orders_id',
      'accepted_values_orders_status__a__b',
      'relationships_orders_customer_id__id__ref_customers_',
      'source_not_null_raw_orders_id',
      'source_unique_raw_orders_id',
      'dbt_utils_expression_is_true_orders_amount_0',
      'unique_combination_of_columns_orders_customer_id__id',
      'sequential_values_quarter_hours_ts__minute__15',
      'recency_fresh_events_hour__loaded_at__2',
      'equal_rowcount_orders_copy_ref_orders_',
      'row_count_orders_5__1',
      'not_null_proportion_profile_0_7__mostly_filled',
      'mutually_exclusive_ranges_ranges_gap_not_allowed__lo__hi',
      'dbt_expectations_expect_table_row_count_to_be_between_orders_3',
    ]) {
      expect(ids, name).toContainEqual(expect.stringMatching(new RegExp(`^test\\.demo\\.${name}\\.[0-9a-f]{10}$`)));
    }
  });

  it('names tests with boolean and namespaced arguments exactly as dbt does', () => {
    // dbt builds names with Python's str(): a YAML false becomes "False".
    const names = resultsOf(project).map((r) => shortName(r.unique_id));
    expect(names).toContain('accepted_values_orders_priority__False__1__2');
    expect(names).toContain('accepted_range_orders_amount__False__10');
    // dbt prefixes the namespace before "source_": dbt_utils_source_expression_is_true_<source>_<table>_...
    expect(names).toContain('dbt_utils_source_expression_is_true_raw_orders_amount_0');
  });

  it('not_null and unique', () => {
    expect(all).toMatchObject({
      not_null_orders_id: 'pass 0',
      unique_orders_id: 'pass 0',
      // two NULL ids; duplicated values 1 and 2 (NULLs are not duplicates)
      not_null_orders_bad_id: 'fail 2',
      unique_orders_bad_id: 'fail 2',
    });
  });

  it('accepted_values, quoted and unquoted (quote: false on numbers)', () => {
    expect(all).toMatchObject({
      accepted_values_orders_status__a__b: 'pass 0',
      // c and d are not accepted: one failure per distinct value
      accepted_values_orders_bad_status__a__b: 'fail 2',
      accepted_values_orders_priority__false__1__2: 'pass 0',
      accepted_values_orders_bad_priority__false__1__2: 'fail 1',
    });
    const compiled = project.read(
      `target/compiled/demo/models/schema.yml/${shortName(resultByName(project, 'accepted_values_orders_priority__false__1__2').unique_id)}.sql`,
    );
    expect(compiled).toMatch(/not in \(1, 2\)/);
  });

  it('relationships to a ref', () => {
    expect(all).toMatchObject({
      relationships_orders_customer_id__id__ref_customers_: 'pass 0',
      // customer ids 9, 9 and 8 have no customer: every orphan row counts
      relationships_orders_bad_customer_id__id__ref_customers_: 'fail 3',
    });
  });

  it('expression_is_true on the model and on a column, also spelled dbt_utils.expression_is_true', () => {
    expect(all).toMatchObject({
      expression_is_true_orders_amount_0: 'pass 0',
      dbt_utils_expression_is_true_orders_amount_0: 'pass 0',
      expression_is_true_orders_amount___0: 'pass 0',
      expression_is_true_orders_bad_amount_0: 'fail 2',
      expression_is_true_orders_bad_amount___0: 'fail 2',
    });
  });

  it('accepted_range with min/max and inclusive: false', () => {
    expect(all).toMatchObject({
      accepted_range_orders_amount__100__0: 'pass 0',
      // amount 10 is not > 10
      accepted_range_orders_amount__false__10: 'fail 1',
      accepted_range_orders_bad_amount__0: 'fail 2',
    });
  });

  it('unique_combination_of_columns', () => {
    expect(all).toMatchObject({
      unique_combination_of_columns_orders_customer_id__id: 'pass 0',
      // (1, a) four times and (9, c) twice
      unique_combination_of_columns_orders_bad_customer_id__status: 'fail 2',
    });
  });

  it('not_null_proportion, at_least_one and not_constant', () => {
    expect(all).toMatchObject({
      not_null_proportion_profile_0_7__mostly_filled: 'pass 0', // 3 of 4
      not_null_proportion_profile_0_5__mostly_empty: 'fail 1', // 1 of 4
      at_least_one_profile_mostly_filled: 'pass 0',
      at_least_one_profile_mostly_empty: 'pass 0',
      at_least_one_profile_empty: 'fail 1',
      not_constant_profile_varied: 'pass 0',
      not_constant_profile_constant: 'fail 1',
    });
  });

  it('recency against the current time', () => {
    expect(all).toMatchObject({
      recency_fresh_events_hour__loaded_at__2: 'pass 0',
      recency_stale_events_day__loaded_at__1: 'fail 1',
    });
  });

  it('equal_rowcount and row_count (also as dbt_expectations.expect_table_row_count_to_be_between)', () => {
    expect(all).toMatchObject({
      equal_rowcount_orders_copy_ref_orders_: 'pass 0',
      equal_rowcount_orders_bad_ref_orders_: 'fail 1',
      row_count_orders_5__1: 'pass 0',
      row_count_orders_2: 'fail 1',
      dbt_expectations_expect_table_row_count_to_be_between_orders_3: 'pass 0',
    });
  });

  it('sequential_values on integers and on a 15-minute timestamp series', () => {
    expect(all).toMatchObject({
      sequential_values_seq_ok_n: 'pass 0',
      sequential_values_seq_gap_n: 'fail 1',
      sequential_values_quarter_hours_ts__minute__15: 'pass 0',
      // 00:45 follows 00:15: the missing quarter-hour fails
      sequential_values_quarter_hours_gap_ts__minute__15: 'fail 1',
    });
    expect(test.stderr).toMatch(/FAIL in test sequential_values_quarter_hours_gap_ts__minute__15\n[\s\S]*?2024-01-01 00:45:00[\s\S]*?2024-01-01 00:15:00/);
  });

  it('mutually_exclusive_ranges: overlaps fail, gaps fail only when not allowed', () => {
    expect(all).toMatchObject({
      mutually_exclusive_ranges_ranges_ok_not_allowed__lo__hi: 'pass 0',
      mutually_exclusive_ranges_ranges_overlap_lo__hi: 'fail 1',
      mutually_exclusive_ranges_ranges_gap_lo__hi: 'pass 0',
      mutually_exclusive_ranges_ranges_gap_not_allowed__lo__hi: 'fail 1',
    });
  });

  it('tests on an external CSV source and on a seed, declared under tests: or data_tests:', () => {
    expect(all).toMatchObject({
      source_not_null_raw_orders_id: 'fail 1',
      source_unique_raw_orders_id: 'pass 0',
      unique_customers_id: 'pass 0',
      not_null_customers_id: 'pass 0',
      accepted_values_customers_name__a__b: 'fail 1',
    });
    const namespaced = Object.entries(all).filter(([name]) => name.includes('expression_is_true_raw_orders_amount_0'));
    expect(namespaced).toEqual([[expect.any(String), 'pass 0']]);
    // Source tests are reported on source.column in the summary table.
    expect(test.stdout).toMatch(/│ source_not_null_raw_orders_id\s+│ raw\.orders\.id\s+│ FAIL\s+│ 1\s+│/);
  });

  it('prints the failing rows of a failed test with the compiled SQL path', () => {
    expect(test.stderr).toContain('FAIL in test relationships_orders_bad_customer_id__id__ref_customers_\n  3 failing rows (error_if !=0)');
    expect(sampleRowsPrinted(test.stderr, 'FAIL in test relationships_orders_bad_customer_id__id__ref_customers_')).toEqual([['9'], ['9'], ['8']]);
    expect(test.stderr).toContain('SQL: target/compiled/demo/models/schema.yml/relationships_orders_bad_customer_id__id__ref_customers_.sql');
    expect(project.exists('target/compiled/demo/models/schema.yml/relationships_orders_bad_customer_id__id__ref_customers_.sql')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------

describe('test argument validation', () => {
  const schema = `version: 2
models:
  - name: orders
    data_tests:
      - not_null
      - row_count: {min_value: 1, max_vale: 3}
    columns:
      - name: id
        data_tests:
          - not_nul
          - accepted_values: {quote: false}
          - recency: {datepart: day, field: id, interval: 1}
          - accepted_range: {min_value: 0, error_if: "more than 2"}
`;
  let result: RunResult;

  beforeAll(async () => {
    const project = createTmpProject({ 'models/orders.sql': 'select 1 as id, 2 as amount\n', 'models/schema.yml': schema });
    result = await runTsdbt(project.dir, ['test']);
  });

  it('exits 2 before running anything and reports every problem', () => {
    expectExit(result, 2);
    expect(result.stdout).toContain('6 errors; nothing was run.');
    expect(result.stdout).not.toContain('PASS');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('an unknown test name, with did-you-mean', () => {
    expect(result.stderr).toContain(
      `error models/schema.yml:${positionOf(schema, 'not_nul')} [model.demo.orders]: unknown test "not_nul" on orders.id\n  hint: did you mean "not_null", "not_null_proportion"?`,
    );
  });

  it('a missing required argument (accepted_values without values)', () => {
    expect(result.stderr).toMatch(
      new RegExp(
        `error models/schema\\.yml:${positionOf(schema, 'accepted_values: {quote')} \\[model\\.demo\\.orders\\]: test "accepted_values" argument "values": .*\\n  hint: fix the arguments of this test`,
      ),
    );
  });

  it('an unknown argument, suggesting the argument meant', () => {
    expect(result.stderr).toContain(
      `error models/schema.yml:${positionOf(schema, 'row_count:')} [model.demo.orders]: test "row_count" has no argument "max_vale"`,
    );
    // The suggestion must come from the arguments row_count accepts, not repeat the typo.
    expect(result.stderr).toMatch(/test "row_count" has no argument "max_vale"\n {2}hint: did you mean "max_value"/);
    expect(result.stderr).not.toContain('did you mean "max_vale"');
  });

  it('a column test declared on the model, and a model test declared on a column', () => {
    expect(result.stderr).toContain(
      `error models/schema.yml:${positionOf(schema, 'not_null')} [model.demo.orders]: test "not_null" checks a column: declare it under a column of orders\n  hint: move it to columns: - name: <column> data_tests: [not_null]`,
    );
    expect(result.stderr).toContain(
      `error models/schema.yml:${positionOf(schema, 'recency:')} [model.demo.orders]: test "recency" checks the whole model, not a column`,
    );
  });

  it('an invalid threshold', () => {
    expect(result.stderr).toContain(
      `error models/schema.yml:${positionOf(schema, 'accepted_range:')}: test config: error_if must be a comparison such as ">10" or "!=0", got "more than 2"`,
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('test config', () => {
  const events = (rows: string) => `select * from (values\n${rows}\n) as t(id, status, amount, note)\n`;
  let project: TmpProject;
  let first: RunResult;
  let firstResults: ResultEntry[];
  let storedFirst: unknown[];
  let storedCustomFirst: unknown[];

  beforeAll(async () => {
    project = createTmpProject({
      'project.yml': 'name: demo\nprofile: demo\ntests:\n  demo:\n    staging:\n      +severity: warn\n',
      'models/events.sql': events(`  (1, 'ok', -1, null),
  (2, 'ok', -2, 'n'),
  (3, 'ok', -3, null),
  (4, 'bad', 5, null),
  (5, 'new', 6, null),
  (6, 'bad', 7, null)`),
      'models/staging/stg_events.sql': 'select * from {{ref "events"}}\n',
      'models/schema.yml': `version: 2
models:
  - name: events
    columns:
      - name: note
        data_tests:
          - not_null: {severity: warn}
          - not_null: {name: note_where_bad, config: {where: "status = 'bad'"}}
          - not_null: {name: note_where_passes, where: "id = 2"}
          - not_null: {name: note_limited, limit: 2}
      - name: status
        data_tests:
          - accepted_values: {values: [ok], store_failures: true}
          - accepted_values: {values: [ok, bad], config: {store_failures: true, schema: audit_custom}}
          - accepted_values: {name: status_is_known, values: [ok, bad, new]}
      - name: amount
        data_tests:
          - accepted_range: {name: three_negatives_fail, min_value: 0, config: {error_if: ">2", warn_if: ">0"}}
          - accepted_range: {name: two_negatives_warn, min_value: -1, config: {error_if: ">2", warn_if: ">0"}}
          - accepted_range: {name: one_negative_passes, min_value: -2, error_if: ">2", warn_if: ">1"}
  - name: stg_events
    columns:
      - name: note
        data_tests:
          - not_null
          - not_null: {name: stg_note_forced_error, severity: error}
`,
    });
    expectExit(await runTsdbt(project.dir, ['run']), 0);
    first = await runTsdbt(project.dir, ['test']);
    firstResults = resultsOf(project);
    storedFirst = await queryDuckdb(
      project.dbPath,
      'select value_field, n_records::int as n from dbt_test__audit.accepted_values_events_status__ok order by value_field',
    );
    storedCustomFirst = await queryDuckdb(
      project.dbPath,
      'select value_field, n_records::int as n from audit_custom.accepted_values_events_status__ok__bad order by value_field',
    );
  });

  it('exits 1 with fail, warn and pass results as configured', () => {
    expectExit(first, 1);
    expect(outcomes(firstResults)).toEqual({
      not_null_events_note: 'warn 5',
      note_where_bad: 'fail 2',
      note_where_passes: 'pass 0',
      note_limited: 'fail 2',
      accepted_values_events_status__ok: 'fail 2',
      accepted_values_events_status__ok__bad: 'fail 1',
      status_is_known: 'pass 0',
      three_negatives_fail: 'fail 3',
      two_negatives_warn: 'warn 2',
      one_negative_passes: 'pass 1',
      not_null_stg_events_note: 'warn 5',
      stg_note_forced_error: 'fail 5',
    });
  });

  it('severity: warn reports warn and, alone, exits 0', async () => {
    expect(resultByName(firstResults, 'not_null_events_note').message).toBe('5 failing rows (warn_if !=0, severity warn)');
    expect(first.stdout).toContain('WARN in test not_null_events_note\n  5 failing rows (warn_if !=0, severity warn)');
    const alone = await runTsdbt(project.dir, ['test', '--select', 'test_name:not_null_events_note']);
    expectExit(alone, 0);
    expect(outcomes(project)).toEqual({ not_null_events_note: 'warn 5' });
  });

  it('error_if / warn_if thresholds decide between fail, warn and pass', () => {
    expect(first.stdout).toMatch(/FAIL\s+test\s+three_negatives_fail\s+3 failing rows \(error_if >2\)/);
    expect(first.stdout).toMatch(/WARN\s+test\s+two_negatives_warn\s+2 failing rows \(warn_if >0\)/);
    expect(first.stdout).toMatch(/PASS\s+test\s+one_negative_passes\s/);
  });

  it('where: narrows the rows tested', () => {
    expect(first.stderr).toContain('FAIL in test note_where_bad\n  2 failing rows (error_if !=0)');
    expect(sampleRowsPrinted(first.stderr, 'FAIL in test note_where_bad').map((row) => row[1])).toEqual(['bad', 'bad']);
    expect(project.read('target/compiled/demo/models/schema.yml/note_where_bad.sql')).toContain("status = 'bad'");
  });

  it('limit: caps the failures, and the failing rows shown with them', () => {
    expect(first.stderr).toContain('FAIL in test note_limited\n  2 failing rows (error_if !=0)');
    // "2 failing rows" must not come with a sample of 5.
    expect(sampleRowsPrinted(first.stderr, 'FAIL in test note_limited')).toHaveLength(2);
  });

  it('store_failures: the failing rows land in dbt_test__audit (or the configured schema)', () => {
    expect(storedFirst).toEqual([
      { value_field: 'bad', n: 2 },
      { value_field: 'new', n: 1 },
    ]);
    expect(storedCustomFirst).toEqual([{ value_field: 'new', n: 1 }]);
    expect(first.stderr).toContain('failing rows stored in dbt_test__audit.accepted_values_events_status__ok');
    expect(first.stderr).toContain('failing rows stored in audit_custom.accepted_values_events_status__ok__bad');
  });

  it('project.yml folder-level test config applies, and the test-level config overrides it', () => {
    expect(resultByName(firstResults, 'not_null_stg_events_note').message).toBe('5 failing rows (warn_if !=0, severity warn)');
    expect(resultByName(firstResults, 'stg_note_forced_error').message).toBe('5 failing rows (error_if !=0)');
  });

  it('a custom name: replaces the generated one', () => {
    const ids = firstResults.map((r) => r.unique_id);
    expect(ids.some((id) => /^test\.demo\.status_is_known\.[0-9a-f]{10}$/.test(id))).toBe(true);
    expect(ids.some((id) => id.includes('accepted_values_events_status__ok__bad__new'))).toBe(false);
    expect(project.exists('target/compiled/demo/models/schema.yml/status_is_known.sql')).toBe(true);
  });

  it('store_failures: the audit table is replaced on the next run', async () => {
    project.write(
      'models/events.sql',
      events(`  (1, 'ok', 1, 'a'),
  (2, 'gone', 2, 'b'),
  (3, 'gone', 3, 'c'),
  (4, 'gone', 4, 'd')`),
    );
    expectExit(await runTsdbt(project.dir, ['run', '--select', 'events']), 0);
    const second = await runTsdbt(project.dir, ['test', '--select', 'events']);
    expectExit(second, 1);
    expect(outcomes(project)).toMatchObject({ accepted_values_events_status__ok: 'fail 1', accepted_values_events_status__ok__bad: 'fail 1' });
    expect(await queryDuckdb(project.dbPath, 'select value_field, n_records::int as n from dbt_test__audit.accepted_values_events_status__ok')).toEqual([
      { value_field: 'gone', n: 3 },
    ]);
    expect(await queryDuckdb(project.dbPath, 'select value_field, n_records::int as n from audit_custom.accepted_values_events_status__ok__bad')).toEqual([
      { value_field: 'gone', n: 3 },
    ]);
  });
});

describe('project-wide test config in project.yml', () => {
  it('data_tests: {demo: {+severity: warn}} turns every failure into a warning (exit 0)', async () => {
    const project = createTmpProject({
      'project.yml': 'name: demo\nprofile: demo\ndata_tests:\n  demo:\n    +severity: warn\n',
      'models/m.sql': 'select * from (values (1), (1), (null)) as t(id)\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
      'tests/assert_m_empty.sql': 'select * from {{ref "m"}}\n',
    });
    const result = await runTsdbt(project.dir, ['build']);
    expectExit(result, 0);
    expect(outcomes(project)).toEqual({ not_null_m_id: 'warn 1', unique_m_id: 'warn 1', assert_m_empty: 'warn 3' });
  });
});

// ---------------------------------------------------------------------------------------------

describe('custom generic tests and singular tests', () => {
  let project: TmpProject;
  let result: RunResult;

  beforeAll(async () => {
    project = createTmpProject({
      'models/orders.sql': "select * from (values (1, 'ab', 2), (2, 'abcd', -4), (3, 'x', 6)) as t(id, code, amount)\n",
      'tests/generic/is_positive.sql': 'select * from {{model}} where {{column_name}} <= 0\n',
      'macros/test_is_even.sql': 'select * from {{model}} where {{column_name}} % 2 <> 0\n',
      'macros/test_max_length.sql': 'select * from {{model}} where length({{column_name}}) > {{max}}\n',
      'tests/assert_no_big_orders.sql': 'select * from {{ref "orders"}} where amount > 100\n',
      'tests/assert_no_negative_amounts.sql': '-- amounts are never negative\nselect * from {{ref "orders"}} where amount < 0\n',
      'tests/assert_codes_short.sql': '{{config severity="warn"}}\nselect * from {{ref "orders"}} where length(code) > 1\n',
      'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests: [is_positive, is_even]
      - name: amount
        data_tests: [is_positive, is_even]
      - name: code
        data_tests:
          - max_length: {max: 4}
          - max_length: {max: 2}
`,
    });
    expectExit(await runTsdbt(project.dir, ['run']), 0);
    result = await runTsdbt(project.dir, ['test']);
  });

  it('run custom generic tests from tests/generic/ and macros/test_*.sql, with arguments', () => {
    expectExit(result, 1);
    expect(outcomes(project)).toMatchObject({
      is_positive_orders_id: 'pass 0',
      is_positive_orders_amount: 'fail 1',
      is_even_orders_amount: 'pass 0',
      is_even_orders_id: 'fail 2',
      max_length_orders_code__4: 'pass 0',
      max_length_orders_code__2: 'fail 1',
    });
    expect(project.read('target/compiled/demo/models/schema.yml/max_length_orders_code__2.sql').trim()).toMatch(
      /^select \* from main\.orders where length\("?code"?\) > 2$/,
    );
  });

  it('run singular tests with {{ref}}: pass, fail, and warn with {{config severity="warn"}}', () => {
    const singular = resultsOf(project).filter((r) => r.unique_id.startsWith('test.demo.assert_'));
    expect(Object.fromEntries(singular.map((r) => [r.unique_id, `${r.status} ${r.failures}`]))).toEqual({
      'test.demo.assert_no_big_orders': 'pass 0',
      'test.demo.assert_no_negative_amounts': 'fail 1',
      'test.demo.assert_codes_short': 'warn 2',
    });
    expect(result.stderr).toContain('FAIL in test assert_no_negative_amounts\n  1 failing row (error_if !=0)');
    expect(sampleRowsPrinted(result.stderr, 'FAIL in test assert_no_negative_amounts')).toEqual([['2', 'abcd', '-4']]);
    expect(result.stdout).toContain('WARN in test assert_codes_short\n  2 failing rows (warn_if !=0, severity warn)');
    expect(project.read('target/compiled/demo/tests/assert_no_negative_amounts.sql')).toContain('from main.orders where amount < 0');
  });
});

// ---------------------------------------------------------------------------------------------

describe('batched column tests', () => {
  const wide = `select * from (values
  (1, 'a', 1, 10, 'x', 5),
  (2, 'b', null, 20, 'y', 6),
  (3, 'c', null, 30, 'z', 7),
  (4, 'd', 4, 200, 'q', 8)
) as t(c1, c2, c3, c4, c5, c6)
`;
  let project: TmpProject;
  let batched: RunResult;
  let batchedResults: ResultEntry[];
  let unbatched: RunResult;
  let unbatchedResults: ResultEntry[];

  beforeAll(async () => {
    project = createTmpProject({
      'models/wide.sql': wide,
      'models/wide_err.sql': wide,
      'models/schema.yml': `version: 2
models:
  - name: wide
    data_tests:
      - row_count: {min_value: 1}
    columns:
      - name: c1
        data_tests: [not_null]
      - name: c2
        data_tests: [not_null]
      - name: c3
        data_tests: [not_null]
      - name: c4
        data_tests:
          - not_null
          - accepted_range: {min_value: 0, max_value: 100}
          - accepted_range: {name: c4_range_where, min_value: 0, max_value: 100, config: {where: "c1 < 4"}}
      - name: c5
        data_tests:
          - not_null
          - accepted_values: {values: [x, y, z]}
          - accepted_values: {name: c5_values_limited, values: [a], limit: 2}
      - name: c6
        data_tests:
          - not_null
          - accepted_range: {min_value: 5}
  - name: wide_err
    columns:
      - name: c1
        data_tests: [not_null]
      - name: c3
        data_tests: [not_null]
      - name: c4
        data_tests:
          - expression_is_true: {expression: "> no_such_column"}
          - accepted_range: {max_value: 100}
`,
    });
    expectExit(await runTsdbt(project.dir, ['run']), 0);
    batched = await runTsdbt(project.dir, ['test']);
    batchedResults = resultsOf(project);
    unbatched = await runTsdbt(project.dir, ['test', '--no-batch', '--no-reuse']);
    unbatchedResults = resultsOf(project);
  });

  const summary = (results: ResultEntry[]) =>
    Object.fromEntries(results.map((r) => [shortName(r.unique_id), `${r.status} ${r.failures} ${r.message.split('\n')[0]}`]));

  it('gives every test its own status and failure count', () => {
    expectExit(batched, 1);
    expect(summary(batchedResults)).toEqual({
      row_count_wide_1: 'pass 0 no failing rows',
      not_null_wide_c1: 'pass 0 no failing rows',
      not_null_wide_c2: 'pass 0 no failing rows',
      not_null_wide_c3: 'fail 2 2 failing rows (error_if !=0)',
      not_null_wide_c4: 'pass 0 no failing rows',
      accepted_range_wide_c4__100__0: 'fail 1 1 failing row (error_if !=0)',
      c4_range_where: 'pass 0 no failing rows',
      not_null_wide_c5: 'pass 0 no failing rows',
      accepted_values_wide_c5__x__y__z: 'fail 1 1 failing row (error_if !=0)',
      c5_values_limited: 'fail 2 2 failing rows (error_if !=0)',
      not_null_wide_c6: 'pass 0 no failing rows',
      accepted_range_wide_c6__5: 'pass 0 no failing rows',
      not_null_wide_err_c1: 'pass 0 no failing rows',
      not_null_wide_err_c3: 'fail 2 2 failing rows (error_if !=0)',
      expression_is_true_wide_err_c4___no_such_column: 'error null Binder Error: Referenced column "no_such_column" not found in FROM clause!',
      accepted_range_wide_err_c4__100: 'fail 1 1 failing row (error_if !=0)',
    });
  });

  it('evaluates the batchable tests of one model in one scan', () => {
    const starts = new Set(
      batchedResults.filter((r) => r.unique_id.includes('_wide_') && !r.unique_id.includes('wide_err')).map((r) => r.timing[0]!.started_at),
    );
    expect(starts.size).toBe(1);
  });

  it('--no-batch gives the same statuses, failure counts and messages', () => {
    expectExit(unbatched, 1);
    expect(summary(unbatchedResults)).toEqual(summary(batchedResults));
    expect(unbatchedResults.map((r) => r.unique_id)).toEqual(batchedResults.map((r) => r.unique_id));
  });

  it('an SQL error in one batched test marks only that test as error', () => {
    const errored = batchedResults.filter((r) => r.status === 'error');
    expect(errored.map((r) => shortName(r.unique_id))).toEqual(['expression_is_true_wide_err_c4___no_such_column']);
    expect(batched.stderr).toContain(
      'ERROR in test expression_is_true_wide_err_c4___no_such_column (models/schema.yml:35:13, compiled target/compiled/demo/models/schema.yml/expression_is_true_wide_err_c4___no_such_column.sql:1)\n  Binder Error: Referenced column "no_such_column" not found in FROM clause!',
    );
    expect(batched.stderr).not.toMatch(STACK_LINE);
  });
});

// ---------------------------------------------------------------------------------------------

describe('tsdbt test selection', () => {
  let project: TmpProject;
  const selectedBy = async (...args: string[]) => {
    const result = await runTsdbt(project.dir, ['test', ...args]);
    expect(result.code === 0 || result.code === 1, `${args.join(' ')}: exit ${result.code}\n${result.stderr}`).toBe(true);
    return resultsOf(project)
      .map((r) => shortName(r.unique_id))
      .sort();
  };

  beforeAll(async () => {
    project = createTmpProject({
      'models/sel_a.sql': 'select * from (values (1), (2)) as t(id)\n',
      'models/sel_b.sql': 'select id, \'x\' as kind from {{ref "sel_a"}}\n',
      'tests/assert_b_small.sql': 'select * from {{ref "sel_b"}} where id > 10\n',
      'models/schema.yml': `version: 2
models:
  - name: sel_a
    columns:
      - name: id
        data_tests: [not_null, unique]
  - name: sel_b
    columns:
      - name: id
        data_tests: [not_null]
      - name: kind
        data_tests:
          - accepted_values: {values: [x]}
unit_tests:
  - name: b_keeps_ids
    model: sel_b
    given:
      - input: ref('sel_a')
        rows: [{id: 7}]
    expect:
      rows: [{id: 7, kind: x}]
`,
    });
    expectExit(await runTsdbt(project.dir, ['run']), 0);
  });

  it('without --select runs every data and unit test', async () => {
    expect(await selectedBy()).toEqual([
      'accepted_values_sel_b_kind__x',
      'assert_b_small',
      'b_keeps_ids',
      'not_null_sel_a_id',
      'not_null_sel_b_id',
      'unique_sel_a_id',
    ]);
  });

  it('--select <model> picks the tests of that model (indirect selection)', async () => {
    expect(await selectedBy('--select', 'sel_a')).toEqual(['not_null_sel_a_id', 'unique_sel_a_id']);
    expect(await selectedBy('--select', 'sel_b')).toEqual(['accepted_values_sel_b_kind__x', 'assert_b_small', 'b_keeps_ids', 'not_null_sel_b_id']);
  });

  it('--select test_type:unit and test_type:data', async () => {
    expect(await selectedBy('--select', 'test_type:unit')).toEqual(['b_keeps_ids']);
    expect(await selectedBy('--select', 'test_type:data')).toEqual([
      'accepted_values_sel_b_kind__x',
      'assert_b_small',
      'not_null_sel_a_id',
      'not_null_sel_b_id',
      'unique_sel_a_id',
    ]);
  });

  it('--select test_name:<glob>', async () => {
    expect(await selectedBy('--select', 'test_name:not_null*')).toEqual(['not_null_sel_a_id', 'not_null_sel_b_id']);
  });

  it("--exclude drops a model's tests, or tests by name", async () => {
    expect(await selectedBy('--exclude', 'sel_b')).toEqual(['not_null_sel_a_id', 'unique_sel_a_id']);
    expect(await selectedBy('--select', 'test_type:data', '--exclude', 'test_name:not_null*')).toEqual([
      'accepted_values_sel_b_kind__x',
      'assert_b_small',
      'unique_sel_a_id',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('tsdbt build gating on tests', () => {
  let project: TmpProject;
  let build: RunResult;
  let results: Record<string, ResultEntry>;

  beforeAll(async () => {
    project = createTmpProject({
      'models/parent_err.sql': '{{config materialized="table"}}\nselect * from (values (1), (null)) as t(id)\n',
      'models/child_of_err.sql': '{{config materialized="table"}}\nselect id from {{ref "parent_err"}}\n',
      'models/grandchild_of_err.sql': 'select id from {{ref "child_of_err"}}\n',
      'models/parent_warn.sql': '{{config materialized="table"}}\nselect * from (values (1), (null)) as t(id)\n',
      'models/child_of_warn.sql': '{{config materialized="table"}}\nselect id from {{ref "parent_warn"}}\n',
      'models/base.sql': '{{config materialized="table"}}\nselect * from (values (1, 10), (2, 20)) as t(id, amount)\n',
      'models/doubled.sql': '{{config materialized="table"}}\nselect id, amount * 2 as doubled from {{ref "base"}}\n',
      'models/doubled_total.sql': '{{config materialized="table"}}\nselect sum(doubled) as total from {{ref "doubled"}}\n',
      'models/schema.yml': `version: 2
models:
  - name: parent_err
    columns:
      - name: id
        data_tests: [not_null]
  - name: child_of_err
    columns:
      - name: id
        data_tests: [unique]
  - name: parent_warn
    columns:
      - name: id
        data_tests:
          - not_null: {severity: warn}
  - name: doubled
    columns:
      - name: id
        data_tests: [not_null]
unit_tests:
  - name: doubles_amount
    model: doubled
    given:
      - input: ref('base')
        rows:
          - {id: 1, amount: 10}
    expect:
      rows:
        - {id: 1, doubled: 21}
`,
    });
    build = await runTsdbt(project.dir, ['build']);
    results = Object.fromEntries(resultsOf(project).map((r) => [shortName(r.unique_id).replace(/^model\.demo\./, ''), r]));
  });

  it('exits 1 when an error-severity test fails', () => {
    expectExit(build, 1);
    expect(Object.keys(results).sort()).toEqual(
      [
        'base',
        'child_of_err',
        'child_of_warn',
        'doubled',
        'doubled_total',
        'doubles_amount',
        'grandchild_of_err',
        'not_null_doubled_id',
        'not_null_parent_err_id',
        'not_null_parent_warn_id',
        'parent_err',
        'parent_warn',
        'unique_child_of_err_id',
      ].sort(),
    );
  });

  it('a failing error-severity test skips the children of the tested model, naming the test', () => {
    expect(results.not_null_parent_err_id).toMatchObject({ status: 'fail', failures: 1 });
    expect(results.parent_err!.status).toBe('success');
    for (const skipped of ['child_of_err', 'grandchild_of_err', 'unique_child_of_err_id']) {
      expect(results[skipped], skipped).toMatchObject({ status: 'skipped', message: 'skipped: upstream test not_null_parent_err_id failed' });
    }
    expect(build.stdout).toMatch(/SKIP\s+table\s+main\.child_of_err\s+skipped: upstream test not_null_parent_err_id failed/);
  });

  it('a failing warn-severity test does not skip anything', () => {
    expect(results.not_null_parent_warn_id).toMatchObject({ status: 'warn', failures: 1 });
    expect(results.child_of_warn!.status).toBe('success');
  });

  it("a failing unit test skips its model and the model's children", () => {
    expect(results.doubles_amount).toMatchObject({ status: 'fail', failures: 2 });
    expect(results.base!.status).toBe('success');
    for (const skipped of ['doubled', 'doubled_total', 'not_null_doubled_id']) {
      expect(results[skipped], skipped).toMatchObject({ status: 'skipped', message: 'skipped: upstream unit test doubles_amount failed' });
    }
  });

  it('builds nothing that was skipped, and no unit-test fixture tables', async () => {
    const tables = await queryDuckdb<{ table_name: string }>(
      project.dbPath,
      "select table_name from information_schema.tables where table_schema <> 'tsdbt_state' order by table_name",
    );
    expect(tables.map((t) => t.table_name)).toEqual(['base', 'child_of_warn', 'parent_err', 'parent_warn']);
  });

  it('failing tests on a seed or on a source skip the models reading them', async () => {
    const other = createTmpProject({
      'seeds/countries.csv': 'code,name\nfr,France\nfr,Francia\n',
      'data/raw_orders.csv': 'id,amount\n1,5\n,7\n',
      'models/sources.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: orders
        external: {location: data/raw_orders.csv, format: csv}
        columns:
          - name: id
            data_tests: [not_null]
seeds:
  - name: countries
    columns:
      - name: code
        data_tests: [unique]
`,
      'models/country_names.sql': 'select name from {{ref "countries"}}\n',
      'models/stg_orders.sql': 'select id, amount from {{source "raw" "orders"}}\n',
    });
    const result = await runTsdbt(other.dir, ['build']);
    expectExit(result, 1);
    const byId = Object.fromEntries(resultsOf(other).map((r) => [shortName(r.unique_id), r]));
    expect(byId.unique_countries_code).toMatchObject({ status: 'fail', failures: 1 });
    expect(byId['model.demo.country_names']).toMatchObject({ status: 'skipped', message: 'skipped: upstream test unique_countries_code failed' });
    expect(byId.source_not_null_raw_orders_id).toMatchObject({ status: 'fail', failures: 1 });
    // As in dbt build: tests on upstream resources, sources included, block what reads them.
    expect(byId['model.demo.stg_orders']).toMatchObject({ status: 'skipped', message: 'skipped: upstream test source_not_null_raw_orders_id failed' });
  });

  it('exits 0 when only warn-severity tests fail', async () => {
    const warnOnly = await runTsdbt(project.dir, ['build', '--select', 'parent_warn+', '--no-reuse']);
    expectExit(warnOnly, 0);
    expect(outcomes(project)).toEqual({ not_null_parent_warn_id: 'warn 1' });
    expect(resultsOf(project).find((r) => r.unique_id === 'model.demo.child_of_warn')!.status).toBe('success');
  });
});
