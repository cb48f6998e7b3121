import { z } from 'zod';
import type { DatePart } from '../dialect.js';
import type { GenericTest, TestSqlContext } from './generic-tests.js';
import { bounds, countWhen, datePart, flag, literal, relationExpression, scalar } from './sql-parts.js';

// The tests of dbt_utils and dbt_expectations that dbt projects use most, built in: the same
// names, arguments and meaning as the packages, on every engine, batched where a row or an
// aggregate decides.

const columnList = z.array(z.string()).min(1);

/** A test that fails row by row: failing rows are those meeting `fails`. */
function rowTest(args: z.ZodType<Record<string, unknown>>, fails: (ctx: TestSqlContext) => string, column: GenericTest['column'] = true): GenericTest {
  return {
    column,
    args,
    failingRows: (ctx) => `select * from ${ctx.relation} where ${rowCondition(ctx)} and (${fails(ctx)})`,
    failureCount: (ctx) => countWhen(ctx, `${rowCondition(ctx)} and (${fails(ctx)})`),
  };
}

/**
 * A test of one aggregate of the column (its mean, its distinct count…): one failing row, the
 * aggregate, when `fails` holds for it. `aggregate` receives the column expression to aggregate.
 */
function aggregateTest(
  args: z.ZodType<Record<string, unknown>>,
  aggregate: (ctx: TestSqlContext, expr: string) => string,
  fails: (ctx: TestSqlContext, value: string) => string,
): GenericTest {
  return {
    column: true,
    args,
    failingRows: (ctx) =>
      `select * from (select ${aggregate(ctx, ctx.column)} as value from ${ctx.relation} where ${rowCondition(ctx)}) as a where ${fails(ctx, 'value')}`,
    failureCount: (ctx) => flag(fails(ctx, aggregate(ctx, `case when (${ctx.where}) and ${rowCondition(ctx)} then ${ctx.column} end`))),
  };
}

/** dbt_expectations' `row_condition`: rows outside it are not tested. */
function rowCondition(ctx: TestSqlContext): string {
  return typeof ctx.args.row_condition === 'string' && ctx.args.row_condition.trim() !== '' ? `(${ctx.args.row_condition})` : '(1 = 1)';
}

/** min_value ≤ value ≤ max_value, or strictly; a missing bound does not bound. */
function between(ctx: TestSqlContext, value: string): string {
  const strict = ctx.args.strictly === true;
  const parts: string[] = [];
  if (ctx.args.min_value !== undefined) parts.push(`${value} ${strict ? '>' : '>='} ${literal(ctx, ctx.args.min_value, false)}`);
  if (ctx.args.max_value !== undefined) parts.push(`${value} ${strict ? '<' : '<='} ${literal(ctx, ctx.args.max_value, false)}`);
  return parts.length === 0 ? '1 = 1' : parts.join(' and ');
}

const withRowCondition = { row_condition: z.string().optional() };
const betweenArgs = z
  .strictObject({ ...bounds, strictly: z.boolean().optional(), ...withRowCondition })
  .refine((a) => a.min_value !== undefined || a.max_value !== undefined, 'give min_value, max_value or both');
const valueArgs = z.strictObject({ value: z.number(), ...withRowCondition });
const setArgs = z.strictObject({ value_set: z.array(scalar).min(1), quote_values: z.boolean().optional(), ...withRowCondition });
const regexArgs = z.strictObject({ regex: z.string(), is_raw: z.boolean().optional(), flags: z.string().optional(), ...withRowCondition });
const likeArgs = z.strictObject({ like_pattern: z.string(), ...withRowCondition });

const valueSet = (ctx: TestSqlContext) => (ctx.args.value_set as unknown[]).map((v) => literal(ctx, v, ctx.args.quote_values !== false)).join(', ');
const regex = (ctx: TestSqlContext) =>
  ctx.r.regex_contains(ctx.column, ctx.dialect.literal(`${ctx.args.flags ? `(?${ctx.args.flags})` : ''}${ctx.args.regex}`));

/** Rows of one query not in the other, both ways (compared without duplicates, as dbt_utils does). */
function symmetricDifference(ctx: TestSqlContext, a: string, b: string): string {
  const except = ctx.r.except_distinct();
  return [`select * from (`, `  (${a}\n  ${except}\n  ${b})`, `  union all`, `  (${b}\n  ${except}\n  ${a})`, `) as difference`].join('\n');
}

export function DBT_UTILS_TESTS(): Record<string, GenericTest> {
  return {
    equality: {
      column: false,
      args: z
        .strictObject({
          compare_model: relationExpression,
          compare_columns: columnList.optional(),
          exclude_columns: columnList.optional(),
          precision: z.number().int().optional(),
        })
        .refine(
          (a) => a.precision === undefined,
          'precision needs the column types, which tsdbt does not read while compiling: round the columns in the models',
        ),
      failingRows: (ctx) => {
        const q = ctx.dialect.quoteIdentifier;
        const columns = ctx.args.compare_columns
          ? (ctx.args.compare_columns as string[]).map(q).join(', ')
          : ctx.r.star_except(undefined, ((ctx.args.exclude_columns as string[] | undefined) ?? []).map(q));
        return symmetricDifference(ctx, `select ${columns} from ${ctx.relation}`, `select ${columns} from ${ctx.relationOf(String(ctx.args.compare_model))}`);
      },
      references: (args) => [String(args.compare_model)],
    },

    not_accepted_values: {
      column: true,
      args: z.strictObject({ values: z.array(scalar).min(1), quote: z.boolean().optional() }),
      failingRows: (ctx) =>
        `select ${ctx.column} as value_field, count(*) as n_records from ${ctx.relation} where ${ctx.column} in (${notAccepted(ctx)}) group by ${ctx.column}`,
      failureCount: (ctx) => `count(distinct case when (${ctx.where}) and ${ctx.column} in (${notAccepted(ctx)}) then ${ctx.column} end)`,
    },

    fewer_rows_than: {
      column: false,
      args: z.strictObject({ compare_model: relationExpression }),
      failingRows: (ctx) =>
        `select a.n as rows_in_model, b.n as rows_in_compare_model from (select count(*) as n from ${ctx.relation}) as a cross join (select count(*) as n from ${ctx.relationOf(String(ctx.args.compare_model))}) as b where a.n >= b.n`,
      references: (args) => [String(args.compare_model)],
    },

    cardinality_equality: {
      column: true,
      args: z.strictObject({ to: relationExpression, field: z.string() }),
      failingRows: (ctx) => {
        const field = ctx.dialect.quoteIdentifier(String(ctx.args.field));
        return symmetricDifference(
          ctx,
          `select ${ctx.column} as value_field, count(*) as n_records from ${ctx.relation} group by 1`,
          `select ${field} as value_field, count(*) as n_records from ${ctx.relationOf(String(ctx.args.to))} group by 1`,
        );
      },
      references: (args) => [String(args.to)],
    },

    not_empty_string: rowTest(z.strictObject({ trim_whitespace: z.boolean().optional() }), (ctx) =>
      ctx.args.trim_whitespace === false ? `${ctx.column} = ''` : `trim(${ctx.column}) = ''`,
    ),

    relationships_where: {
      column: true,
      args: z.strictObject({ to: relationExpression, field: z.string(), from_condition: z.string().optional(), to_condition: z.string().optional() }),
      failingRows: (ctx) => {
        const field = ctx.dialect.quoteIdentifier(String(ctx.args.field));
        return [
          `select child.from_field from (select ${ctx.column} as from_field from ${ctx.relation} where ${ctx.column} is not null and (${ctx.args.from_condition ?? '1 = 1'})) as child`,
          `left join (select ${field} as to_field from ${ctx.relationOf(String(ctx.args.to))} where ${ctx.args.to_condition ?? '1 = 1'}) as parent on child.from_field = parent.to_field`,
          'where parent.to_field is null',
        ].join('\n');
      },
      references: (args) => [String(args.to)],
    },
  };
}

export function DBT_EXPECTATIONS_TESTS(core: Record<string, GenericTest>): Record<string, GenericTest> {
  return {
    expect_column_to_exist: {
      column: true,
      args: z.strictObject({}),
      // Selecting the column fails (a test error naming it) when it does not exist.
      failingRows: (ctx) => `select ${ctx.column} from ${ctx.relation} where 1 = 0`,
    },
    expect_column_values_to_not_be_null: rowTest(z.strictObject(withRowCondition), (ctx) => `${ctx.column} is null`),
    expect_column_values_to_be_null: rowTest(z.strictObject(withRowCondition), (ctx) => `${ctx.column} is not null`),
    expect_column_values_to_be_unique: {
      column: true,
      args: z.strictObject(withRowCondition),
      failingRows: (ctx) =>
        `select ${ctx.column} as unique_field, count(*) as n_records from ${ctx.relation} where ${ctx.column} is not null and ${rowCondition(ctx)} group by ${ctx.column} having count(*) > 1`,
    },
    expect_column_values_to_be_between: rowTest(betweenArgs, (ctx) => `not (${between(ctx, ctx.column)})`),
    expect_column_values_to_be_in_set: rowTest(setArgs, (ctx) => `${ctx.column} not in (${valueSet(ctx)})`),
    expect_column_values_to_not_be_in_set: rowTest(setArgs, (ctx) => `${ctx.column} in (${valueSet(ctx)})`),
    expect_column_values_to_match_regex: rowTest(regexArgs, (ctx) => `not ${regex(ctx)}`),
    expect_column_values_to_not_match_regex: rowTest(regexArgs, (ctx) => regex(ctx)),
    expect_column_values_to_match_like_pattern: rowTest(likeArgs, (ctx) => `${ctx.column} not like ${ctx.dialect.literal(String(ctx.args.like_pattern))}`),
    expect_column_values_to_not_match_like_pattern: rowTest(likeArgs, (ctx) => `${ctx.column} like ${ctx.dialect.literal(String(ctx.args.like_pattern))}`),
    expect_column_value_lengths_to_be_between: rowTest(betweenArgs, (ctx) => `not (${between(ctx, `length(${ctx.column})`)})`),
    expect_column_value_lengths_to_equal: rowTest(valueArgs, (ctx) => `length(${ctx.column}) <> ${Number(ctx.args.value)}`),
    expect_column_pair_values_A_to_be_greater_than_B: rowTest(
      z.strictObject({ column_A: z.string(), column_B: z.string(), or_equal: z.boolean().optional(), ...withRowCondition }),
      (ctx) => `not (${ctx.args.column_A} ${ctx.args.or_equal ? '>=' : '>'} ${ctx.args.column_B})`,
      false,
    ),
    expect_column_pair_values_to_be_equal: rowTest(
      z.strictObject({ column_A: z.string(), column_B: z.string(), ...withRowCondition }),
      (ctx) => `not (${ctx.args.column_A} = ${ctx.args.column_B})`,
      false,
    ),
    expect_column_distinct_count_to_equal: aggregateTest(
      valueArgs,
      (_ctx, e) => `count(distinct ${e})`,
      (ctx, v) => `${v} <> ${Number(ctx.args.value)}`,
    ),
    expect_column_distinct_count_to_be_greater_than: aggregateTest(
      valueArgs,
      (_ctx, e) => `count(distinct ${e})`,
      (ctx, v) => `not (${v} > ${Number(ctx.args.value)})`,
    ),
    expect_column_distinct_count_to_be_less_than: aggregateTest(
      valueArgs,
      (_ctx, e) => `count(distinct ${e})`,
      (ctx, v) => `not (${v} < ${Number(ctx.args.value)})`,
    ),
    expect_column_unique_value_count_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `count(distinct ${e})`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_proportion_of_unique_values_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `(count(distinct ${e}) * 1.0 / nullif(count(${e}), 0))`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_mean_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `avg(${e})`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_min_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `min(${e})`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_max_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `max(${e})`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_sum_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `sum(${e})`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_stdev_to_be_between: aggregateTest(
      betweenArgs,
      (_ctx, e) => `stddev_samp(${e})`,
      (ctx, v) => `not (${between(ctx, v)})`,
    ),
    expect_column_values_to_be_increasing: {
      column: true,
      args: z.strictObject({ sort_column: z.string().optional(), strictly: z.boolean().optional(), ...withRowCondition }),
      failingRows: (ctx) => {
        const order = ctx.args.sort_column ? String(ctx.args.sort_column) : ctx.column;
        return [
          `select * from (`,
          `  select ${ctx.column} as value_field, lag(${ctx.column}) over (order by ${order}) as previous_value`,
          `  from ${ctx.relation} where ${ctx.column} is not null and ${rowCondition(ctx)}`,
          `) as s`,
          `where previous_value is not null and not (value_field ${ctx.args.strictly === false ? '>=' : '>'} previous_value)`,
        ].join('\n');
      },
    },
    expect_table_row_count_to_equal: {
      column: false,
      args: z.strictObject({ value: z.number().int(), ...withRowCondition }),
      failingRows: (ctx) =>
        `select * from (select count(*) as row_count from ${ctx.relation} where ${rowCondition(ctx)}) as c where row_count <> ${Number(ctx.args.value)}`,
      failureCount: (ctx) => flag(`count(case when (${ctx.where}) and ${rowCondition(ctx)} then 1 end) <> ${Number(ctx.args.value)}`),
    },
    expect_table_row_count_to_be_between: core.row_count!,
    expect_table_row_count_to_equal_other_table: core.equal_rowcount!,
    expect_compound_columns_to_be_unique: {
      ...core.unique_combination_of_columns!,
      args: z.strictObject({ column_list: columnList, quote_columns: z.boolean().optional() }),
      failingRows: (ctx) =>
        core.unique_combination_of_columns!.failingRows({
          ...ctx,
          args: { combination_of_columns: ctx.args.column_list, quote_columns: ctx.args.quote_columns },
        }),
    },
    expect_row_values_to_have_recent_data: {
      column: true,
      args: z.strictObject({ datepart: datePart, interval: z.number().int().positive(), ...withRowCondition }),
      failingRows: (ctx) => {
        const threshold = ctx.r.dateadd(ctx.args.datepart as DatePart, String(-Number(ctx.args.interval)), ctx.r.current_timestamp());
        return `select * from (select max(${ctx.column}) as most_recent from ${ctx.relation} where ${rowCondition(ctx)}) as r where most_recent is null or most_recent < ${threshold}`;
      },
    },
  };
}

function notAccepted(ctx: TestSqlContext): string {
  return (ctx.args.values as unknown[]).map((v) => literal(ctx, v, ctx.args.quote !== false)).join(', ');
}
