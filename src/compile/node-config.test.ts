import { describe, expect, it } from 'vitest';
import { duckdbEngine } from '../adapters/duckdb/engine.js';
import { bigqueryEngine } from '../adapters/bigquery/engine.js';
import { type ResolvedSnapshotConfig, resolveNodeConfig } from './node-config.js';

const snapshotConfig = (raw: Record<string, unknown>) =>
  resolveNodeConfig(raw, {
    origin: (key) => ({ layer: 'template', location: { file: 'snapshots/s.sql', line: 1, column: key.length } }),
    engine: duckdbEngine,
    engineSpecs: [duckdbEngine.configSpec, bigqueryEngine.configSpec],
    nodeId: 'snapshot.demo.s',
    kind: 'snapshot',
  });

const resolved = (raw: Record<string, unknown>) => {
  const result = snapshotConfig(raw);
  expect(result.errors.map((e) => e.message)).toEqual([]);
  return result.config as ResolvedSnapshotConfig;
};

describe('snapshot configs', () => {
  it('defaults: hard_deletes ignore, dbt meta column names, no valid_to_current', () => {
    const config = resolved({ strategy: 'timestamp', unique_key: 'id', updated_at: 'updated_at' });
    expect(config.materialized).toBe('snapshot');
    expect(config.snapshot).toEqual({
      strategy: 'timestamp',
      uniqueKey: ['id'],
      updatedAt: 'updated_at',
      checkCols: [],
      hardDeletes: 'ignore',
      metaColumns: { validFrom: 'dbt_valid_from', validTo: 'dbt_valid_to', scdId: 'dbt_scd_id', updatedAt: 'dbt_updated_at', isDeleted: 'dbt_is_deleted' },
      validToCurrent: undefined,
    });
  });

  it('splits a written key list at top-level commas only: an expression keeps its own', () => {
    expect(resolved({ strategy: 'check', unique_key: "concat(a, '-', b), c", check_cols: 'x, y' }).snapshot).toMatchObject({
      uniqueKey: ["concat(a, '-', b)", 'c'],
      checkCols: ['x', 'y'],
    });
    expect(resolved({ strategy: 'check', unique_key: ['a', 'b'], check_cols: 'ALL' }).snapshot.checkCols).toBe('all');
  });

  it("reads dbt's legacy spellings: invalidate_hard_deletes, target_schema, target_database", () => {
    const config = resolved({ strategy: 'timestamp', unique_key: 'id', updated_at: 'u', invalidate_hard_deletes: true, target_schema: 'history' });
    expect(config.snapshot.hardDeletes).toBe('invalidate');
    expect(config.schema).toBe('history');
    expect(snapshotConfig({ strategy: 'timestamp', unique_key: 'id', updated_at: 'u', target_database: 'other' }).errors[0]?.message).toBe(
      'config target_database: a duckdb target keeps every relation in its own database',
    );
  });

  it('refuses what contradicts itself', () => {
    const messages = (raw: Record<string, unknown>) => snapshotConfig(raw).errors.map((e) => e.message);
    const base = { strategy: 'timestamp', unique_key: 'id', updated_at: 'u' };
    expect(messages({ ...base, hard_deletes: 'new_record', invalidate_hard_deletes: true })).toEqual([
      'invalidate_hard_deletes: true and hard_deletes: new_record disagree',
    ]);
    expect(messages({ ...base, schema: 'a', target_schema: 'b' })).toEqual(['config target_schema and schema are both set ("b" and "a")']);
    expect(messages({ ...base, snapshot_meta_column_names: { dbt_valid_from: 'period', dbt_valid_to: 'period' } })).toEqual([
      'snapshot_meta_column_names: dbt_valid_from and dbt_valid_to are both named "period"',
    ]);
    expect(messages({ ...base, snapshot_meta_column_names: { dbt_valid_since: 'x' } })[0]).toMatch(/^config snapshot_meta_column_names: Unrecognized key/);
    expect(messages({ ...base, materialized: 'table' })).toEqual(['a snapshot is always a snapshot table, not materialized as "table"']);
  });

  it('warns about keys that do nothing on a snapshot', () => {
    const result = snapshotConfig({ strategy: 'timestamp', unique_key: 'id', updated_at: 'u', incremental_strategy: 'merge' });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(['snapshots/s.sql:1:20: incremental_strategy has no effect on a snapshot (it applies to incremental)']);
  });
});

describe('microbatch configs', () => {
  const modelConfig = (raw: Record<string, unknown>, engine: typeof duckdbEngine | typeof bigqueryEngine = duckdbEngine) =>
    resolveNodeConfig(
      { materialized: 'incremental', incremental_strategy: 'microbatch', ...raw },
      {
        origin: (key) => ({ layer: 'template', location: { file: 'models/m.sql', line: 1, column: key.length } }),
        engine,
        engineSpecs: [duckdbEngine.configSpec, bigqueryEngine.configSpec],
        nodeId: 'model.demo.m',
        kind: 'model',
      },
    );
  const complete = { event_time: 'ts', batch_size: 'day', begin: '2024-01-01' };

  it("resolves dbt's keys with their defaults (lookback 1, one batch at a time, UTC)", () => {
    const result = modelConfig({ ...complete, batch_timezone: 'Europe/Paris' });
    expect(result.errors).toEqual([]);
    const config = result.config!;
    if (config.materialized !== 'incremental') throw new Error('not incremental');
    expect(config.incremental.microbatch).toEqual({
      eventTime: 'ts',
      batchSize: 'day',
      begin: '2024-01-01',
      lookback: 1,
      concurrentBatches: 1,
      timezone: 'Europe/Paris',
    });
  });

  it('refuses an unknown zone, a begin that is not a date and a negative lookback', () => {
    const messages = modelConfig({ ...complete, batch_timezone: 'Europe/Pariss', begin: 'soon', lookback: -1 }).errors.map((e) => e.message);
    expect(messages).toEqual([
      'config begin: not a date or timestamp, got "soon"',
      'config lookback: must be 0 or more, got -1',
      'unknown batch_timezone "Europe/Pariss"',
    ]);
  });

  it('is built on BigQuery, and a compile error on an engine without it', () => {
    expect(modelConfig(complete, bigqueryEngine).errors).toEqual([]);
    const withoutMicrobatch = {
      ...bigqueryEngine,
      type: 'other',
      capabilities: { ...bigqueryEngine.capabilities, incrementalStrategies: ['append' as const] },
    };
    const messages = modelConfig(complete, withoutMicrobatch).errors.map((e) => e.message);
    expect(messages).toEqual(['incremental_strategy "microbatch" is not built for other yet']);
  });
});
