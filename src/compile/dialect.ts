import type { SourceTable } from '../project/types.js';

/** Types a model can name portably; each dialect maps them to its own. */
export type PortableType = 'string' | 'int' | 'float' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'timestamp_tz';
export const PORTABLE_TYPES: readonly PortableType[] = ['string', 'int', 'float', 'numeric', 'boolean', 'date', 'timestamp', 'timestamp_tz'];

export type DatePart = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';
export const DATE_PARTS: readonly DatePart[] = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'];

/**
 * SQL that differs between engines. Every argument named `expr` is a SQL expression written by
 * the model author; the rendering must wrap it so operator precedence cannot leak.
 * A new adapter implements this interface and nothing else in the compiler changes.
 */
export interface CrossDialectRenderings {
  type(type: PortableType): string;
  cast(expr: string, type: PortableType): string;
  safe_cast(expr: string, type: PortableType): string;
  safe_divide(numerator: string, denominator: string): string;
  date_trunc(part: DatePart, expr: string): string;
  dateadd(part: DatePart, amount: string, expr: string): string;
  datediff(part: DatePart, start: string, end: string): string;
  extract(part: DatePart | 'dow' | 'isodow' | 'doy' | 'epoch', expr: string): string;
  /** A local wall-clock timestamp string parsed with a strftime-style format. */
  parse_timestamp(expr: string, format: string): string;
  /** A local wall-clock TIMESTAMP in `timeZone` → the UTC instant (TIMESTAMPTZ / TIMESTAMP). */
  to_utc(expr: string, timeZone: string): string;
  /** A UTC instant → local wall-clock TIMESTAMP in `timeZone`. */
  from_utc(expr: string, timeZone: string): string;
  current_timestamp(): string;
  string_agg(expr: string, separator: string): string;
  concat(parts: string[]): string;
  /** The largest / smallest argument, NULL arguments skipped (NULL only when all are NULL), on every engine. */
  greatest(parts: string[]): string;
  least(parts: string[]): string;
  hash(parts: string[]): string;
  /** dbt_utils.generate_surrogate_key's value: md5 (hex) of the fields, NULLs marked, '-' between. */
  surrogate_key(fields: string[]): string;
  /** `alias.*` without some columns (DuckDB EXCLUDE, BigQuery EXCEPT). */
  star_except(alias: string | undefined, columns: string[]): string;
  /** One row per `part` from start (included) to end (excluded), in column `date_<part>`. */
  date_spine(part: DatePart, start: string, end: string): string;
  /** The set operator that unions queries by column name. */
  union_by_name(): string;
  /** Rows of one query not in another, duplicates removed (BigQuery spells DISTINCT out). */
  except_distinct(): string;
  /** Whether `expr` contains a match of the regular expression `pattern` (a SQL string). */
  regex_contains(expr: string, pattern: string): string;
}

/** The constraint types of a model contract (dbt's names). */
export type ConstraintType = 'not_null' | 'unique' | 'primary_key' | 'foreign_key' | 'check' | 'custom';
export const CONSTRAINT_TYPES: readonly ConstraintType[] = ['not_null', 'unique', 'primary_key', 'foreign_key', 'check', 'custom'];

/** What an engine does with a declared constraint: checks every write, records it only, or cannot apply it. */
export type ConstraintSupport = 'enforced' | 'not_enforced' | 'not_supported';

/** How an engine names column types and treats constraints: what model contracts need of it. */
export interface ContractTypes {
  readonly constraints: Readonly<Record<ConstraintType, ConstraintSupport>>;
  /** Why a constraint type is not applied, when there is more to say than "not supported". */
  readonly notes?: Readonly<Partial<Record<ConstraintType, string>>>;
  /** A type in the engine's canonical spelling, without size, precision or scale: INT4 and INTEGER compare equal. */
  normalize(type: string): string;
  /** Whether the engine knows the type's name (a contract naming another engine's type gets a warning). */
  knows(type: string): boolean;
}

export interface RelationName {
  database?: string;
  schema: string;
  identifier: string;
}

/** Everything the compiler needs from an engine, with no connection. */
export interface Dialect {
  readonly type: string;
  readonly renderings: CrossDialectRenderings;
  quoteIdentifier(name: string): string;
  relation(name: RelationName): string;
  /**
   * How `{{source …}}` renders: a table name, or a reader over lake files for external sources
   * (over `files` only, when given: the paths the reader reports in file_name_column).
   */
  sourceRelation(source: SourceTable, lakeRoot: string | undefined, files?: readonly string[]): string;
  /** String literal with the engine's escaping. */
  literal(value: string): string;
  /**
   * A condition keeping the rows whose (quoted) column is in [start, end), two ISO instants: how a
   * microbatch model reads an upstream with event_time. Absent: the engine has no microbatch.
   */
  eventTimeFilter?(column: string, start: string, end: string): string;
  /**
   * Constructs in compiled SQL that this engine would reject or read differently (DuckDB-only
   * syntax compiled for BigQuery), reported as warnings by compile and run.
   */
  lint?(sql: string): Array<{ line: number; column: number; message: string }>;
  /**
   * The SQL dialect of compiled SQL as `@polyglot-sql/sdk` names it, for the column lineage of
   * `docs generate`; absent: its generic dialect.
   */
  readonly sqlParserDialect?: string;
  /**
   * A relation as a BI tool's connector names it (Looker Studio's Linking API parameters of its
   * BigQuery connector), for engines such tools read directly; undefined elsewhere.
   */
  biDataSource?(relationName: string): Readonly<Record<string, string>> | undefined;
  /** Type names and constraint support for model contracts; absent: types compare as written, no constraint is applied. */
  readonly contracts?: ContractTypes;
}
