import type { ContractTypes } from '../../compile/dialect.js';

// GoogleSQL's type names and their aliases (the REST API's legacy names too: a dry run's schema
// says INTEGER, FLOAT, BOOLEAN, RECORD), each to the name DDL uses.
const CANONICAL: Record<string, string[]> = {
  INT64: ['INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'BYTEINT'],
  FLOAT64: ['FLOAT'],
  NUMERIC: ['DECIMAL'],
  BIGNUMERIC: ['BIGDECIMAL'],
  BOOL: ['BOOLEAN'],
  STRING: [],
  BYTES: [],
  DATE: [],
  DATETIME: [],
  TIME: [],
  TIMESTAMP: [],
  INTERVAL: [],
  JSON: [],
  GEOGRAPHY: [],
  STRUCT: ['RECORD'],
};

const ALIASES = new Map(Object.entries(CANONICAL).flatMap(([name, aliases]) => [name, ...aliases].map((alias) => [alias, name] as const)));

function parse(type: string): { base: string; inner?: string } {
  const text = type.trim().replace(/\s+/g, ' ');
  const angle = text.indexOf('<');
  if (angle !== -1) return { base: text.slice(0, angle).trim().toUpperCase(), inner: text.slice(angle + 1, text.lastIndexOf('>')) };
  const open = text.indexOf('(');
  // STRING(10), NUMERIC(10, 2): parameters are dropped; `STRING COLLATE 'und:ci'` is a STRING.
  return {
    base: (open === -1 ? text : text.slice(0, open))
      .trim()
      .toUpperCase()
      .replace(/ COLLATE .*$/, ''),
  };
}

/**
 * BigQuery's name of a type, without parameters. Struct fields are not compared: a dry run's
 * schema, as the connection reads it, names a struct column STRUCT only.
 */
export function normalizeBigqueryType(type: string): string {
  const { base, inner } = parse(type);
  if (inner !== undefined && (base === 'ARRAY' || base === 'RANGE')) return `${base}<${normalizeBigqueryType(inner)}>`;
  return ALIASES.get(base) ?? base;
}

function knowsBigqueryType(type: string): boolean {
  const { base, inner } = parse(type);
  if (inner !== undefined && (base === 'ARRAY' || base === 'RANGE')) return knowsBigqueryType(inner);
  return ALIASES.has(base);
}

/**
 * BigQuery enforces NOT NULL (the column is REQUIRED: a NULL fails the job) and records primary
 * and foreign keys without checking them (NOT ENFORCED, used by the optimizer); it has no UNIQUE
 * or CHECK constraint.
 */
export const bigqueryContractTypes: ContractTypes = {
  constraints: {
    not_null: 'enforced',
    primary_key: 'not_enforced',
    foreign_key: 'not_enforced',
    unique: 'not_supported',
    check: 'not_supported',
    custom: 'enforced',
  },
  notes: {
    unique: 'BigQuery has no UNIQUE constraint: test the column with unique',
    check: 'BigQuery has no CHECK constraint: test the expression with expression_is_true',
  },
  normalize: normalizeBigqueryType,
  knows: knowsBigqueryType,
};
