import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../test/helpers/configs.js';
import type { IncrementalConfig } from '../../compile/node-config.js';
import type { Column, PlannedModel } from '../adapter.js';
import { expectGolden } from '../../../test/helpers/golden.js';
import { duckdbPlanner, foldStatements } from './planner.js';

const incrementalStatements = (input: {
  model: Pick<PlannedModel, 'uniqueId' | 'name' | 'relationName'>;
  staged: string;
  config: IncrementalConfig;
  targetColumns: Column[];
  stagedColumns: Column[];
}) => foldStatements(input.model as PlannedModel, input.config, input.staged, input.targetColumns, input.stagedColumns);

const columns = (...names: string[]) => names.map((name) => ({ name, type: 'INTEGER' }));
const base = {
  model: { uniqueId: 'model.demo.t', name: 't', relationName: 'gold.t' },
  staged: 'new_t',
  targetColumns: columns('id', 'v'),
  stagedColumns: columns('id', 'v'),
};
/** The incremental config the compiler resolves from these keys. */
const incremental = (raw: Record<string, unknown>): IncrementalConfig => {
  const { config } = resolveConfig({ materialized: 'incremental', ...raw }, 'duckdb');
  if (config.materialized !== 'incremental') throw new Error('not incremental');
  return config.incremental;
};

describe('foldStatements (DuckDB incremental runs)', () => {
  it('appends without a unique key', () => {
    const plan = incrementalStatements({ ...base, config: incremental({}) });
    expect(plan.verb).toBe('INSERT');
    expect(plan.statements).toEqual(['INSERT INTO gold.t (id, v) SELECT id, v FROM new_t']);
  });

  it('merges on the unique key by default', () => {
    const plan = incrementalStatements({ ...base, config: incremental({ unique_key: 'id' }) });
    expect(plan.statements[0]).toBe(
      'MERGE INTO gold.t AS t USING new_t AS s ON t.id = s.id\nWHEN MATCHED THEN UPDATE SET v = s.v\nWHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)',
    );
  });

  it('delete+insert on a composite key', () => {
    const plan = incrementalStatements({
      ...base,
      targetColumns: columns('a', 'b', 'v'),
      stagedColumns: columns('a', 'b', 'v'),
      config: incremental({ unique_key: ['a', 'b'], incremental_strategy: 'delete+insert' }),
    });
    expect(plan.statements[0]).toBe('DELETE FROM gold.t WHERE EXISTS (SELECT 1 FROM new_t AS s WHERE s.a = gold.t.a AND s.b = gold.t.b)');
    expect(plan.statements[1]).toBe('INSERT INTO gold.t (a, b, v) SELECT a, b, v FROM new_t');
  });

  it('handles on_schema_change', () => {
    const changed = { ...base, stagedColumns: columns('id', 'v', 'extra') };
    expect(incrementalStatements({ ...changed, config: incremental({}) }).statements).toEqual(['INSERT INTO gold.t (id, v) SELECT id, v FROM new_t']);
    expect(() => incrementalStatements({ ...changed, config: incremental({ on_schema_change: 'fail' }) })).toThrow(/new columns: extra/);
    expect(incrementalStatements({ ...changed, config: incremental({ on_schema_change: 'append_new_columns' }) }).statements).toEqual([
      'ALTER TABLE gold.t ADD COLUMN extra INTEGER',
      'INSERT INTO gold.t (id, v, extra) SELECT id, v, extra FROM new_t',
    ]);
    const dropped = { ...base, stagedColumns: columns('id') };
    expect(incrementalStatements({ ...dropped, config: incremental({ on_schema_change: 'sync_all_columns' }) }).statements[0]).toBe(
      'ALTER TABLE gold.t DROP COLUMN v',
    );
  });

  it('rejects unknown strategies and a missing key when the project compiles', () => {
    expect(() => incremental({ incremental_strategy: 'upsert' })).toThrow('unknown incremental_strategy "upsert"');
    expect(() => incremental({ incremental_strategy: 'insert_overwrite' })).toThrow('incremental_strategy "insert_overwrite" is not supported on duckdb');
    expect(() => incremental({ incremental_strategy: 'merge' })).toThrow(/needs a unique_key/);
  });

  it('updates merge_update_columns only, minus merge_exclude_columns', () => {
    const wide = { ...base, targetColumns: columns('id', 'a', 'b', 'c'), stagedColumns: columns('id', 'a', 'b', 'c') };
    expect(incrementalStatements({ ...wide, config: incremental({ unique_key: 'id', merge_exclude_columns: ['b'] }) }).statements[0]).toContain(
      'WHEN MATCHED THEN UPDATE SET a = s.a, c = s.c\n',
    );
    expect(incrementalStatements({ ...wide, config: incremental({ unique_key: 'id', merge_update_columns: ['c'] }) }).statements[0]).toContain(
      'WHEN MATCHED THEN UPDATE SET c = s.c\n',
    );
  });
});

describe('microbatch batches (DuckDB)', () => {
  const microbatchModel = (): PlannedModel => {
    const { config } = resolveConfig(
      { materialized: 'incremental', incremental_strategy: 'microbatch', event_time: 'ts', batch_size: 'day', begin: '2024-01-01' },
      'duckdb',
    );
    if (config.materialized !== 'incremental') throw new Error('not incremental');
    const sql =
      "select ts, value from (select * from main.events where ts >= TIMESTAMPTZ '2024-01-04T00:00:00.000Z' AND ts < TIMESTAMPTZ '2024-01-05T00:00:00.000Z')";
    return {
      relationName: 'main.daily',
      schema: 'main',
      identifier: 'daily',
      uniqueId: 'model.demo.daily',
      name: 'daily',
      file: 'models/daily.sql',
      config,
      engineOptions: undefined,
      sql: { text: sql, lines: [2] },
      description: '',
      columns: {},
    };
  };
  const record = {
    table: { relationName: 'tsdbt_state.intervals', schema: 'tsdbt_state', identifier: 'intervals' },
    uniqueId: 'model.demo.daily',
    start: '2024-01-04T00:00:00.000Z',
    end: '2024-01-05T00:00:00.000Z',
    checksum: 'abc123',
    invocationId: 'inv-1',
  };
  const planner = duckdbPlanner.microbatch!;
  const text = (statements: Array<{ sql: string }>) => `${statements.map((s) => `${s.sql};`).join('\n\n')}\n`;

  it('replaces the slice and records the interval in one plan', () => {
    const existing = { kind: 'table' as const, columns: [...columns('value'), { name: 'ts', type: 'TIMESTAMP WITH TIME ZONE' }] };
    const plan = planner.batch(microbatchModel(), existing, record, { replace: false, newColumns: existing.columns });
    expect(plan.verb).toBe('DELETE+INSERT');
    expectGolden('duckdb/microbatch/batch.sql', text(plan.statements));
  });

  it('creates the table from the first batch and forgets older intervals', () => {
    const plan = planner.batch(microbatchModel(), undefined, record, { replace: true });
    expect(plan.verb).toBe('CREATE TABLE');
    expectGolden('duckdb/microbatch/first-batch.sql', text(plan.statements));
  });

  it('creates and reads the state table', () => {
    expectGolden(
      'duckdb/microbatch/intervals.sql',
      text([...planner.intervalsTable(record.table), { sql: planner.readIntervals(record.table, record.uniqueId) }]),
    );
  });
});
