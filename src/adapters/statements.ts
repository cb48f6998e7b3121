import { type CompiledSql, countLines, originOf, type SourceLine } from '../compile/line-map.js';
import { sqlBody } from '../compile/sql-text.js';
import type { MaterializationPlan, QueryError, Statement } from './adapter.js';

/**
 * `head`, then the model's SQL on lines of its own, then `tail`: a line an engine reports inside
 * the statement maps straight back to the compiled file (and through its line map, the template).
 */
export function embed(head: string, sql: CompiledSql, tail: string, file: string): Statement {
  const body = sqlBody(sql.text);
  return { sql: `${head}\n${body}\n${tail}`, embeds: { line: countLines(head) + 1, sql: { text: body, lines: sql.lines }, file } };
}

/** The model's SQL as a statement of its own (its lines are the compiled lines). */
export function alone(sql: CompiledSql, file: string): Statement {
  const body = sqlBody(sql.text);
  return { sql: body, embeds: { line: 1, sql: { text: body, lines: sql.lines }, file } };
}

/** A statement that embeds no model SQL. */
export const plain = (sql: string): Statement => ({ sql });

/** Where a failed statement's line falls in the model: the compiled line and the template line. */
export function locateFailure(plan: MaterializationPlan | { statements: Statement[] }, error: QueryError): { compiledLine?: number; origin?: SourceLine } {
  if (error.statement === undefined || error.line === undefined) return {};
  const embeds = plan.statements[error.statement]?.embeds;
  if (!embeds) return {};
  const compiledLine = error.line - embeds.line + 1;
  if (compiledLine < 1 || compiledLine > countLines(embeds.sql.text)) return {};
  return { compiledLine, origin: originOf(embeds.sql, compiledLine, embeds.file) };
}

/**
 * Statements as one script (BigQuery runs a plan as one job): each ends with `;` on its own
 * lines; `starts[i]` is the script line statement i begins on, to map a script line back.
 */
export function asScript(statements: readonly Statement[]): { text: string; starts: number[] } {
  if (statements.length === 1) return { text: statements[0]!.sql, starts: [1] };
  const starts: number[] = [];
  let line = 1;
  for (const statement of statements) {
    starts.push(line);
    line += countLines(`${statement.sql};`);
  }
  return { text: statements.map((s) => `${s.sql};`).join('\n'), starts };
}

/** A script line → the statement it is in and the line within that statement. */
export function statementAt(starts: readonly number[], scriptLine: number): { statement: number; line: number } | undefined {
  for (let i = starts.length - 1; i >= 0; i--) {
    if (scriptLine >= starts[i]!) return { statement: i, line: scriptLine - starts[i]! + 1 };
  }
  return undefined;
}
