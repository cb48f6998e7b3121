import { z } from 'zod';
import { DATE_PARTS, type DatePart } from '../dialect.js';
import type { TestSqlContext } from './generic-tests.js';

// Pieces of generic tests' SQL shared by the built-in test families.

export const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const datePart = z.enum(DATE_PARTS as unknown as [DatePart, ...DatePart[]]);
export const noArgs = z.strictObject({});
export const relationExpression = z.string().regex(/^\s*(ref|source)\(/, "must be ref('model') or source('source', 'table')");

/** How many rows of the relation (its `where` applied) meet `condition`: a batched test's count. */
export const countWhen = (ctx: TestSqlContext, condition: string) => `sum(case when (${ctx.where}) and (${condition}) then 1 else 0 end)`;
/** 1 when an aggregate condition fails, else 0: the count of a whole-table test. */
export const flag = (condition: string) => `case when ${condition} then 1 else 0 end`;

export function literal(ctx: TestSqlContext, value: unknown, quote = true): string {
  if (typeof value === 'string' && quote) return ctx.dialect.literal(value);
  return String(value);
}

export function rangeCondition(ctx: TestSqlContext, expr: string): string {
  const inclusive = ctx.args.inclusive !== false;
  const parts: string[] = [];
  if (ctx.args.min_value !== undefined) parts.push(`${expr} ${inclusive ? '>=' : '>'} ${literal(ctx, ctx.args.min_value, false)}`);
  if (ctx.args.max_value !== undefined) parts.push(`${expr} ${inclusive ? '<=' : '<'} ${literal(ctx, ctx.args.max_value, false)}`);
  return parts.length === 0 ? '1 = 1' : parts.join(' and ');
}

export const bounds = {
  min_value: z.union([z.number(), z.string()]).optional(),
  max_value: z.union([z.number(), z.string()]).optional(),
};
