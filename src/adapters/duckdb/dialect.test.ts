import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdbDialect } from './dialect.js';

const r = duckdbDialect.renderings;
let instance: DuckDBInstance;
async function value(sql: string): Promise<unknown> {
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT ${sql} AS v`);
    return reader.getRowObjectsJson()[0]!.v;
  } finally {
    connection.closeSync();
  }
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
});
afterAll(() => instance.closeSync());

// Each rendering is executed on a real DuckDB: the SQL must be valid and mean what it says.
describe('duckdb cross-dialect renderings', () => {
  it('casts', async () => {
    expect(await value(r.cast("'42'", 'int'))).toBe('42');
    expect(await value(r.safe_cast("'ND'", 'float'))).toBeNull();
    expect(await value(r.safe_cast("'-1.5'", 'float'))).toBe(-1.5);
  });
  it('divides safely', async () => {
    expect(await value(r.safe_divide('1', '0'))).toBeNull();
    expect(await value(r.safe_divide('1 + 2', '4 - 2'))).toBe(1.5);
  });
  it('handles dates', async () => {
    expect(await value(r.date_trunc('day', "TIMESTAMP '2024-03-31 10:15:00'"))).toBe('2024-03-31 00:00:00');
    expect(await value(r.dateadd('minute', '15', "TIMESTAMP '2024-03-31 23:50:00'"))).toBe('2024-04-01 00:05:00');
    expect(await value(r.datediff('minute', "TIMESTAMP '2024-03-31 00:00:00'", "TIMESTAMP '2024-03-31 01:30:00'"))).toBe('90');
    expect(await value(r.extract('hour', "TIMESTAMP '2024-03-31 10:15:00'"))).toBe('10');
    expect(await value(r.parse_timestamp("'2024-03-31 10:15'", '%Y-%m-%d %H:%M'))).toBe('2024-03-31 10:15:00');
  });
  it('converts Paris wall-clock time to UTC and back across DST', async () => {
    const utc = r.to_utc("TIMESTAMP '2024-03-31 03:00:00'", 'Europe/Paris');
    expect(await value(`CAST(${utc} AS VARCHAR)`)).toMatch(/^2024-03-31 01:00:00/);
    expect(await value(r.from_utc("TIMESTAMPTZ '2024-10-27 00:30:00+00'", 'Europe/Paris'))).toBe('2024-10-27 02:30:00');
  });
  it('aggregates, concatenates and hashes', async () => {
    expect(await value(`(SELECT ${r.string_agg('x', "', '")} FROM (VALUES ('a'), ('b')) t(x))`)).toMatch(/^(a, b|b, a)$/);
    expect(await value(r.concat(["'a'", "'b'"]))).toBe('ab');
    expect(await value(r.hash(["'a'", 'NULL']))).toBe(await value("md5('a|')"));
  });
  it('quotes identifiers only when needed', () => {
    expect(duckdbDialect.quoteIdentifier('plain_name')).toBe('plain_name');
    expect(duckdbDialect.quoteIdentifier('Prévision J-1')).toBe('"Prévision J-1"');
    expect(duckdbDialect.quoteIdentifier('a"b')).toBe('"a""b"');
    expect(duckdbDialect.quoteIdentifier('order')).toBe('"order"');
    expect(duckdbDialect.relation({ schema: 'gold', identifier: 'Mix' })).toBe('gold."Mix"');
  });
});
