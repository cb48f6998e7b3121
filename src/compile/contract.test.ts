import { describe, expect, it } from 'vitest';
import { createBigqueryDialect } from '../adapters/bigquery/dialect.js';
import { duckdbDialect } from '../adapters/duckdb/dialect.js';
import type { ColumnInfo } from '../project/types.js';
import { type ContractInput, contractTypeIn, resolveContract } from './contract.js';

const bigquery = createBigqueryDialect({ project: 'p' });

const column = (name: string, dataType?: string, constraints?: unknown[]): ColumnInfo => ({
  name,
  description: '',
  dataType,
  meta: {},
  tags: [],
  tests: [],
  constraints,
});

/** A model with columns id and name, its properties at models/m.yml (each path's line is its index + 10). */
function input(overrides: Partial<ContractInput> = {}): ContractInput {
  return {
    nodeId: 'model.demo.m',
    name: 'm',
    materialized: 'table',
    raw: { enforced: true },
    columns: { id: column('id', 'int'), name: column('name', 'string') },
    locateConfig: (key) => ({ file: 'models/m.yml', line: 3, column: key.length }),
    locateProperty: (path) => ({ file: 'models/m.yml', line: 10 + path.length, column: Number(path[1] ?? 0) + 1 }),
    dialect: duckdbDialect,
    ...overrides,
  };
}

const messages = (result: ReturnType<typeof resolveContract>) => result.errors.map((e) => `${e.location?.file}:${e.location?.line}: ${e.message}`);

describe('contract types', () => {
  it('maps portable names to each engine, in any case, and passes other names as written', () => {
    expect(['string', 'INT', 'float', 'numeric', 'boolean', 'date', 'timestamp', 'timestamp_tz'].map((t) => contractTypeIn(duckdbDialect, t, true))).toEqual([
      'VARCHAR',
      'BIGINT',
      'DOUBLE',
      'DECIMAL(38, 9)',
      'BOOLEAN',
      'DATE',
      'TIMESTAMP',
      'TIMESTAMPTZ',
    ]);
    expect(['string', 'int', 'float', 'numeric', 'boolean', 'date', 'timestamp', 'timestamp_tz'].map((t) => contractTypeIn(bigquery, t, true))).toEqual([
      'STRING',
      'INT64',
      'FLOAT64',
      'NUMERIC',
      'BOOL',
      'DATE',
      'DATETIME',
      'TIMESTAMP',
    ]);
    expect(contractTypeIn(duckdbDialect, 'INTEGER', true)).toBe('INTEGER');
    expect(contractTypeIn(bigquery, ' NUMERIC(10, 2) ', true)).toBe('NUMERIC(10, 2)');
    // alias_types: false: the engine reads the name itself (DuckDB's `int` is a 32-bit INTEGER).
    expect(contractTypeIn(duckdbDialect, 'int', false)).toBe('int');
  });

  it('resolves every column of an enforced contract, in the order of the properties file', () => {
    const result = resolveContract(input());
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.contract).toMatchObject({
      enforced: true,
      aliasTypes: true,
      columns: [
        { name: 'id', dataType: 'int', type: 'BIGINT' },
        { name: 'name', dataType: 'string', type: 'VARCHAR' },
      ],
      constraints: [],
    });
    expect(result.contract!.checksum).toMatch(/^[0-9a-f]{64}$/);
    const reordered = resolveContract(input({ columns: { name: column('name', 'string'), id: column('id', 'int') } }));
    expect(reordered.contract!.checksum).toBe(result.contract!.checksum);
    expect(resolveContract(input({ columns: { id: column('id', 'string'), name: column('name', 'string') } })).contract!.checksum).not.toBe(
      result.contract!.checksum,
    );
  });

  it('warns about a type name the target engine does not know', () => {
    const result = resolveContract(input({ columns: { id: column('id', 'FLOAT64') } }));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'models/m.yml:13:1: data_type "FLOAT64" of m.id is not a duckdb type: the build will likely fail (portable names: string, int, float, numeric, boolean, date, timestamp, timestamp_tz)',
    ]);
    expect(resolveContract(input({ columns: { id: column('id', 'FLOAT64') }, dialect: bigquery })).warnings).toEqual([]);
  });

  it('without a contract or constraints, there is nothing to resolve', () => {
    expect(resolveContract(input({ raw: undefined }))).toEqual({ errors: [], warnings: [] });
    expect(resolveContract(input({ raw: { enforced: false } })).contract).toMatchObject({ enforced: false, columns: [], checksum: undefined });
  });
});

describe('contract errors, at the line they are written on', () => {
  it('refuses a wrong shape of the contract config', () => {
    expect(messages(resolveContract(input({ raw: { enforce: true } })))).toEqual(['models/m.yml:3: config contract: unknown key "enforce"']);
    expect(resolveContract(input({ raw: { enforce: true } })).errors[0]!.hint).toContain('did you mean "enforced"?');
    expect(messages(resolveContract(input({ raw: true })))).toEqual([
      'models/m.yml:3: config contract: Invalid input: expected object, received boolean, got true',
    ]);
    expect(messages(resolveContract(input({ raw: { enforced: 'yes' } })))).toEqual([
      'models/m.yml:3: config contract.enforced: Invalid input: expected boolean, received string, got {"enforced":"yes"}',
    ]);
  });

  it('needs a data_type on every column, and columns at all', () => {
    const result = resolveContract(input({ columns: { id: column('id', 'int'), name: column('name') } }));
    expect(messages(result)).toEqual(['models/m.yml:12: column m.name has no data_type: an enforced contract needs the type of every column']);
    expect(result.errors[0]!.location).toEqual({ file: 'models/m.yml', line: 12, column: 2 });
    expect(messages(resolveContract(input({ columns: {} })))).toEqual(['models/m.yml:3: model "m" has an enforced contract but declares no columns']);
  });

  it('refuses an ephemeral model, and an incremental one that would let its columns drift', () => {
    expect(messages(resolveContract(input({ materialized: 'ephemeral' })))).toEqual([
      'models/m.yml:3: model "m" is ephemeral: an ephemeral model cannot have an enforced contract',
    ]);
    expect(messages(resolveContract(input({ materialized: 'incremental' })))).toEqual([
      'models/m.yml:3: model "m": an incremental model with an enforced contract needs on_schema_change append_new_columns or fail, not ignore',
    ]);
    expect(resolveContract(input({ materialized: 'incremental', onSchemaChange: 'sync_all_columns' })).errors[0]!.location).toEqual({
      file: 'models/m.yml',
      line: 3,
      column: 'on_schema_change'.length,
    });
    expect(resolveContract(input({ materialized: 'incremental', onSchemaChange: 'append_new_columns' })).errors).toEqual([]);
    expect(resolveContract(input({ materialized: 'incremental', onSchemaChange: 'fail' })).errors).toEqual([]);
    // A view's columns and types are checked too (its constraints cannot be applied).
    expect(resolveContract(input({ materialized: 'view' })).errors).toEqual([]);
  });

  it('refuses malformed constraints, each at its entry', () => {
    const cases: Array<[unknown, string]> = [
      [{ type: 'primary' }, 'constraint of column id: unknown type "primary"'],
      [{ type: 'check' }, 'check constraint of column id: needs an expression'],
      [{ type: 'unique', columns: ['id'] }, 'unique constraint of column id: columns: applies to a model-level constraint'],
      [{ type: 'not_null', expression: 'x' }, 'not_null constraint of column id: expression: applies to check, custom and foreign_key constraints'],
      [{ type: 'foreign_key', to: "ref('other')" }, 'foreign_key constraint of column id: needs to_columns: with to:'],
      [{ type: 'foreign_key' }, 'foreign_key constraint of column id: needs to: (and to_columns:)'],
      [{ type: 'unique', to_columns: ['x'] }, 'unique constraint of column id: to: and to_columns: apply to a foreign_key'],
      [{ type: 'not_null', warn: false }, 'constraint of column id: unknown key "warn"'],
      ['not_null', 'constraint of column id: Invalid input: expected object, received string, got "not_null"'],
    ];
    for (const [constraint, message] of cases) {
      const result = resolveContract(input({ columns: { id: column('id', 'int', [constraint]) } }));
      expect(messages(result)).toEqual([`models/m.yml:14: ${message}`]);
      expect(result.errors[0]!.location!.column).toBe(1);
    }
    expect(resolveContract(input({ columns: { id: column('id', 'int', [{ type: 'primary' }]) } })).errors[0]!.hint).toBe('did you mean "primary_key"?');
  });

  it('checks model-level constraints against the contract columns', () => {
    const model = (constraints: unknown[]) => messages(resolveContract(input({ constraints })));
    expect(model([{ type: 'primary_key' }])).toEqual(['models/m.yml:12: primary_key constraint of the model: a model-level constraint needs columns:']);
    expect(model([{ type: 'unique', columns: ['id', 'nam'] }])).toEqual([
      'models/m.yml:12: unique constraint of model "m" names column "nam", which is not in its contract',
    ]);
    expect(model([{ type: 'check', expression: 'id > 0' }])).toEqual([]);
    expect(
      messages(
        resolveContract(input({ columns: { id: column('id', 'int', [{ type: 'primary_key' }]), name: column('name', 'string', [{ type: 'primary_key' }]) } })),
      ),
    ).toEqual(['models/m.yml:14: model "m" declares 2 primary keys (id; name)']);
  });
});

describe('constraint warnings (dbt warn_unenforced / warn_unsupported)', () => {
  const constrained = (dialect: ContractInput['dialect'], extra: Partial<ContractInput> = {}) =>
    resolveContract(
      input({
        dialect,
        columns: { id: column('id', 'int', [{ type: 'not_null' }, { type: 'primary_key' }]), name: column('name', 'string', [{ type: 'unique' }]) },
        constraints: [{ type: 'check', expression: 'id > 0' }],
        ...extra,
      }),
    );

  it('DuckDB enforces not_null, primary_key, unique and check: no warning', () => {
    expect(constrained(duckdbDialect).warnings).toEqual([]);
    const fk = resolveContract(input({ columns: { id: column('id', 'int', [{ type: 'foreign_key', to: "ref('other')", to_columns: ['id'] }]) } }));
    expect(fk.warnings).toEqual([
      'models/m.yml:14:1: foreign_key constraint on id of m is not applied: DuckDB would then refuse to rebuild the referenced table; check the reference with a relationships test',
    ]);
  });

  it('BigQuery records primary keys unenforced and cannot apply unique or check', () => {
    expect(constrained(bigquery).warnings).toEqual([
      'models/m.yml:14:1: primary_key constraint on id of m is not enforced by bigquery: declared only (NOT ENFORCED)',
      'models/m.yml:14:2: unique constraint on name of m is not applied: BigQuery has no UNIQUE constraint: test the column with unique',
      'models/m.yml:12:1: check constraint of m is not applied: BigQuery has no CHECK constraint: test the expression with expression_is_true',
    ]);
    const quiet = resolveContract(
      input({
        dialect: bigquery,
        columns: {
          id: column('id', 'int', [
            { type: 'primary_key', warn_unenforced: false },
            { type: 'unique', warn_unsupported: false },
          ]),
        },
      }),
    );
    expect(quiet.warnings).toEqual([]);
  });

  it('a view gets none of its constraints, and constraints without an enforced contract do nothing', () => {
    expect(constrained(duckdbDialect, { materialized: 'view' }).warnings).toEqual([
      'models/m.yml:14:1: not_null constraint on id of m is not applied: a view has no constraints (its columns and types are still checked)',
      'models/m.yml:14:1: primary_key constraint on id of m is not applied: a view has no constraints (its columns and types are still checked)',
      'models/m.yml:14:2: unique constraint on name of m is not applied: a view has no constraints (its columns and types are still checked)',
      'models/m.yml:12:1: check constraint of m is not applied: a view has no constraints (its columns and types are still checked)',
    ]);
    const loose = constrained(duckdbDialect, { raw: undefined });
    expect(loose.errors).toEqual([]);
    expect(loose.warnings[0]).toBe('models/m.yml:14:1: not_null constraint on id of m has no effect: constraints apply only with contract: {enforced: true}');
    expect(loose.contract).toMatchObject({ enforced: false, columns: [] });
    expect(loose.contract!.constraints).toHaveLength(4);
  });
});
