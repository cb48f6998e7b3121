/**
 * The SQL parser behind column lineage: `@polyglot-sql/sdk` (sqlglot's parser in Rust, as
 * WebAssembly). Loaded on first use only: its 23 MB module costs ~0.2 s and ~60 MB, which only
 * `docs generate` should pay.
 */
import type { Dialect as PolyglotDialect } from '@polyglot-sql/sdk';

export type ParseOutcome =
  | { ok: true; statements: unknown[] }
  | {
      ok: false;
      error: string;
      /** 1-based position in the SQL, when the parser gives one. */
      line?: number;
      column?: number;
    };

export interface SqlParser {
  /** Name and version, for lineage.json's metadata. */
  readonly name: string;
  parse(sql: string, dialect: string): ParseOutcome;
  /** An expression of a parsed statement as SQL text (to name an unaliased select item). */
  expressionSql(expression: unknown, dialect: string): string | undefined;
}

let loading: Promise<SqlParser> | undefined;

export function loadSqlParser(): Promise<SqlParser> {
  loading ??= import('@polyglot-sql/sdk').then(async (polyglot) => {
    await polyglot.init();
    const asDialect = (dialect: string) => dialect as PolyglotDialect;
    return {
      name: `@polyglot-sql/sdk ${polyglot.getVersion()}`,
      parse(sql, dialect) {
        const result = polyglot.parse(sql, asDialect(dialect));
        if (result.success) return { ok: true, statements: result.ast };
        return { ok: false, error: result.error, line: result.errorLine, column: result.errorColumn };
      },
      expressionSql(expression, dialect) {
        const result = polyglot.generate([expression], asDialect(dialect));
        return result.success && Array.isArray(result.sql) && typeof result.sql[0] === 'string' ? result.sql[0] : undefined;
      },
    } satisfies SqlParser;
  });
  return loading;
}
