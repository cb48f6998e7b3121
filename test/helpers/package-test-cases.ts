/** The dbt_utils and dbt_expectations tests exercised on both engines, as a project's properties. */

// Each test is written twice: on `good` (it passes) and on `bad` (it fails `failures` times).
export const CASES: Array<{ test: string; column?: string; args?: string; failures: number }> = [
  { test: 'dbt_utils.not_accepted_values', column: 'status', args: '{values: [lost]}', failures: 1 },
  { test: 'dbt_utils.not_empty_string', column: 'status', failures: 1 },
  { test: 'dbt_utils.equality', args: "{compare_model: ref('good')}", failures: 5 },
  { test: 'dbt_utils.fewer_rows_than', args: "{compare_model: ref('many')}", failures: 0 },
  { test: 'dbt_utils.cardinality_equality', column: 'id', args: "{to: ref('good'), field: id}", failures: 4 },
  { test: 'dbt_utils.relationships_where', column: 'id', args: "{to: ref('good'), field: id, from_condition: 'id < 100'}", failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_not_be_null', column: 'amount', failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_be_unique', column: 'id', failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_be_between', column: 'amount', args: '{min_value: 0, max_value: 100}', failures: 2 },
  { test: 'dbt_expectations.expect_column_values_to_be_in_set', column: 'status', args: '{value_set: [open, paid]}', failures: 2 },
  { test: 'dbt_expectations.expect_column_values_to_not_be_in_set', column: 'status', args: '{value_set: [lost]}', failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_match_regex', column: 'code', args: "{regex: '^[A-Z]{2}[0-9]+$'}", failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_not_match_regex', column: 'code', args: "{regex: '[a-z]'}", failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_match_like_pattern', column: 'code', args: "{like_pattern: 'FR%'}", failures: 2 },
  { test: 'dbt_expectations.expect_column_value_lengths_to_equal', column: 'code', args: '{value: 3}', failures: 1 },
  { test: 'dbt_expectations.expect_column_value_lengths_to_be_between', column: 'code', args: '{min_value: 3, max_value: 3}', failures: 1 },
  { test: 'dbt_expectations.expect_column_distinct_count_to_equal', column: 'status', args: '{value: 2}', failures: 1 },
  { test: 'dbt_expectations.expect_column_unique_value_count_to_be_between', column: 'status', args: '{max_value: 2}', failures: 1 },
  { test: 'dbt_expectations.expect_column_mean_to_be_between', column: 'amount', args: '{min_value: 5, max_value: 20}', failures: 1 },
  { test: 'dbt_expectations.expect_column_max_to_be_between', column: 'amount', args: '{max_value: 100}', failures: 1 },
  { test: 'dbt_expectations.expect_column_min_to_be_between', column: 'amount', args: '{min_value: 0}', failures: 1 },
  { test: 'dbt_expectations.expect_column_sum_to_be_between', column: 'amount', args: '{max_value: 100}', failures: 1 },
  { test: 'dbt_expectations.expect_column_values_to_be_increasing', column: 'id', args: '{sort_column: code}', failures: 2 },
  { test: 'dbt_expectations.expect_column_pair_values_A_to_be_greater_than_B', args: '{column_A: id + 100, column_B: amount}', failures: 1 },
  { test: 'dbt_expectations.expect_compound_columns_to_be_unique', args: '{column_list: [id, status]}', failures: 1 },
  { test: 'dbt_expectations.expect_table_row_count_to_equal', args: '{value: 3}', failures: 1 },
  { test: 'dbt_expectations.expect_table_row_count_to_equal_other_table', args: "{compare_model: ref('good')}", failures: 1 },
];

export const model = (rows: string) => `select * from (values ${rows}) as t(id, status, code, amount)\n`;

export function properties(): string {
  const entries = (name: string) => {
    const modelTests = CASES.filter((c) => !c.column).map((c) => `      - ${c.test}${c.args ? `: ${c.args}` : ''}`);
    const columns = [...new Set(CASES.filter((c) => c.column).map((c) => c.column!))].map(
      (column) =>
        `      - name: ${column}\n        data_tests:\n${CASES.filter((c) => c.column === column)
          .map((c) => `          - ${c.test}${c.args ? `: ${c.args}` : ''}`)
          .join('\n')}`,
    );
    return `  - name: ${name}\n    data_tests:\n${modelTests.join('\n')}\n    columns:\n${columns.join('\n')}`;
  };
  return `version: 2\nmodels:\n${entries('good')}\n${entries('bad')}\n`;
}
