import { findDuckdbConstructs, findOtherResults } from './duckdb-constructs.js';
import type { CrossDialectRenderings, DatePart, Dialect, PortableType, RelationName } from '../../compile/dialect.js';
import type { SourceTable } from '../../project/types.js';
import { bigqueryContractTypes } from './contract-types.js';
import { bigqueryLiteral, bigqueryRelation, parseBigqueryRelation, quoteBigqueryIdentifier } from './identifiers.js';
import { bigqueryEventTimeFilter } from './microbatch.js';

/**
 * GoogleSQL renderings of the cross-dialect helpers. DuckDB's TIMESTAMP (wall clock, no zone)
 * is BigQuery's DATETIME and DuckDB's TIMESTAMPTZ (an instant) is BigQuery's TIMESTAMP.
 */
export const BIGQUERY_TYPES: Record<PortableType, string> = {
  string: 'STRING',
  int: 'INT64',
  float: 'FLOAT64',
  numeric: 'NUMERIC',
  boolean: 'BOOL',
  date: 'DATE',
  timestamp: 'DATETIME',
  timestamp_tz: 'TIMESTAMP',
};

// DuckDB's week starts on Monday (ISO); BigQuery's WEEK starts on Sunday unless told otherwise.
const PART: Record<DatePart, string> = {
  year: 'YEAR',
  quarter: 'QUARTER',
  month: 'MONTH',
  week: 'WEEK(MONDAY)',
  day: 'DAY',
  hour: 'HOUR',
  minute: 'MINUTE',
  second: 'SECOND',
};

/** INTERVAL takes an INT64 expression and a single part; week and quarter become days and months. */
function interval(part: DatePart, amount: string): string {
  if (part === 'week') return `INTERVAL (7 * (${amount})) DAY`;
  if (part === 'quarter') return `INTERVAL (3 * (${amount})) MONTH`;
  return `INTERVAL (${amount}) ${PART[part]}`;
}

/** strftime formats as DuckDB writes them → BigQuery's PARSE_DATETIME format elements. */
export function bigqueryTimeFormat(format: string): string {
  return format
    .replace(/%S\.%f/g, '%E*S')
    .replace(/%-([a-zA-Z])/g, '%$1')
    .replace(/%([fgn])/g, (_m, element: string) => {
      throw new Error(`the format element %${element} of parse_timestamp has no BigQuery equivalent: write seconds with fractions as %S.%f`);
    });
}

const renderings: CrossDialectRenderings = {
  type: (type) => BIGQUERY_TYPES[type],
  cast: (expr, type) => `CAST(${expr} AS ${BIGQUERY_TYPES[type]})`,
  safe_cast: (expr, type) => `SAFE_CAST(${expr} AS ${BIGQUERY_TYPES[type]})`,
  safe_divide: (numerator, denominator) => `SAFE_DIVIDE(${numerator}, ${denominator})`,
  // DATE_TRUNC takes DATE, DATETIME and TIMESTAMP alike (a TIMESTAMP truncates in UTC).
  date_trunc: (part, expr) => `DATE_TRUNC(${expr}, ${PART[part]})`,
  // DATE + INTERVAL is a DATETIME on BigQuery as DATE + INTERVAL is a TIMESTAMP on DuckDB.
  dateadd: (part, amount, expr) => `((${expr}) + ${interval(part, amount)})`,
  // DuckDB's date_diff counts part boundaries crossed, as DATETIME_DIFF does; the casts make it
  // accept DATE, DATETIME and TIMESTAMP (instants compared in UTC).
  datediff: (part, start, end) => `DATETIME_DIFF(CAST(${end} AS DATETIME), CAST(${start} AS DATETIME), ${PART[part]})`,
  extract: (part, expr) => {
    switch (part) {
      case 'week':
        return `EXTRACT(ISOWEEK FROM ${expr})`;
      case 'dow':
        return `(EXTRACT(DAYOFWEEK FROM ${expr}) - 1)`;
      case 'isodow':
        return `(MOD(EXTRACT(DAYOFWEEK FROM ${expr}) + 5, 7) + 1)`;
      case 'doy':
        return `EXTRACT(DAYOFYEAR FROM ${expr})`;
      case 'epoch':
        return `(DATETIME_DIFF(CAST(${expr} AS DATETIME), DATETIME '1970-01-01 00:00:00', MICROSECOND) / 1000000)`;
      default:
        return `EXTRACT(${PART[part]} FROM ${expr})`;
    }
  },
  parse_timestamp: (expr, format) => `PARSE_DATETIME(${bigqueryLiteral(bigqueryTimeFormat(format))}, ${expr})`,
  to_utc: (expr, timeZone) => `TIMESTAMP(${expr}, ${bigqueryLiteral(timeZone)})`,
  from_utc: (expr, timeZone) => `DATETIME(${expr}, ${bigqueryLiteral(timeZone)})`,
  current_timestamp: () => 'CURRENT_TIMESTAMP()',
  string_agg: (expr, separator) => `STRING_AGG(${expr}, ${separator})`,
  // DuckDB's concat skips NULLs and casts its arguments; BigQuery's CONCAT does neither.
  concat: (parts) => `CONCAT(${parts.map(asText).join(', ')})`,
  // BigQuery's GREATEST/LEAST are NULL as soon as one argument is: MAX/MIN over the arguments skip NULLs.
  greatest: (parts) => `(SELECT MAX(v) FROM UNNEST([${parts.join(', ')}]) AS v)`,
  least: (parts) => `(SELECT MIN(v) FROM UNNEST([${parts.join(', ')}]) AS v)`,
  hash: (parts) => `TO_HEX(MD5(CONCAT(${parts.map(asText).join(", '|', ")})))`,
  surrogate_key: (fields) =>
    `TO_HEX(MD5(CAST(CONCAT(${fields.map((f) => `COALESCE(CAST(${f} AS STRING), '_dbt_utils_surrogate_key_null_')`).join(", '-', ")}) AS STRING)))`,
  star_except: (alias, columns) => `${alias ? `${alias}.` : ''}*${columns.length > 0 ? ` EXCEPT (${columns.join(', ')})` : ''}`,
  date_spine: (part, start, end) =>
    part === 'hour' || part === 'minute' || part === 'second'
      ? `SELECT value AS date_${part} FROM UNNEST(GENERATE_TIMESTAMP_ARRAY(CAST(${start} AS TIMESTAMP), TIMESTAMP_SUB(CAST(${end} AS TIMESTAMP), INTERVAL 1 ${part.toUpperCase()}), INTERVAL 1 ${part.toUpperCase()})) AS value`
      : `SELECT value AS date_${part} FROM UNNEST(GENERATE_DATE_ARRAY(CAST(${start} AS DATE), DATE_SUB(CAST(${end} AS DATE), INTERVAL 1 ${part.toUpperCase()}), INTERVAL 1 ${part.toUpperCase()})) AS value`,
  // BigQuery unions by name with CORRESPONDING; the relations must have the same columns.
  union_by_name: () => 'UNION ALL CORRESPONDING',
  except_distinct: () => 'EXCEPT DISTINCT',
  regex_contains: (expr, pattern) => `REGEXP_CONTAINS(${expr}, ${pattern})`,
};

function asText(expr: string): string {
  return `COALESCE(CAST(${expr} AS STRING), '')`;
}

/** The external table BigQuery reads a lake source through (same dataset and name as the source). */
export function externalTableRelation(source: SourceTable, project: string | undefined): string {
  return bigqueryRelation(source.database ?? project, source.schema, source.identifier);
}

/** A BigQuery dialect for one target: relations are qualified with its project (none: the job's project). */
export function createBigqueryDialect({ project }: { project?: string }): Dialect {
  return {
    type: 'bigquery',
    sqlParserDialect: 'bigquery',
    renderings,
    contracts: bigqueryContractTypes,
    quoteIdentifier: quoteBigqueryIdentifier,
    literal: bigqueryLiteral,
    eventTimeFilter: bigqueryEventTimeFilter,
    lint: (sql) => [
      ...findDuckdbConstructs(sql).map((f) => ({ line: f.line, column: f.column, message: `DuckDB-only ${f.construct} ${f.text}: ${f.hint}` })),
      ...findOtherResults(sql).map((f) => ({
        line: f.line,
        column: f.column,
        message: `${f.construct} ${f.text} gives another result on BigQuery: ${f.hint}`,
      })),
    ],
    relation: ({ database, schema, identifier }: RelationName) => bigqueryRelation(database ?? project, schema, identifier),
    sourceRelation(source: SourceTable, _lakeRoot: string | undefined, files?: readonly string[]): string {
      const relation = externalTableRelation(source, project);
      const fileColumn = source.external?.file_name_column;
      if (!source.external || !fileColumn) return relation;
      // Only some files: the _FILE_NAME filter prunes the files BigQuery reads (and bills).
      const only = files ? ` WHERE _FILE_NAME IN (${files.map(bigqueryLiteral).join(', ')})` : '';
      // _FILE_NAME is a pseudo-column: it must be selected by name to become a real column.
      return `(SELECT *, _FILE_NAME AS ${quoteBigqueryIdentifier(fileColumn)} FROM ${relation}${only})`;
    },
    biDataSource(relationName) {
      const parts = parseBigqueryRelation(relationName);
      const projectId = parts?.project ?? project;
      if (!parts || !projectId) return undefined;
      return { connector: 'bigQuery', type: 'TABLE', projectId, datasetId: parts.dataset, tableId: parts.table };
    },
  };
}
