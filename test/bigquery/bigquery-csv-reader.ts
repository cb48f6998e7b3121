/**
 * The rows BigQuery's CSV reader delivers for one of our external tables, read from the local
 * lake instead of Cloud Storage: what the differential harness feeds the reference engine. It
 * follows the definition tsdbt sends (src/adapters/bigquery/external.ts) and BigQuery's
 * documented rules: records end at LF, CRLF or CR; `skip_leading_rows` per file; fields split on
 * `field_delimiter` and the quote (default `"`, doubled inside a quoted field; a quoted newline is
 * an error unless allow_quoted_newlines); the bytes decoded with `encoding` (UTF-8 or
 * ISO-8859-1); a field equal to the null marker (default: the empty field) is NULL, a quoted empty
 * field is the empty string; a short row is padded with NULLs under allow_jagged_rows and a long
 * one cut under ignore_unknown_values, otherwise either is a bad record (more than
 * max_bad_records fail the read); `_FILE_NAME` is the object's gs:// URI.
 *
 * Assumed where BigQuery's documentation is silent: an empty record (a blank line) is skipped,
 * as DuckDB does. Only STRING columns are read (the reference project declares every lake column
 * as text, `all_varchar`); another declared type is refused rather than guessed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExternalTableDefinition } from '../../src/adapters/bigquery/external.js';
import type { ReferenceTable, ReferenceValue } from '../../src/adapters/bigquery/reference-engine.js';

export interface LakeMapping {
  /** The target's `lake:` (gs://bucket/prefix). */
  gcsRoot: string;
  /** The local folder holding the same files. */
  localRoot: string;
}

export function readExternalTable(definition: ExternalTableDefinition, lake: LakeMapping): ReferenceTable {
  const options = new Map(definition.options);
  if (options.get('format') !== 'CSV') throw new Error(`${definition.relation}: only CSV external tables are read offline`);
  if (!definition.columns) throw new Error(`${definition.relation}: BigQuery would detect the schema; the offline reader needs declared columns`);
  const declared = definition.columns.filter((c) => c.type !== 'STRING');
  if (declared.length > 0)
    throw new Error(`${definition.relation}: column ${declared[0]!.name} is ${declared[0]!.type}; the offline reader reads STRING columns only`);
  const csv: CsvOptions = {
    delimiter: String(options.get('field_delimiter') ?? ','),
    quote: String(options.get('quote') ?? '"'),
    encoding: options.get('encoding') === 'ISO-8859-1' ? 'latin1' : 'utf8',
    skip: Number(options.get('skip_leading_rows') ?? 0),
    nullMarkers: new Set((options.get('null_markers') as string[] | undefined) ?? [String(options.get('null_marker') ?? '')]),
    jagged: options.get('allow_jagged_rows') === true,
    ignoreUnknown: options.get('ignore_unknown_values') === true,
    quotedNewlines: options.get('allow_quoted_newlines') === true,
    maxBad: Number(options.get('max_bad_records') ?? 0),
  };
  const width = definition.columns.length;
  const rows: ReferenceValue[][] = [];
  let bad = 0;
  for (const uri of options.get('uris') as string[]) {
    for (const file of lakeFiles(uri, lake)) {
      const gcsUri = `${lake.gcsRoot.replace(/\/+$/, '')}/${relative(lake.localRoot, file).split('\\').join('/')}`;
      for (const fields of parseRecords(readFileSync(file), csv, gcsUri)) {
        if ((fields.length < width && !csv.jagged) || (fields.length > width && !csv.ignoreUnknown)) {
          bad++;
          continue;
        }
        const values = fields.slice(0, width);
        while (values.length < width) values.push(null);
        rows.push([...values, gcsUri]);
      }
    }
  }
  if (bad > csv.maxBad)
    throw new Error(`${definition.relation}: ${bad} bad records (rows with the wrong number of fields), more than max_bad_records ${csv.maxBad}`);
  return {
    name: definition.relation.replace(/`/g, ''),
    columns: [...definition.columns.map((c) => ({ name: c.name, type: 'STRING' as const })), { name: '_FILE_NAME', type: 'STRING', pseudo: true }],
    rows,
  };
}

interface CsvOptions {
  delimiter: string;
  quote: string;
  encoding: 'utf8' | 'latin1';
  skip: number;
  nullMarkers: Set<string>;
  jagged: boolean;
  ignoreUnknown: boolean;
  quotedNewlines: boolean;
  maxBad: number;
}

/** The local files a gs:// URI with at most one `*` names (the `*` matches across folders, as in GCS). */
function lakeFiles(uri: string, lake: LakeMapping): string[] {
  const root = lake.gcsRoot.replace(/\/+$/, '');
  if (!uri.startsWith(`${root}/`)) throw new Error(`${uri} is not under the lake ${root}`);
  const pattern = uri.slice(root.length + 1);
  const matcher = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return readdirSync(lake.localRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => matcher.test(relative(lake.localRoot, file).split('\\').join('/')))
    .sort();
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Every record of a file after the skipped leading rows, as its fields (null where the null marker). */
function parseRecords(bytes: Buffer, csv: CsvOptions, file: string): ReferenceValue[][] {
  const text = bytes.toString(csv.encoding);
  const records: ReferenceValue[][] = [];
  let fields: ReferenceValue[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let inQuotes = false;
  let line = 1;
  let seen = 0;
  const endField = () => {
    fields.push(wasQuoted ? field : csv.nullMarkers.has(field) ? null : field);
    field = '';
    wasQuoted = false;
    quoted = false;
  };
  const endRecord = () => {
    const blank = fields.length === 0 && field === '' && !wasQuoted;
    if (!blank) {
      endField();
      if (seen++ >= csv.skip) records.push(fields);
    }
    fields = [];
    field = '';
    wasQuoted = false;
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inQuotes) {
      if (char === csv.quote) {
        if (text[i + 1] === csv.quote) {
          field += csv.quote;
          i++;
        } else inQuotes = false;
      } else {
        if ((char === '\n' || char === '\r') && !csv.quotedNewlines)
          throw new Error(`${file}:${line}: a quoted field spans lines (BigQuery needs allow_quoted_newlines)`);
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === csv.quote && field === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      wasQuoted = true;
    } else if (char === csv.delimiter) endField();
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
    } else field += char;
  }
  if (inQuotes) throw new Error(`${file}:${line}: a quoted field is not closed`);
  endRecord();
  return records;
}
