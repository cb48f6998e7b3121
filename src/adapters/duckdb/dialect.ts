import { isAbsolute, join } from 'node:path';
import type { CrossDialectRenderings, Dialect, PortableType, RelationName } from '../../compile/dialect.js';
import type { SourceTable } from '../../project/types.js';
import { duckdbContractTypes } from './contract-types.js';

const TYPES: Record<PortableType, string> = {
  string: 'VARCHAR',
  int: 'BIGINT',
  float: 'DOUBLE',
  numeric: 'DECIMAL(38, 9)',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamp_tz: 'TIMESTAMPTZ',
};

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
// DuckDB's reserved words: as bare identifiers they are syntax errors (a model named `order`).
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create ' +
    'current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc ' +
    'distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order pivot pivot_longer pivot_wider placing ' +
    'primary qualify references returning select session_user some symmetric table then to trailing true union ' +
    'unique unpivot using variadic when where window with'
  ).split(' '),
);

export function quoteDuckdbIdentifier(name: string): string {
  return PLAIN_IDENTIFIER.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function duckdbLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const renderings: CrossDialectRenderings = {
  type: (type) => TYPES[type],
  cast: (expr, type) => `CAST(${expr} AS ${TYPES[type]})`,
  safe_cast: (expr, type) => `TRY_CAST(${expr} AS ${TYPES[type]})`,
  safe_divide: (numerator, denominator) => `((${numerator}) / NULLIF(${denominator}, 0))`,
  date_trunc: (part, expr) => `date_trunc('${part}', ${expr})`,
  dateadd: (part, amount, expr) => `(${expr} + (${amount}) * INTERVAL 1 ${part})`,
  datediff: (part, start, end) => `date_diff('${part}', ${start}, ${end})`,
  extract: (part, expr) => `extract(${part} FROM ${expr})`,
  parse_timestamp: (expr, format) => `strptime(${expr}, ${duckdbLiteral(format)})`,
  to_utc: (expr, timeZone) => `timezone(${duckdbLiteral(timeZone)}, ${expr})`,
  from_utc: (expr, timeZone) => `timezone(${duckdbLiteral(timeZone)}, CAST(${expr} AS TIMESTAMPTZ))`,
  current_timestamp: () => 'current_timestamp',
  string_agg: (expr, separator) => `string_agg(${expr}, ${separator})`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  // DuckDB's greatest/least skip NULL arguments: the helpers' contract.
  greatest: (parts) => `greatest(${parts.join(', ')})`,
  least: (parts) => `least(${parts.join(', ')})`,
  hash: (parts) => `md5(concat_ws('|', ${parts.map((p) => `coalesce(CAST(${p} AS VARCHAR), '')`).join(', ')}))`,
  surrogate_key: (fields) => `md5(CAST(${fields.map((f) => `coalesce(CAST(${f} AS VARCHAR), '${SURROGATE_NULL}')`).join(" || '-' || ")} AS VARCHAR))`,
  star_except: (alias, columns) => `${alias ? `${alias}.` : ''}*${columns.length > 0 ? ` EXCLUDE (${columns.join(', ')})` : ''}`,
  date_spine: (part, start, end) =>
    `SELECT CAST(spine.value AS ${part === 'hour' || part === 'minute' || part === 'second' ? 'TIMESTAMP' : 'DATE'}) AS date_${part} FROM range(CAST(${start} AS TIMESTAMP), CAST(${end} AS TIMESTAMP), INTERVAL 1 ${part}) AS spine(value)`,
  union_by_name: () => 'UNION ALL BY NAME',
  except_distinct: () => 'EXCEPT',
  regex_contains: (expr, pattern) => `regexp_matches(${expr}, ${pattern})`,
};

/** dbt_utils' marker for a NULL field in a surrogate key (the same keys as dbt computes). */
const SURROGATE_NULL = '_dbt_utils_surrogate_key_null_';

const READERS = { csv: 'read_csv', parquet: 'read_parquet', json: 'read_json' } as const;

function optionValue(value: unknown): string {
  if (typeof value === 'string') return duckdbLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'NULL';
  if (Array.isArray(value)) return `[${value.map(optionValue).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${duckdbLiteral(k)}: ${optionValue(v)}`)
      .join(', ')}}`;
  }
  return duckdbLiteral(String(value));
}

/** Where an external source's files are: its location, under the lake root unless absolute (a glob DuckDB expands). */
export function lakeLocation(source: SourceTable, lakeRoot: string | undefined): string {
  const location = source.external?.location ?? '';
  return isAbsolute(location) || !lakeRoot ? location : join(lakeRoot, location);
}

export const duckdbDialect: Dialect = {
  type: 'duckdb',
  sqlParserDialect: 'duckdb',
  renderings,
  contracts: duckdbContractTypes,
  quoteIdentifier: quoteDuckdbIdentifier,
  literal: duckdbLiteral,
  eventTimeFilter: (column, start, end) => `${column} >= TIMESTAMPTZ ${duckdbLiteral(start)} AND ${column} < TIMESTAMPTZ ${duckdbLiteral(end)}`,
  relation({ schema, identifier }: RelationName): string {
    return `${quoteDuckdbIdentifier(schema)}.${quoteDuckdbIdentifier(identifier)}`;
  },
  sourceRelation(source: SourceTable, lakeRoot: string | undefined, files?: readonly string[]): string {
    const external = source.external;
    if (!external) {
      return `${quoteDuckdbIdentifier(source.schema)}.${quoteDuckdbIdentifier(source.identifier)}`;
    }
    const args = [files ? `[${files.map(duckdbLiteral).join(', ')}]` : duckdbLiteral(lakeLocation(source, lakeRoot))];
    for (const [key, value] of Object.entries(external.options ?? {})) args.push(`${key} = ${optionValue(value)}`);
    if (external.file_name_column) args.push(`filename = ${duckdbLiteral(external.file_name_column)}`);
    return `${READERS[external.format ?? 'csv']}(${args.join(', ')})`;
  },
};
