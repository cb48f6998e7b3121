import { startZetaSqlService, type ZetaSqlService } from './zetasql-service.js';

/**
 * GoogleSQL's reference engine, offline: ZetaSQL's local service evaluates a query on in-memory
 * tables with BigQuery's semantics (NULLs first in ascending order, CONCAT of a NULL is NULL,
 * Sunday-based weeks, time zones). A reference implementation: correct, not fast — for fixtures
 * and sample data of a few thousand rows, not for warehouse volumes.
 */
export type GoogleSqlType = 'STRING' | 'INT64' | 'FLOAT64' | 'NUMERIC' | 'BIGNUMERIC' | 'BOOL' | 'DATE' | 'DATETIME' | 'TIMESTAMP' | 'TIME' | 'BYTES' | 'JSON';

/**
 * A value as the engine's rows carry it: INT64 as bigint, FLOAT64 as number, NUMERIC as its
 * decimal text, DATE 'YYYY-MM-DD', DATETIME 'YYYY-MM-DD HH:MM:SS[.ffffff]', TIMESTAMP as a UTC
 * instant 'YYYY-MM-DDTHH:MM:SS[.ffffff]Z', TIME 'HH:MM:SS[.ffffff]', BYTES as base64, NULL as null.
 */
export type ReferenceValue = null | string | number | bigint | boolean;

export interface ReferenceColumn {
  name: string;
  type: GoogleSqlType;
  /** Hidden unless named (an external table's _FILE_NAME). */
  pseudo?: boolean;
}

export interface ReferenceTable {
  /** As the SQL names it inside backticks: project.dataset.table */
  name: string;
  columns: ReferenceColumn[];
  rows: ReferenceValue[][];
}

export interface ReferenceResult {
  columns: ReferenceColumn[];
  rows: ReferenceValue[][];
}

export interface ReferenceEngine {
  /** Evaluates one query over `tables`; a GoogleSQL error rejects with the engine's message. */
  query(sql: string, tables: readonly ReferenceTable[]): Promise<ReferenceResult>;
  close(): void;
}

export async function startReferenceEngine(): Promise<ReferenceEngine> {
  const service = await startZetaSqlService();
  return {
    query: (sql, tables) => evaluate(service, sql, tables),
    close: () => service.release(),
  };
}

async function evaluate(service: ZetaSqlService, sql: string, tables: readonly ReferenceTable[]): Promise<ReferenceResult> {
  const { zetasql, languageOptions } = service;
  const request = {
    sql,
    simpleCatalog: {
      name: 'bigquery',
      table: tables.map((table, i) => ({
        name: table.name,
        serializationId: i + 1,
        column: table.columns.map((c) => ({ name: c.name, type: { typeKind: `TYPE_${KIND_OF[c.type]}` }, isPseudoColumn: c.pseudo ?? false })),
      })),
      builtinFunctionOptions: { languageOptions },
    },
    // BigQuery's default time zone (ZetaSQL's own is America/Los_Angeles): CAST(timestamp AS DATETIME), DATE(timestamp)…
    options: { languageOptions, errorMessageMode: 'ERROR_MESSAGE_ONE_LINE', defaultTimezone: 'UTC' },
    tableContent: Object.fromEntries(
      tables.map((table) => [
        table.name,
        { tableData: { row: table.rows.map((row) => ({ cell: row.map((value, i) => encode(value, table.columns[i]!.type)) })) } },
      ]),
    ),
  };
  const response = await new Promise<EvaluateResponse>((resolve, reject) =>
    zetasql.ZetaSQLClient.API.evaluateQuery(request as never, (error: unknown, result: unknown) =>
      error ? reject(new Error(String((error as { details?: string }).details ?? (error as Error).message))) : resolve(result as EvaluateResponse),
    ),
  );
  const columns = (response.prepared?.columns ?? []).map((c) => ({ name: c.name, type: typeOfKind(c.type.typeKind) }));
  const rows = (response.content?.tableData?.row ?? []).map((row) => row.cell.map((cell, i) => decode(cell, columns[i]!.type)));
  return { columns, rows };
}

interface EvaluateResponse {
  content?: { tableData?: { row: Array<{ cell: Cell[] }> } };
  prepared?: { columns: Array<{ name: string; type: { typeKind: number | string } }> };
}

interface LongValue {
  low: number;
  high: number;
}

type Cell = Record<string, unknown> & { value?: string };

const KIND_OF: Record<GoogleSqlType, string> = {
  STRING: 'STRING',
  INT64: 'INT64',
  FLOAT64: 'DOUBLE',
  NUMERIC: 'NUMERIC',
  BIGNUMERIC: 'BIGNUMERIC',
  BOOL: 'BOOL',
  DATE: 'DATE',
  DATETIME: 'DATETIME',
  TIMESTAMP: 'TIMESTAMP',
  TIME: 'TIME',
  BYTES: 'BYTES',
  JSON: 'JSON',
};

// TypeKind numbers of zetasql/public/type.proto.
const TYPE_OF_KIND: Record<number, GoogleSqlType> = {
  2: 'INT64',
  5: 'BOOL',
  7: 'FLOAT64',
  8: 'STRING',
  9: 'BYTES',
  10: 'DATE',
  19: 'TIMESTAMP',
  20: 'TIME',
  21: 'DATETIME',
  23: 'NUMERIC',
  24: 'BIGNUMERIC',
  26: 'JSON',
};

function typeOfKind(kind: number | string): GoogleSqlType {
  const type = typeof kind === 'number' ? TYPE_OF_KIND[kind] : (Object.entries(KIND_OF).find(([, k]) => `TYPE_${k}` === kind)?.[0] as GoogleSqlType);
  if (!type) throw new Error(`the reference engine returned a column of type ${kind}, which tsdbt does not read yet (arrays, structs, intervals)`);
  return type;
}

const DAY_MS = 86_400_000;
const NUMERIC_SCALE: Record<string, number> = { NUMERIC: 9, BIGNUMERIC: 38 };

function encode(value: ReferenceValue, type: GoogleSqlType): Record<string, unknown> {
  if (value === null) return {};
  switch (type) {
    case 'STRING':
      return { stringValue: String(value) };
    case 'JSON':
      return { jsonValue: String(value) };
    case 'INT64':
      return { int64Value: BigInt(value as string | number | bigint).toString() };
    case 'FLOAT64':
      return { doubleValue: Number(value) };
    case 'BOOL':
      return { boolValue: Boolean(value) };
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return { [type === 'NUMERIC' ? 'numericValue' : 'bignumericValue']: numericBytes(String(value), NUMERIC_SCALE[type]!) };
    case 'DATE':
      return { dateValue: Math.round(Date.parse(`${String(value).slice(0, 10)}T00:00:00Z`) / DAY_MS) };
    case 'DATETIME': {
      const { date, seconds, nanos } = splitCivil(String(value));
      const [year, month, day] = date;
      const bits =
        (BigInt(year) << 26n) | (BigInt(month) << 22n) | (BigInt(day) << 17n) | BigInt(seconds[0] << 12) | BigInt(seconds[1] << 6) | BigInt(seconds[2]);
      return { datetimeValue: { bitFieldDatetimeSeconds: bits.toString(), nanos } };
    }
    case 'TIMESTAMP': {
      const text = String(value);
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${text}`);
      const { nanos } = splitCivil(text.replace(/Z$|[+-]\d\d(:?\d\d)?$/, ''));
      return { timestampValue: { seconds: Math.floor(ms / 1000).toString(), nanos } };
    }
    case 'TIME': {
      const { seconds, nanos } = splitCivil(`1970-01-01 ${String(value)}`);
      return { timeValue: ((BigInt(seconds[0]) << 42n) | (BigInt(seconds[1]) << 36n) | (BigInt(seconds[2]) << 30n) | BigInt(nanos)).toString() };
    }
    case 'BYTES':
      return { bytesValue: Buffer.from(String(value), 'base64') };
  }
}

function decode(cell: Cell, type: GoogleSqlType): ReferenceValue {
  const field = cell.value;
  if (field === undefined) return null;
  const value = cell[field];
  switch (type) {
    case 'STRING':
    case 'JSON':
      return value as string;
    case 'INT64':
      return longToBigint(value as LongValue);
    case 'FLOAT64':
      return Number(value);
    case 'BOOL':
      return value as boolean;
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return numericText(value as Buffer, NUMERIC_SCALE[type]!);
    case 'DATE':
      return new Date((value as number) * DAY_MS).toISOString().slice(0, 10);
    case 'TIMESTAMP': {
      const { seconds, nanos } = value as { seconds: LongValue; nanos: number };
      const iso = new Date(Number(longToBigint(seconds)) * 1000).toISOString().slice(0, 19);
      return `${iso}${fraction(nanos)}Z`;
    }
    case 'DATETIME': {
      const { bitFieldDatetimeSeconds, nanos } = value as { bitFieldDatetimeSeconds: LongValue; nanos: number };
      const bits = longToBigint(bitFieldDatetimeSeconds);
      const part = (shift: bigint, mask: bigint) => Number((bits >> shift) & mask);
      const pad = (n: number, width = 2) => String(n).padStart(width, '0');
      return `${pad(Number(bits >> 26n), 4)}-${pad(part(22n, 15n))}-${pad(part(17n, 31n))} ${pad(part(12n, 31n))}:${pad(part(6n, 63n))}:${pad(part(0n, 63n))}${fraction(nanos)}`;
    }
    case 'TIME': {
      const bits = longToBigint(value as LongValue);
      const part = (shift: bigint, mask: bigint) => String(Number((bits >> shift) & mask)).padStart(2, '0');
      return `${part(42n, 31n)}:${part(36n, 63n)}:${part(30n, 63n)}${fraction(Number(bits & 0x3fffffffn))}`;
    }
    case 'BYTES':
      return Buffer.from(value as Buffer).toString('base64');
  }
}

function longToBigint(long: LongValue): bigint {
  return BigInt.asIntN(64, (BigInt(long.high) << 32n) | BigInt(long.low >>> 0));
}

/** ".123456" for 123 456 000 ns, "" for 0 (BigQuery's text forms keep microseconds). */
function fraction(nanos: number): string {
  if (nanos === 0) return '';
  return `.${String(nanos).padStart(9, '0').slice(0, 6)}`;
}

/** 'YYYY-MM-DD[ T]HH:MM:SS[.fff…]' → its parts. */
function splitCivil(text: string): { date: [number, number, number]; seconds: [number, number, number]; nanos: number } {
  const match = /^(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?$/.exec(text.trim());
  if (!match) throw new Error(`not a date and time: ${text}`);
  const n = (i: number) => Number(match[i] ?? 0);
  return { date: [n(1), n(2), n(3)], seconds: [n(4), n(5), n(6)], nanos: Number((match[7] ?? '').padEnd(9, '0')) };
}

/** A decimal as ZetaSQL's NUMERIC bytes: the value times 10^scale, little-endian two's complement. */
function numericBytes(text: string, scale: number): Buffer {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  let scaled = BigInt(`${match[2] || '0'}${(match[3] ?? '').padEnd(scale, '0').slice(0, scale)}`);
  if (match[1] === '-') scaled = -scaled;
  const bytes: number[] = [];
  let rest = scaled;
  do {
    bytes.push(Number(rest & 0xffn));
    rest >>= 8n;
  } while (!((rest === 0n && (bytes[bytes.length - 1]! & 0x80) === 0) || (rest === -1n && (bytes[bytes.length - 1]! & 0x80) !== 0)));
  return Buffer.from(bytes);
}

function numericText(bytes: Buffer, scale: number): string {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes.length > 0 && (bytes[bytes.length - 1]! & 0x80) !== 0) value -= 1n << BigInt(bytes.length * 8);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const decimals = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${decimals ? `.${decimals}` : ''}`;
}
