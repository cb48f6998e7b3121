import type { QueryEvaluator } from '../adapter.js';
import { valueLiteral } from '../portable-sql.js';
import { bigqueryColumnType } from './external.js';
import { bigqueryLiteral, quoteBigqueryIdentifier as q } from './identifiers.js';
import { startReferenceEngine } from './reference-engine.js';
import { zetasqlUnavailable } from './zetasql-service.js';

/**
 * Unit tests of the BigQuery SQL itself, offline: the model's BigQuery rendering runs on
 * GoogleSQL's reference engine over the fixtures. The engine is an optional package; without it
 * unit tests run on DuckDB's rendering of the models.
 */
export const bigqueryUnitTests = {
  unavailable(): string | undefined {
    const problem = zetasqlUnavailable();
    return problem
      ? `unit tests run on DuckDB's rendering of the models: ${problem}. With it they run on the models' BigQuery SQL, on GoogleSQL's reference engine (fixture-sized data only)`
      : undefined;
  },
  async start(): Promise<QueryEvaluator> {
    const engine = await startReferenceEngine();
    return {
      fixtureQuery,
      query: (sql) => engine.query(sql, []),
      close: () => engine.close(),
    };
  },
};

/** The rows as `SELECT … UNION ALL SELECT …` (BigQuery types literals, and unites them to a common type). */
function fixtureQuery(
  rows: ReadonlyArray<Record<string, unknown>>,
  types: Record<string, string>,
  options: { columns?: readonly string[]; native?: boolean } = {},
): string | undefined {
  const columns = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
  // As written in a project, `timestamp` is the zone-less one (DATETIME); BigQuery's own names stay.
  const typeOf = (column: string) => (types[column] ? (options.native ? types[column] : bigqueryColumnType(types[column]!)) : undefined);
  if (rows.length === 0 || columns.length === 0) {
    const declared = Object.keys(types);
    if (declared.length === 0) return undefined;
    return `SELECT ${declared.map((c) => `CAST(NULL AS ${typeOf(c)}) AS ${q(c)}`).join(', ')} LIMIT 0`;
  }
  const cell = (row: Record<string, unknown>, column: string) => {
    const literal = valueLiteral(row[column], bigqueryLiteral);
    const type = typeOf(column);
    return type ? `CAST(${literal} AS ${type})` : literal;
  };
  return rows.map((row) => `SELECT ${columns.map((c) => `${cell(row, c)} AS ${q(c)}`).join(', ')}`).join('\nUNION ALL\n');
}
