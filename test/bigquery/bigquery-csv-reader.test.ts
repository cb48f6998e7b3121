/** The offline BigQuery CSV reader on the quirks of the lake files (../shared/data/PROVENANCE.md). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExternalTableDefinition } from '../../src/adapters/bigquery/external.js';
import { readExternalTable } from './bigquery-csv-reader.js';

const root = mkdtempSync(join(tmpdir(), 'tsdbt-bq-csv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const lake = { gcsRoot: 'gs://bucket/eco2mix', localRoot: root };

function definition(folder: string, columns: string[], options: Array<[string, unknown]>): ExternalTableDefinition {
  return {
    dataset: 'rte',
    relation: '`p.rte.t`',
    options: [['format', 'CSV'], ['uris', [`gs://bucket/eco2mix/${folder}/*`]], ...options],
    columns: columns.map((name) => ({ name, type: 'STRING', description: '' })),
  };
}

function files(folder: string, content: Record<string, Buffer | string>): void {
  mkdirSync(join(root, folder), { recursive: true });
  for (const [name, bytes] of Object.entries(content)) writeFileSync(join(root, folder, name), bytes);
}

describe('BigQuery CSV reading of the lake, offline', () => {
  it("RTE's xls: Latin-1, TAB, a trailing TAB on every row, a one-field disclaimer, blank lines", () => {
    const latin1 = Buffer.from(
      'Périmètre\tDate\tConso\nFrance\t2024-03-31\t51234\t\nFrance\t2024-03-31\t\t\n\nRTE ne pourra être tenu responsable\n',
      'latin1',
    );
    files('xls', { 'a.xls': latin1 });
    const table = readExternalTable(
      definition(
        'xls',
        ['Perimetre', 'Date', 'Conso'],
        [
          ['field_delimiter', '\t'],
          ['encoding', 'ISO-8859-1'],
          ['allow_jagged_rows', true],
          ['ignore_unknown_values', true],
          ['skip_leading_rows', 1],
        ],
      ),
      lake,
    );
    expect(table.name).toBe('p.rte.t');
    expect(table.columns.at(-1)).toEqual({ name: '_FILE_NAME', type: 'STRING', pseudo: true });
    expect(table.rows).toEqual([
      ['France', '2024-03-31', '51234', 'gs://bucket/eco2mix/xls/a.xls'],
      // The empty field is NULL (the default null marker); the extra trailing field is dropped.
      ['France', '2024-03-31', null, 'gs://bucket/eco2mix/xls/a.xls'],
      // The disclaimer: one field, padded with NULLs under allow_jagged_rows.
      ['RTE ne pourra être tenu responsable', null, null, 'gs://bucket/eco2mix/xls/a.xls'],
    ]);
  });

  it('ODRE exports: UTF-8 with a BOM on the skipped header, CRLF, `;`, a null marker, quoted fields with "" escapes', () => {
    files('odre', {
      'x.csv': '\uFEFFcode;forme;valeur\r\n93;"{""type"": ""Polygon""}";NA\r\n84;"";12.5\r\n',
      'y.csv': 'code;forme;valeur\r\n11;plain;0\r\n',
    });
    const table = readExternalTable(
      definition(
        'odre',
        ['code', 'forme', 'valeur'],
        [
          ['field_delimiter', ';'],
          ['null_marker', 'NA'],
          ['skip_leading_rows', 1],
        ],
      ),
      lake,
    );
    expect(table.rows).toEqual([
      ['93', '{"type": "Polygon"}', null, 'gs://bucket/eco2mix/odre/x.csv'],
      // A quoted empty field is an empty string, not NULL.
      ['84', '', '12.5', 'gs://bucket/eco2mix/odre/x.csv'],
      ['11', 'plain', '0', 'gs://bucket/eco2mix/odre/y.csv'],
    ]);
  });

  it('without allow_jagged_rows a short row is a bad record, and bad records beyond max_bad_records fail the read', () => {
    files('strict', { 's.csv': 'a,b\n1,2\n3\n' });
    const strict = definition('strict', ['a', 'b'], [['skip_leading_rows', 1]]);
    expect(() => readExternalTable(strict, lake)).toThrow(/1 bad records .* more than max_bad_records 0/);
    expect(readExternalTable({ ...strict, options: [...strict.options, ['max_bad_records', 1]] }, lake).rows).toEqual([
      ['1', '2', 'gs://bucket/eco2mix/strict/s.csv'],
    ]);
  });

  it('a quoted newline is an error unless allow_quoted_newlines', () => {
    files('quoted', { 'q.csv': 'a,b\n"x\ny",2\n' });
    const quoted = definition('quoted', ['a', 'b'], [['skip_leading_rows', 1]]);
    expect(() => readExternalTable(quoted, lake)).toThrow(/q\.csv:2: a quoted field spans lines/);
    expect(readExternalTable({ ...quoted, options: [...quoted.options, ['allow_quoted_newlines', true]] }, lake).rows).toEqual([
      ['x\ny', '2', 'gs://bucket/eco2mix/quoted/q.csv'],
    ]);
  });
});
