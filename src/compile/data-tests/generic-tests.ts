import { z } from 'zod';
import type { CrossDialectRenderings, DatePart, Dialect } from '../dialect.js';
import { DBT_EXPECTATIONS_TESTS, DBT_UTILS_TESTS } from './package-tests.js';
import { bounds, countWhen, datePart, flag, literal, noArgs, rangeCondition, relationExpression, scalar } from './sql-parts.js';

/** What a generic test's SQL is built from. */
export interface TestSqlContext {
  /** The tested relation, narrowed by the `where` config when there is one. */
  relation: string;
  /** The tested relation without `where` (batched aggregates apply `where` themselves). */
  unfilteredRelation: string;
  /** The `where` condition, or `1 = 1`. */
  where: string;
  /** The tested column, quoted as the engine needs (column tests only). */
  column: string;
  args: Record<string, unknown>;
  r: CrossDialectRenderings;
  dialect: Dialect;
  /** Resolves `ref('x')` / `source('a', 'b')` written in an argument to a relation. */
  relationOf(expression: string): string;
}

export interface GenericTest {
  /** true: declared under a column; false: on the model; 'optional': either. */
  column: boolean | 'optional';
  args: z.ZodType<Record<string, unknown>>;
  /** A query returning the failing rows (counted, sampled, stored). */
  failingRows(ctx: TestSqlContext): string;
  /**
   * The failure count as one aggregate expression over the unfiltered relation, so every such
   * test of a model shares a single scan. Must equal `count(*)` of `failingRows`.
   */
  failureCount?(ctx: TestSqlContext): string;
  /** Relations named in arguments (graph edges), as `ref('x')` / `source('a','b')` strings. */
  references?(args: Record<string, unknown>): string[];
}

const CORE_TESTS: Record<string, GenericTest> = {
  not_null: {
    column: true,
    args: noArgs,
    failingRows: (ctx) => `select * from ${ctx.relation} where ${ctx.column} is null`,
    failureCount: (ctx) => countWhen(ctx, `${ctx.column} is null`),
  },

  unique: {
    column: true,
    args: noArgs,
    failingRows: (ctx) =>
      `select ${ctx.column} as unique_field, count(*) as n_records from ${ctx.relation} where ${ctx.column} is not null group by ${ctx.column} having count(*) > 1`,
  },

  accepted_values: {
    column: true,
    args: z.strictObject({ values: z.array(scalar).min(1), quote: z.boolean().optional() }),
    failingRows: (ctx) =>
      `select ${ctx.column} as value_field, count(*) as n_records from ${ctx.relation} where ${ctx.column} not in (${acceptedList(ctx)}) group by ${ctx.column}`,
    failureCount: (ctx) => `count(distinct case when (${ctx.where}) and ${ctx.column} not in (${acceptedList(ctx)}) then ${ctx.column} end)`,
  },

  relationships: {
    column: true,
    args: z.strictObject({ to: relationExpression, field: z.string() }),
    failingRows: (ctx) => {
      const field = ctx.dialect.quoteIdentifier(String(ctx.args.field));
      return [
        `select child.from_field from (select ${ctx.column} as from_field from ${ctx.relation} where ${ctx.column} is not null) as child`,
        `left join (select ${field} as to_field from ${ctx.relationOf(String(ctx.args.to))}) as parent on child.from_field = parent.to_field`,
        'where parent.to_field is null',
      ].join('\n');
    },
    references: (args) => [String(args.to)],
  },

  expression_is_true: {
    column: 'optional',
    args: z.strictObject({ expression: z.string() }),
    failingRows: (ctx) => `select * from ${ctx.relation} where not (${expressionOf(ctx)})`,
    failureCount: (ctx) => countWhen(ctx, `not (${expressionOf(ctx)})`),
  },

  accepted_range: {
    column: true,
    args: z
      .strictObject({ ...bounds, inclusive: z.boolean().optional() })
      .refine((a) => a.min_value !== undefined || a.max_value !== undefined, 'give min_value, max_value or both'),
    failingRows: (ctx) => `select * from ${ctx.relation} where not (${rangeCondition(ctx, ctx.column)})`,
    failureCount: (ctx) => countWhen(ctx, `not (${rangeCondition(ctx, ctx.column)})`),
  },

  unique_combination_of_columns: {
    column: false,
    args: z.strictObject({ combination_of_columns: z.array(z.string()).min(1), quote_columns: z.boolean().optional() }),
    failingRows: (ctx) => {
      const columns = (ctx.args.combination_of_columns as string[]).map((c) => (ctx.args.quote_columns ? ctx.dialect.quoteIdentifier(c) : c)).join(', ');
      return `select ${columns}, count(*) as n_records from ${ctx.relation} group by ${columns} having count(*) > 1`;
    },
  },

  not_null_proportion: {
    column: true,
    args: z.strictObject({ at_least: z.number().min(0).max(1), at_most: z.number().min(0).max(1).optional() }),
    failingRows: (ctx) =>
      `select * from (select ${proportion(ctx.column, '1 = 1')} as not_null_proportion from ${ctx.relation}) as p where ${outsideProportion(ctx, 'not_null_proportion')}`,
    failureCount: (ctx) => flag(outsideProportion(ctx, proportion(ctx.column, ctx.where))),
  },

  recency: {
    column: false,
    args: z.strictObject({ datepart: datePart, field: z.string(), interval: z.number().int().positive(), ignore_time_component: z.boolean().optional() }),
    failingRows: (ctx) => `select * from (select max(${ctx.args.field}) as most_recent from ${ctx.relation}) as r where ${staleCondition(ctx, 'most_recent')}`,
    failureCount: (ctx) => flag(staleCondition(ctx, `max(case when ${ctx.where} then ${ctx.args.field} end)`)),
  },

  at_least_one: {
    column: true,
    args: noArgs,
    failingRows: (ctx) => `select * from (select count(${ctx.column}) as filled from ${ctx.relation}) as c where filled = 0`,
    failureCount: (ctx) => flag(`count(case when ${ctx.where} then ${ctx.column} end) = 0`),
  },

  not_constant: {
    column: true,
    args: noArgs,
    failingRows: (ctx) => `select * from (select count(distinct ${ctx.column}) as distinct_values from ${ctx.relation}) as c where distinct_values = 1`,
    failureCount: (ctx) => flag(`count(distinct case when ${ctx.where} then ${ctx.column} end) = 1`),
  },

  equal_rowcount: {
    column: false,
    args: z.strictObject({ compare_model: relationExpression }),
    failingRows: (ctx) =>
      `select a.n as rows_in_model, b.n as rows_in_compare_model from (select count(*) as n from ${ctx.relation}) as a cross join (select count(*) as n from ${ctx.relationOf(String(ctx.args.compare_model))}) as b where a.n <> b.n`,
    references: (args) => [String(args.compare_model)],
  },

  sequential_values: {
    column: true,
    args: z.strictObject({ interval: z.number().positive().optional(), datepart: datePart.optional(), group_by_columns: z.array(z.string()).optional() }),
    failingRows: (ctx) => {
      const interval = String(ctx.args.interval ?? 1);
      const groups = (ctx.args.group_by_columns as string[] | undefined) ?? [];
      const partition = groups.length > 0 ? `partition by ${groups.join(', ')} ` : '';
      const expected = ctx.args.datepart ? ctx.r.dateadd(ctx.args.datepart as DatePart, interval, 'previous_value') : `previous_value + ${interval}`;
      return [
        `select * from (`,
        `  select ${groups.map((g) => `${g}, `).join('')}${ctx.column} as value_field, lag(${ctx.column}) over (${partition}order by ${ctx.column}) as previous_value`,
        `  from ${ctx.relation}`,
        `) as s`,
        `where previous_value is not null and not (value_field = ${expected})`,
      ].join('\n');
    },
  },

  mutually_exclusive_ranges: {
    column: false,
    args: z.strictObject({
      lower_bound_column: z.string(),
      upper_bound_column: z.string(),
      partition_by: z.string().optional(),
      gaps: z.enum(['allowed', 'not_allowed', 'required']).optional(),
      zero_length_range_allowed: z.boolean().optional(),
    }),
    failingRows: (ctx) => {
      const lower = String(ctx.args.lower_bound_column);
      const upper = String(ctx.args.upper_bound_column);
      const partition = ctx.args.partition_by ? `partition by ${ctx.args.partition_by} ` : '';
      const gaps = String(ctx.args.gaps ?? 'allowed');
      const nextRule =
        gaps === 'not_allowed' ? 'upper_bound = next_lower_bound' : gaps === 'required' ? 'upper_bound < next_lower_bound' : 'upper_bound <= next_lower_bound';
      const ownRule = ctx.args.zero_length_range_allowed ? 'lower_bound <= upper_bound' : 'lower_bound < upper_bound';
      return [
        `select * from (`,
        `  select ${lower} as lower_bound, ${upper} as upper_bound,`,
        `    lead(${lower}) over (${partition}order by ${lower}, ${upper}) as next_lower_bound,`,
        `    row_number() over (${partition}order by ${lower} desc, ${upper} desc) = 1 as is_last`,
        `  from ${ctx.relation}`,
        `) as ranges`,
        `where not (${ownRule}) or (not is_last and not (${nextRule}))`,
      ].join('\n');
    },
  },

  row_count: {
    column: false,
    args: z.strictObject(bounds).refine((a) => a.min_value !== undefined || a.max_value !== undefined, 'give min_value, max_value or both'),
    failingRows: (ctx) => `select * from (select count(*) as row_count from ${ctx.relation}) as c where not (${rangeCondition(ctx, 'row_count')})`,
    failureCount: (ctx) => flag(`not (${rangeCondition(ctx, `count(case when ${ctx.where} then 1 end)`)})`),
  },
};

/**
 * Every built-in generic test: dbt's own, dbt_utils' and dbt_expectations' (under their plain
 * names, and as dbt_utils.x / dbt_expectations.x).
 */
export const GENERIC_TESTS: Record<string, GenericTest> = {
  ...CORE_TESTS,
  ...DBT_UTILS_TESTS(),
  ...DBT_EXPECTATIONS_TESTS(CORE_TESTS),
};

function acceptedList(ctx: TestSqlContext): string {
  const quote = ctx.args.quote !== false;
  return (ctx.args.values as unknown[]).map((v) => literal(ctx, v, quote)).join(', ');
}

function expressionOf(ctx: TestSqlContext): string {
  return ctx.column ? `${ctx.column} ${ctx.args.expression}` : String(ctx.args.expression);
}

function proportion(column: string, where: string): string {
  return `(sum(case when (${where}) and ${column} is not null then 1.0 else 0 end) / nullif(sum(case when ${where} then 1 else 0 end), 0))`;
}

function outsideProportion(ctx: TestSqlContext, value: string): string {
  return `(${value} < ${ctx.args.at_least} or ${value} > ${ctx.args.at_most ?? 1})`;
}

function staleCondition(ctx: TestSqlContext, latest: string): string {
  const threshold = ctx.r.dateadd(ctx.args.datepart as DatePart, String(-Number(ctx.args.interval)), ctx.r.current_timestamp());
  const value = ctx.args.ignore_time_component ? ctx.r.cast(latest, 'date') : latest;
  const limit = ctx.args.ignore_time_component ? ctx.r.cast(threshold, 'date') : threshold;
  return `(${value} is null or ${value} < ${limit})`;
}
