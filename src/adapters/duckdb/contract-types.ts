import type { ContractTypes } from '../../compile/dialect.js';
import { splitTopLevel } from '../contract-sql.js';

// DuckDB's type names and their aliases, each to the spelling DESCRIBE prints.
const CANONICAL: Record<string, string[]> = {
  TINYINT: ['INT1'],
  SMALLINT: ['INT2', 'SHORT', 'INT16'],
  INTEGER: ['INT', 'INT4', 'SIGNED', 'INT32'],
  BIGINT: ['INT8', 'LONG', 'INT64'],
  HUGEINT: ['INT128'],
  UTINYINT: [],
  USMALLINT: [],
  UINTEGER: [],
  UBIGINT: [],
  UHUGEINT: [],
  FLOAT: ['FLOAT4', 'REAL'],
  DOUBLE: ['FLOAT8', 'DOUBLE PRECISION'],
  DECIMAL: ['NUMERIC', 'DEC'],
  VARCHAR: ['TEXT', 'STRING', 'CHAR', 'BPCHAR', 'NVARCHAR', 'CHARACTER', 'CHARACTER VARYING'],
  BOOLEAN: ['BOOL', 'LOGICAL'],
  DATE: [],
  TIME: [],
  'TIME WITH TIME ZONE': ['TIMETZ'],
  TIMESTAMP: ['DATETIME', 'TIMESTAMP_US', 'TIMESTAMP WITHOUT TIME ZONE'],
  TIMESTAMP_S: [],
  TIMESTAMP_MS: [],
  TIMESTAMP_NS: [],
  'TIMESTAMP WITH TIME ZONE': ['TIMESTAMPTZ'],
  INTERVAL: [],
  BLOB: ['BYTEA', 'BINARY', 'VARBINARY'],
  BIT: ['BITSTRING'],
  UUID: [],
  JSON: [],
  VARINT: [],
};

const ALIASES = new Map(Object.entries(CANONICAL).flatMap(([name, aliases]) => [name, ...aliases].map((alias) => [alias, name] as const)));
const NESTED = new Set(['STRUCT', 'UNION', 'MAP', 'LIST', 'ENUM']);

interface Parsed {
  base: string;
  args?: string;
  list: boolean;
}

function parse(type: string): Parsed {
  const text = type.trim().replace(/\s+/g, ' ');
  const list = /^(.*?)\s*\[\s*\d*\s*\]$/.exec(text);
  if (list) return { base: list[1]!, list: true };
  const open = text.indexOf('(');
  if (open === -1) return { base: text.toUpperCase(), list: false };
  return { base: text.slice(0, open).trim().toUpperCase(), args: text.slice(open + 1, text.lastIndexOf(')')), list: false };
}

/** A struct or union field: its name (quotes kept, case folded otherwise) and its type normalised. */
function field(text: string): string {
  const m = /^("(?:[^"]|"")*"|[^\s]+)\s+(.+)$/.exec(text.trim());
  if (!m) return text.trim();
  const name = m[1]!.startsWith('"') ? m[1]! : m[1]!.toLowerCase();
  return `${name} ${normalizeDuckdbType(m[2]!)}`;
}

/** DuckDB's spelling of a type (what DESCRIBE prints), without width, precision or scale. */
export function normalizeDuckdbType(type: string): string {
  const parsed = parse(type);
  if (parsed.list) return `${normalizeDuckdbType(parsed.base)}[]`;
  const { base, args } = parsed;
  if (args !== undefined) {
    if (base === 'STRUCT' || base === 'UNION') return `${base}(${splitTopLevel(args).map(field).join(', ')})`;
    if (base === 'MAP') return `MAP(${splitTopLevel(args).map(normalizeDuckdbType).join(', ')})`;
    if (base === 'LIST') return `${normalizeDuckdbType(args)}[]`;
    if (base === 'ENUM') return `ENUM(${splitTopLevel(args).join(', ')})`;
  }
  return ALIASES.get(base) ?? base;
}

function knowsDuckdbType(type: string): boolean {
  const parsed = parse(type);
  if (parsed.list) return knowsDuckdbType(parsed.base);
  return ALIASES.has(parsed.base) || (parsed.args !== undefined && NESTED.has(parsed.base));
}

/**
 * DuckDB checks NOT NULL, PRIMARY KEY, UNIQUE and CHECK on every write. Foreign keys are enforced
 * too, but a referenced table can then never be replaced (`CREATE OR REPLACE` of the parent fails
 * while the child exists), which every rebuild of the parent model does: they are not applied.
 */
export const duckdbContractTypes: ContractTypes = {
  constraints: {
    not_null: 'enforced',
    unique: 'enforced',
    primary_key: 'enforced',
    check: 'enforced',
    foreign_key: 'not_supported',
    custom: 'enforced',
  },
  notes: {
    foreign_key: 'DuckDB would then refuse to rebuild the referenced table; check the reference with a relationships test',
  },
  normalize: normalizeDuckdbType,
  knows: knowsDuckdbType,
};
