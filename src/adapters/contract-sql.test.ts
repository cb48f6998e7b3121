import { describe, expect, it } from 'vitest';
import { compareContract, mismatchTable } from '../execute/contract-check.js';
import { normalizeBigqueryType } from './bigquery/contract-types.js';
import { bigqueryContractTypes } from './bigquery/contract-types.js';
import { normalizeDuckdbType } from './duckdb/contract-types.js';
import { duckdbContractTypes } from './duckdb/contract-types.js';
import type { ModelContract } from '../compile/contract.js';
import { contractColumnList, contractSelect, splitTopLevel } from './contract-sql.js';

describe('type names, normalised per engine', () => {
  it('DuckDB: aliases to what DESCRIBE prints, width, precision and scale dropped', () => {
    const same: Array<[string, string]> = [
      ['int', 'INTEGER'],
      ['INT4', 'INTEGER'],
      ['int8', 'BIGINT'],
      ['INT64', 'BIGINT'],
      ['text', 'VARCHAR'],
      ['STRING', 'VARCHAR'],
      ['varchar(10)', 'VARCHAR'],
      ['float8', 'DOUBLE'],
      ['double precision', 'DOUBLE'],
      ['real', 'FLOAT'],
      ['numeric', 'DECIMAL'],
      ['DECIMAL(18,3)', 'DECIMAL'],
      ['decimal(38, 9)', 'DECIMAL'],
      ['bool', 'BOOLEAN'],
      ['datetime', 'TIMESTAMP'],
      ['timestamptz', 'TIMESTAMP WITH TIME ZONE'],
      ['timestamp   with time zone', 'TIMESTAMP WITH TIME ZONE'],
      ['int[]', 'INTEGER[]'],
      ['LIST(text)', 'VARCHAR[]'],
      ['STRUCT(A int, b text)', 'STRUCT(a INTEGER, b VARCHAR)'],
      ['MAP(VARCHAR, INT)', 'MAP(VARCHAR, INTEGER)'],
    ];
    expect(same.map(([t]) => [t, normalizeDuckdbType(t)])).toEqual(same);
    expect(normalizeDuckdbType('BIGINT')).not.toBe(normalizeDuckdbType('INTEGER'));
    expect(normalizeDuckdbType('TIMESTAMP')).not.toBe(normalizeDuckdbType('TIMESTAMPTZ'));
    expect(['BIGINT', 'DECIMAL(10, 2)', 'STRUCT(a INT)', 'INT[]', 'TIMESTAMP WITH TIME ZONE'].every(duckdbContractTypes.knows)).toBe(true);
    expect(['FLOAT64', 'BIGNUMERIC', 'ARRAY<INT64>'].some(duckdbContractTypes.knows)).toBe(false);
  });

  it("BigQuery: aliases and the REST API's legacy names to DDL names, parameters dropped", () => {
    const same: Array<[string, string]> = [
      ['int', 'INT64'],
      ['INTEGER', 'INT64'],
      ['bigint', 'INT64'],
      ['FLOAT', 'FLOAT64'],
      ['float64', 'FLOAT64'],
      ['decimal', 'NUMERIC'],
      ['NUMERIC(10, 2)', 'NUMERIC'],
      ['BIGDECIMAL', 'BIGNUMERIC'],
      ['boolean', 'BOOL'],
      ['string(10)', 'STRING'],
      ["STRING COLLATE 'und:ci'", 'STRING'],
      ['RECORD', 'STRUCT'],
      ['STRUCT<a INT64, b STRING>', 'STRUCT'],
      ['array<int>', 'ARRAY<INT64>'],
      ['ARRAY<STRUCT<a INT64>>', 'ARRAY<STRUCT>'],
      ['timestamp', 'TIMESTAMP'],
      ['datetime', 'DATETIME'],
    ];
    expect(same.map(([t]) => [t, normalizeBigqueryType(t)])).toEqual(same);
    expect(['INT64', 'ARRAY<STRING>', 'STRUCT<a INT64>', 'GEOGRAPHY'].every(bigqueryContractTypes.knows)).toBe(true);
    expect(['VARCHAR', 'DOUBLE', 'TIMESTAMPTZ', 'ARRAY<TEXT>'].some(bigqueryContractTypes.knows)).toBe(false);
  });

  it('splits at top-level commas only', () => {
    expect(splitTopLevel("a DECIMAL(10, 2), b STRUCT<x INT64, y STRING>, c ENUM('a,b')")).toEqual([
      'a DECIMAL(10, 2)',
      'b STRUCT<x INT64, y STRING>',
      "c ENUM('a,b')",
    ]);
  });
});

const contract = (constraints: ModelContract['constraints'] = []): ModelContract => ({
  enforced: true,
  aliasTypes: true,
  columns: [
    { name: 'id', dataType: 'int', type: 'BIGINT' },
    { name: 'Name', dataType: 'string', type: 'VARCHAR' },
    { name: 'amount', dataType: 'numeric', type: 'DECIMAL(38, 9)' },
  ],
  constraints,
  checksum: 'x',
});

describe('the SELECT compared with the contract', () => {
  it('matches names in any order and case, types through the engine', () => {
    const actual = [
      { name: 'amount', type: 'DECIMAL(18,3)' },
      { name: 'NAME', type: 'VARCHAR' },
      { name: 'id', type: 'BIGINT' },
    ];
    expect(compareContract(contract(), actual, normalizeDuckdbType)).toEqual([]);
  });

  it('lists each column that differs: type, missing, extra', () => {
    const mismatches = compareContract(
      contract(),
      [
        { name: 'id', type: 'INTEGER' },
        { name: 'amount', type: 'DOUBLE' },
        { name: 'comment', type: 'VARCHAR' },
      ],
      normalizeDuckdbType,
    );
    expect(mismatches).toEqual([
      { column: 'id', contract: 'BIGINT', model: 'INTEGER' },
      { column: 'Name', contract: 'VARCHAR' },
      { column: 'amount', contract: 'DECIMAL(38, 9)', model: 'DOUBLE' },
      { column: 'comment', model: 'VARCHAR' },
    ]);
    expect(mismatchTable(mismatches)).toBe(
      [
        '  column  | contract       | model',
        '  --------+----------------+--------',
        '  id      | BIGINT         | INTEGER   data type differs',
        '  Name    | VARCHAR        | -         missing from the model',
        '  amount  | DECIMAL(38, 9) | DOUBLE    data type differs',
        '  comment | -              | VARCHAR   not in the contract',
      ].join('\n'),
    );
  });
});

describe('the column list of a contracted table', () => {
  const at = { file: 'models/m.yml' };
  const c = (type: ModelContract['constraints'][number]['type'], columns: string[], extra: Partial<ModelContract['constraints'][number]> = {}) => ({
    type,
    level: 'column' as const,
    columns,
    toColumns: [],
    warnUnenforced: true,
    warnUnsupported: true,
    location: at,
    ...extra,
  });
  const constraints = [
    c('not_null', ['id']),
    c('primary_key', ['id'], { name: 'pk_m' }),
    c('unique', ['Name']),
    c('custom', ['amount'], { expression: 'DEFAULT 0' }),
    c('check', [], { level: 'model', expression: 'amount >= 0', name: 'positive' }),
    c('foreign_key', ['id'], { to: "ref('other')", toRelation: 'main.other', toColumns: ['other_id'] }),
  ];

  it('DuckDB: every enforced constraint; no foreign key', () => {
    const ddl = contractColumnList(contract(constraints), {
      quote: (n) => (n === 'Name' ? '"Name"' : n),
      constraints: duckdbContractTypes.constraints,
      namedPrimaryKey: true,
    });
    expect(ddl).toBe(
      [
        '(',
        '  id BIGINT NOT NULL,',
        '  "Name" VARCHAR,',
        '  amount DECIMAL(38, 9) DEFAULT 0,',
        '  CONSTRAINT pk_m PRIMARY KEY (id),',
        '  UNIQUE ("Name"),',
        '  CONSTRAINT positive CHECK (amount >= 0)',
        ')',
      ].join('\n'),
    );
  });

  it('BigQuery: NOT NULL, keys NOT ENFORCED (a primary key unnamed), no unique or check', () => {
    const ddl = contractColumnList(contract(constraints), { quote: (n) => n, constraints: bigqueryContractTypes.constraints, namedPrimaryKey: false });
    expect(ddl).toBe(
      [
        '(',
        '  id BIGINT NOT NULL,',
        '  Name VARCHAR,',
        '  amount DECIMAL(38, 9) DEFAULT 0,',
        '  PRIMARY KEY (id) NOT ENFORCED,',
        '  FOREIGN KEY (id) REFERENCES main.other (other_id) NOT ENFORCED',
        ')',
      ].join('\n'),
    );
    expect(contractSelect(contract(), (n) => n)).toEqual({ head: 'SELECT id, Name, amount FROM (', tail: ') AS tsdbt_contract' });
  });
});
