/**
 * GoogleSQL's reference engine (ZetaSQL's evaluator): values of every type tsdbt reads cross in
 * both directions unchanged, and BigQuery's semantics are the engine's (not DuckDB's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceEngine, type ReferenceTable, startReferenceEngine } from '../../src/adapters/bigquery/reference-engine.js';
import { zetasqlUnavailable } from '../../src/adapters/bigquery/zetasql-service.js';

const unavailable = zetasqlUnavailable();
if (unavailable) console.warn(`SKIPPED: the reference engine tests (${unavailable})`);

let engine: ReferenceEngine;
beforeAll(async () => {
  if (!unavailable) engine = await startReferenceEngine();
});
afterAll(() => engine?.close());

const TABLE: ReferenceTable = {
  name: 'p.d.t',
  columns: [
    { name: 's', type: 'STRING' },
    { name: 'i', type: 'INT64' },
    { name: 'f', type: 'FLOAT64' },
    { name: 'n', type: 'NUMERIC' },
    { name: 'b', type: 'BOOL' },
    { name: 'd', type: 'DATE' },
    { name: 'dt', type: 'DATETIME' },
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'tm', type: 'TIME' },
    { name: '_FILE_NAME', type: 'STRING', pseudo: true },
  ],
  rows: [
    ['é;x', 9007199254740993n, 2.5, '-12.345', true, '2024-03-31', '2024-03-31 02:30:00.123456', '2024-03-31T01:00:00.5Z', '23:59:58.25', 'gs://b/f.csv'],
    [null, -1n, -0.125, '0', false, '1969-12-31', '1999-12-31 23:59:59', '1970-01-01T00:00:00Z', '00:00:00', 'gs://b/g.csv'],
    [null, null, null, null, null, null, null, null, null, null],
  ],
};

describe.skipIf(unavailable)('the reference engine', () => {
  it('returns the values it was given, typed, for every column type', async () => {
    const result = await engine.query('select *, _FILE_NAME as file from `p.d.t` order by i desc', [TABLE]);
    expect(result.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
      's STRING',
      'i INT64',
      'f FLOAT64',
      'n NUMERIC',
      'b BOOL',
      'd DATE',
      'dt DATETIME',
      'ts TIMESTAMP',
      'tm TIME',
      'file STRING',
    ]);
    expect(result.rows).toEqual([
      [
        'é;x',
        9007199254740993n,
        2.5,
        '-12.345',
        true,
        '2024-03-31',
        '2024-03-31 02:30:00.123456',
        '2024-03-31T01:00:00.500000Z',
        '23:59:58.250000',
        'gs://b/f.csv',
      ],
      [null, -1n, -0.125, '0', false, '1969-12-31', '1999-12-31 23:59:59', '1970-01-01T00:00:00Z', '00:00:00', 'gs://b/g.csv'],
      [null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it("has BigQuery's semantics: NULLs first, CONCAT of NULL, time zones over DST", async () => {
    const result = await engine.query(
      `select i, rank() over (order by f) as r, concat(s, 'x') as c,
         timestamp(datetime '2024-03-31 02:30:00', 'Europe/Paris') as gap,
         extract(week from d) as week, greatest(f, null) as g
       from \`p.d.t\` order by i`,
      [TABLE],
    );
    // ORDER BY puts NULL first in BigQuery (DuckDB: last).
    expect(result.rows.map((r) => [r[0], r[1]])).toEqual([
      [null, 1n],
      [-1n, 2n],
      [9007199254740993n, 3n],
    ]);
    expect(result.rows.map((r) => r[2])).toEqual([null, null, 'é;xx']);
    // 02:30 does not exist in Paris that night: BigQuery takes the offset before the gap (+01:00).
    expect(result.rows[2]![3]).toBe('2024-03-31T01:30:00Z');
    // WEEK is Sunday-based: Sunday 2024-03-31 starts week 13.
    expect(result.rows[2]![4]).toBe(13n);
    expect(result.rows.map((r) => r[5])).toEqual([null, null, null]);
  });

  it("runs in BigQuery's default time zone, UTC", async () => {
    const result = await engine.query("select cast(timestamp '2024-03-10 12:00:00+00' as datetime) as dt, date(timestamp '2024-03-10 23:30:00+00') as d", []);
    expect(result.rows).toEqual([['2024-03-10 12:00:00', '2024-03-10']]);
  });

  it('rejects a query the engine refuses, with its message', async () => {
    await expect(engine.query('select no_such_column from `p.d.t`', [TABLE])).rejects.toThrow(/Unrecognized name: no_such_column/);
    await expect(engine.query('select 1 / 0', [])).rejects.toThrow(/division by zero/i);
  });
});
