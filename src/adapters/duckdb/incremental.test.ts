import { describe, expect, it } from 'vitest';
import { incrementalStatements } from './incremental.js';

const columns = (...names: string[]) => names.map((name) => ({ name, type: 'INTEGER' }));
const base = { target: 'gold.t', staged: 'new_t', targetColumns: columns('id', 'v'), stagedColumns: columns('id', 'v') };

describe('incrementalStatements', () => {
  it('appends without a unique key', () => {
    const plan = incrementalStatements({ ...base, config: {} });
    expect(plan.verb).toBe('INSERT');
    expect(plan.statements).toEqual(['INSERT INTO gold.t (id, v) SELECT id, v FROM new_t']);
  });

  it('merges on the unique key by default', () => {
    const plan = incrementalStatements({ ...base, config: { unique_key: 'id' } });
    expect(plan.statements[0]).toBe(
      'MERGE INTO gold.t AS t USING new_t AS s ON t.id = s.id\nWHEN MATCHED THEN UPDATE SET v = s.v\nWHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)',
    );
  });

  it('delete+insert on a composite key', () => {
    const plan = incrementalStatements({
      ...base,
      targetColumns: columns('a', 'b', 'v'),
      stagedColumns: columns('a', 'b', 'v'),
      config: { unique_key: ['a', 'b'], incremental_strategy: 'delete+insert' },
    });
    expect(plan.statements[0]).toBe('DELETE FROM gold.t WHERE EXISTS (SELECT 1 FROM new_t AS s WHERE s.a = gold.t.a AND s.b = gold.t.b)');
    expect(plan.statements[1]).toBe('INSERT INTO gold.t (a, b, v) SELECT a, b, v FROM new_t');
  });

  it('handles on_schema_change', () => {
    const changed = { ...base, stagedColumns: columns('id', 'v', 'extra') };
    expect(incrementalStatements({ ...changed, config: {} }).statements).toEqual(['INSERT INTO gold.t (id, v) SELECT id, v FROM new_t']);
    expect(() => incrementalStatements({ ...changed, config: { on_schema_change: 'fail' } })).toThrow(/new columns: extra/);
    expect(incrementalStatements({ ...changed, config: { on_schema_change: 'append_new_columns' } }).statements).toEqual([
      'ALTER TABLE gold.t ADD COLUMN extra INTEGER',
      'INSERT INTO gold.t (id, v, extra) SELECT id, v, extra FROM new_t',
    ]);
    const dropped = { ...base, stagedColumns: columns('id') };
    expect(incrementalStatements({ ...dropped, config: { on_schema_change: 'sync_all_columns' } }).statements[0]).toBe('ALTER TABLE gold.t DROP COLUMN v');
  });

  it('rejects unknown strategies and a missing key', () => {
    expect(() => incrementalStatements({ ...base, config: { incremental_strategy: 'upsert' } })).toThrow(/not supported on duckdb/);
    expect(() => incrementalStatements({ ...base, config: { incremental_strategy: 'merge' } })).toThrow(/needs a unique_key/);
  });
});
