import type { SourceTable } from '../../project/types.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { BIGQUERY_TYPES, externalTableRelation } from './dialect.js';
import { bigqueryLiteral, bigqueryName, optionValue, quoteBigqueryIdentifier } from './identifiers.js';
import type { PortableType } from '../../compile/dialect.js';

const FORMATS = { csv: 'CSV', parquet: 'PARQUET', json: 'NEWLINE_DELIMITED_JSON' } as const;

const ENCODINGS: Record<string, string> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'latin-1': 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  'iso-8859-1': 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  'utf-16': 'UTF-16LE',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};

// DuckDB reader options that have no BigQuery counterpart and change nothing there: BigQuery
// detects compression, reads in parallel and keeps no rejects table.
const IGNORED = new Set([
  'auto_detect',
  'sample_size',
  'parallel',
  'store_rejects',
  'rejects_table',
  'rejects_scan',
  'rejects_limit',
  'filename',
  'union_by_name',
  'normalize_names',
  'dateformat',
  'timestampformat',
  'new_line',
  'max_line_size',
  'buffer_size',
  'hive_types_autocast',
  'binary_as_string',
  'maximum_object_size',
  'records',
  'format',
]);

const DUCKDB_TYPES: Record<string, string> = {
  varchar: 'STRING',
  text: 'STRING',
  string: 'STRING',
  bigint: 'INT64',
  integer: 'INT64',
  int: 'INT64',
  smallint: 'INT64',
  tinyint: 'INT64',
  hugeint: 'BIGNUMERIC',
  double: 'FLOAT64',
  float: 'FLOAT64',
  real: 'FLOAT64',
  boolean: 'BOOL',
  bool: 'BOOL',
  date: 'DATE',
  timestamp: 'DATETIME',
  timestamptz: 'TIMESTAMP',
  'timestamp with time zone': 'TIMESTAMP',
  time: 'TIME',
  decimal: 'NUMERIC',
  numeric: 'NUMERIC',
  blob: 'BYTES',
};

/** A column type written for DuckDB or portably (`float`, `VARCHAR`, `DECIMAL(18,3)`) → BigQuery. */
export function bigqueryColumnType(type: string): string {
  const lower = type.trim().toLowerCase();
  if (lower in BIGQUERY_TYPES) return BIGQUERY_TYPES[lower as PortableType];
  const base = lower.replace(/\s*\(.*$/, '');
  return DUCKDB_TYPES[lower] ?? DUCKDB_TYPES[base] ?? type.trim().toUpperCase();
}

export interface ExternalTablePlan {
  dataset: string;
  relation: string;
  statement: string;
}

/** An external table as BigQuery receives it: the options of its DDL and its declared columns. */
export interface ExternalTableDefinition {
  dataset: string;
  relation: string;
  options: Array<[string, unknown]>;
  /** In file order; unset when BigQuery detects the schema. */
  columns?: Array<{ name: string; type: string; description: string }>;
}

function sourceError(source: SourceTable, message: string, hint: string): TsdbtError {
  return new TsdbtError(`source ${source.sourceName}.${source.name}: ${message}`, {
    code: 'E_EXTERNAL_SOURCE',
    kind: 'project',
    location: source.location,
    nodeId: source.uniqueId,
    hint,
  });
}

/** The lake location as GCS URIs: one `*` per URI (BigQuery's rule); `**` globs collapse into it. */
export function gcsUris(source: SourceTable, lakeRoot: string | undefined): string[] {
  const location = source.external!.location;
  let uri: string;
  if (/^gs:\/\//.test(location)) uri = location;
  else {
    if (!lakeRoot || !/^gs:\/\//.test(lakeRoot)) {
      throw sourceError(
        source,
        `its lake location "${location}" is relative, and the target's lake is ${lakeRoot ? `"${lakeRoot}", not a gs:// location` : 'not set'}`,
        "set lake: 'gs://bucket/prefix' on the bigquery target (and upload the files with tsdbt lake push)",
      );
    }
    uri = `${lakeRoot.replace(/\/+$/, '')}/${location.replace(/^\.?\/+/, '')}`;
  }
  uri = uri.replace(/\*\*\/\*/g, '*').replace(/\*\*/g, '*');
  if ((uri.match(/\*/g) ?? []).length > 1 || /[?[\]{}]/.test(uri.slice(5))) {
    throw sourceError(source, `"${uri}" has more than one wildcard`, 'BigQuery accepts one * per URI, e.g. folder/*.csv (it also matches sub-folders)');
  }
  return [uri];
}

/**
 * `CREATE OR REPLACE EXTERNAL TABLE` for a source with `external:`: the DuckDB reader options of
 * the source YAML mapped to BigQuery's (delim → field_delimiter, encoding latin-1 → ISO-8859-1,
 * header/skip → skip_leading_rows, nullstr → null_marker(s), null_padding → allow_jagged_rows and
 * ignore_unknown_values), plus `config: {bigquery_options: {...}}` passed through as written.
 */
export function externalTableStatement(source: SourceTable, lakeRoot: string | undefined, project: string | undefined): ExternalTablePlan {
  const { dataset, relation, options, columns } = externalTableDefinition(source, lakeRoot, project);
  const lines = [`CREATE OR REPLACE EXTERNAL TABLE ${relation}`];
  if (columns) {
    const rendered = columns.map(({ name, type, description }) => {
      const doc = description ? ` OPTIONS(description = ${bigqueryLiteral(description)})` : '';
      return `  ${quoteBigqueryIdentifier(name)} ${type}${doc}`;
    });
    lines.push(`(\n${rendered.join(',\n')}\n)`);
  }
  lines.push(`OPTIONS (\n${options.map(([k, v]) => `  ${k} = ${optionValue(v)}`).join(',\n')}\n)`);
  return { dataset, relation, statement: lines.join('\n') };
}

/** The definition externalTableStatement writes (also what an offline reader of the lake follows). */
export function externalTableDefinition(source: SourceTable, lakeRoot: string | undefined, project: string | undefined): ExternalTableDefinition {
  const external = source.external!;
  const format = FORMATS[external.format ?? 'csv'];
  const options: Array<[string, unknown]> = [
    ['format', format],
    ['uris', gcsUris(source, lakeRoot)],
  ];
  let skip = 0;
  let hasSkip = false;
  let allVarchar = false;
  let declaredTypes: Record<string, string> | undefined;
  let typeOverrides: Record<string, string> = {};

  for (const [key, value] of Object.entries(external.options ?? {})) {
    const k = key.toLowerCase();
    if (IGNORED.has(k)) continue;
    if (format !== 'CSV' && !['columns', 'types', 'dtypes', 'ignore_errors', 'compression'].includes(k)) {
      throw sourceError(
        source,
        `reader option "${key}" has no BigQuery meaning for ${external.format} files`,
        'remove it, or move BigQuery settings under config: {bigquery_options: {...}}',
      );
    }
    switch (k) {
      case 'delim':
      case 'sep':
      case 'delimiter':
        options.push(['field_delimiter', String(value)]);
        break;
      case 'header':
        if (value === true) {
          skip += 1;
          hasSkip = true;
        }
        break;
      case 'skip':
        skip += Number(value);
        hasSkip = true;
        break;
      case 'encoding': {
        const encoding = ENCODINGS[String(value).toLowerCase()];
        if (!encoding)
          throw sourceError(source, `encoding "${String(value)}" is not one BigQuery reads`, 'BigQuery reads UTF-8, ISO-8859-1 (latin-1), UTF-16 and UTF-32');
        options.push(['encoding', encoding]);
        break;
      }
      case 'quote':
        options.push(['quote', String(value)]);
        break;
      case 'escape':
        if (value !== '"' && value !== external.options?.quote) {
          throw sourceError(source, `escape "${String(value)}" is not supported by BigQuery`, 'BigQuery CSV escapes a quote by doubling it');
        }
        break;
      case 'nullstr':
      case 'null':
        if (Array.isArray(value)) options.push(['null_markers', value.map(String)]);
        else options.push(['null_marker', String(value)]);
        break;
      case 'null_padding':
        // DuckDB pads short rows and tolerates the trailing field of RTE's rows: BigQuery needs both.
        if (value === true) options.push(['allow_jagged_rows', true], ['ignore_unknown_values', true]);
        break;
      case 'all_varchar':
        allVarchar = value === true;
        break;
      case 'columns':
        declaredTypes = value as Record<string, string>;
        break;
      case 'types':
      case 'dtypes':
        typeOverrides = value as Record<string, string>;
        break;
      case 'ignore_errors':
        if (value === true) options.push(['max_bad_records', 2147483647]);
        break;
      case 'compression':
        if (String(value).toLowerCase() === 'gzip') options.push(['compression', 'GZIP']);
        break;
      case 'strict_mode':
        break;
      default:
        throw sourceError(
          source,
          `reader option "${key}" has no BigQuery mapping`,
          'supported: delim, header, skip, encoding, quote, nullstr, null_padding, all_varchar, columns, types, ignore_errors, compression; BigQuery-only options go under config: {bigquery_options: {...}}',
        );
    }
  }
  if (hasSkip && format === 'CSV') options.push(['skip_leading_rows', skip]);
  if (source.description) options.push(['description', source.description.trim()]);
  const passthrough = (source.config as Record<string, unknown>).bigquery_options;
  if (passthrough !== undefined) {
    if (typeof passthrough !== 'object' || passthrough === null || Array.isArray(passthrough)) {
      throw sourceError(
        source,
        'config.bigquery_options must be a mapping of BigQuery external table options',
        'e.g. config: {bigquery_options: {max_bad_records: 10}}',
      );
    }
    for (const [key, value] of Object.entries(passthrough)) {
      const at = options.findIndex(([k]) => k === key);
      if (at >= 0) options.splice(at, 1);
      options.push([key, value]);
    }
  }

  const columns = externalColumns(source, allVarchar, declaredTypes, typeOverrides);
  return { dataset: source.schema, relation: externalTableRelation(source, project), options, ...(columns ? { columns } : {}) };
}

/**
 * An explicit schema when the source says how to type its columns (all_varchar, or a DuckDB
 * `columns` list): by position, in the order of `columns` or of the YAML column list, without the
 * file-name column (BigQuery's _FILE_NAME). Otherwise BigQuery detects the schema.
 */
function externalColumns(
  source: SourceTable,
  allVarchar: boolean,
  declared: Record<string, string> | undefined,
  overrides: Record<string, string>,
): ExternalTableDefinition['columns'] {
  const fileColumn = source.external?.file_name_column;
  let entries: Array<[string, string, string]>;
  if (declared) {
    entries = Object.entries(declared).map(([name, type]) => [name, allVarchar ? 'STRING' : bigqueryColumnType(type), source.columns[name]?.description ?? '']);
  } else if (allVarchar) {
    entries = Object.values(source.columns)
      .filter((c) => c.name !== fileColumn)
      .map((c) => [c.name, 'STRING', c.description]);
    if (entries.length === 0) return undefined;
  } else {
    return undefined;
  }
  const seen = new Map<string, string>();
  return entries.map(([name, type, description]) => {
    const finalType = overrides[name] ? bigqueryColumnType(overrides[name]!) : type;
    const clean = bigqueryName(name);
    const clash = seen.get(clean.toLowerCase());
    if (clash !== undefined) {
      throw sourceError(
        source,
        `columns "${clash}" and "${name}" both become ${clean} on BigQuery`,
        'BigQuery column names keep letters, digits and _: rename one of them',
      );
    }
    seen.set(clean.toLowerCase(), name);
    return { name: clean, type: finalType, description: description.trim() };
  });
}
