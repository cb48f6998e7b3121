import { describe, expect, it } from 'vitest';
import type { MicrobatchConfig } from '../compile/node-config.js';
import { batchesBetween, batchStart, type BuiltInterval, flagInstant, nextBatchStart, planBatches } from './batches.js';

const utc = (text: string) => new Date(text);
const config = (overrides: Partial<MicrobatchConfig> = {}): MicrobatchConfig => ({
  eventTime: 'ts',
  batchSize: 'day',
  begin: '2024-01-01',
  lookback: 0,
  concurrentBatches: 1,
  timezone: 'UTC',
  ...overrides,
});
const built = (day: number, checksum = 'c'): BuiltInterval => ({
  start: new Date(Date.UTC(2024, 0, day)),
  end: new Date(Date.UTC(2024, 0, day + 1)),
  checksum,
  loadedAt: utc('2025-01-01T00:00:00Z'),
});
const days = (plan: { toRun: Array<{ start: Date }> }) => plan.toRun.map((w) => w.start.toISOString().slice(0, 10));
const options = { fullRefresh: false, checksum: 'c', now: utc('2024-01-06T12:00:00Z') };

describe('batch windows', () => {
  it('cuts Europe/Paris days of 23 and 25 hours at the DST changes', () => {
    const march = batchStart(utc('2024-03-31T10:00:00Z'), 'day', 'Europe/Paris');
    expect(march.toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(nextBatchStart(march, 'day', 'Europe/Paris').toISOString()).toBe('2024-03-31T22:00:00.000Z');
    const october = batchStart(utc('2024-10-27T12:00:00Z'), 'day', 'Europe/Paris');
    expect(october.toISOString()).toBe('2024-10-26T22:00:00.000Z');
    expect(nextBatchStart(october, 'day', 'Europe/Paris').toISOString()).toBe('2024-10-27T23:00:00.000Z');
  });

  it('hours, months and years', () => {
    expect(batchStart(utc('2024-03-31T10:42:00Z'), 'hour', 'Europe/Paris').toISOString()).toBe('2024-03-31T10:00:00.000Z');
    expect(batchStart(utc('2024-02-15T10:00:00Z'), 'month', 'UTC').toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(nextBatchStart(utc('2024-12-01T00:00:00Z'), 'month', 'UTC').toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(nextBatchStart(utc('2023-12-31T23:00:00Z'), 'year', 'Europe/Paris').toISOString()).toBe('2024-12-31T23:00:00.000Z');
    expect(batchesBetween(utc('2024-01-01T00:00:00Z'), utc('2024-01-01T03:30:00Z'), 'hour', 'UTC')).toHaveLength(4);
  });

  it('reads a date flag as midnight in the zone, a timestamp without offset as UTC', () => {
    expect(flagInstant('2024-03-31', 'Europe/Paris')?.toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(flagInstant('2024-03-31T12:00:00', 'Europe/Paris')?.toISOString()).toBe('2024-03-31T12:00:00.000Z');
    expect(flagInstant('2024-03-31T12:00:00+02:00', 'UTC')?.toISOString()).toBe('2024-03-31T10:00:00.000Z');
    expect(flagInstant('yesterday', 'UTC')).toBeUndefined();
  });
});

describe('planBatches', () => {
  it('builds the missing batches, gaps included, up to the batch holding now', () => {
    const plan = planBatches(config(), [built(1), built(3)], {}, options);
    expect(days(plan)).toEqual(['2024-01-02', '2024-01-04', '2024-01-05', '2024-01-06']);
    expect(plan.window).toHaveLength(6);
  });

  it('adds lookback batches before the first missing one', () => {
    const plan = planBatches(
      config({ lookback: 2 }),
      [1, 2, 3, 4].map((d) => built(d)),
      { eventTimeEnd: '2024-01-06' },
      options,
    );
    expect(days(plan)).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    expect(plan.reason).toBe('1 missing + 2 lookback');
  });

  it('rebuilds every batch on a full refresh or when the SQL changed; nothing when up to date', () => {
    const all = [1, 2, 3].map((d) => built(d));
    const window = { eventTimeEnd: '2024-01-04' };
    expect(days(planBatches(config(), all, window, options))).toEqual([]);
    expect(days(planBatches(config(), all, window, { ...options, fullRefresh: true }))).toHaveLength(3);
    expect(planBatches(config(), all, window, { ...options, checksum: 'other' }).reason).toBe('the model changed: every batch again');
  });

  it('counts a batch loaded before it ended as missing (it was partial)', () => {
    const partial = { ...built(2), loadedAt: utc('2024-01-02T18:00:00Z') };
    expect(days(planBatches(config(), [built(1), partial], { eventTimeEnd: '2024-01-03' }, options))).toEqual(['2024-01-02']);
  });

  it('--restate rebuilds the listed batches only', () => {
    const plan = planBatches(
      config(),
      [1, 2, 3, 4, 5].map((d) => built(d)),
      { restate: { from: '2024-01-02', to: '2024-01-03' } },
      options,
    );
    expect(days(plan)).toEqual(['2024-01-02', '2024-01-03']);
  });
});
