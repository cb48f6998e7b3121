import { describe, expect, it } from 'vitest';
import { runSchedule } from './scheduler.js';

const parentsOf: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [] };
const order = ['a', 'e', 'b', 'c', 'd'];

async function schedule(fail: Set<string>, concurrency: number, controller = new AbortController()) {
  const events: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  await runSchedule({
    order,
    parents: (id) => parentsOf[id]!,
    concurrency,
    signal: controller.signal,
    run: async (id) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      events.push(`start ${id}`);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      events.push(`end ${id}`);
      return !fail.has(id);
    },
    skip: (id, reason, cause) => events.push(`skip ${id} ${reason} ${cause ?? ''}`.trim()),
  });
  return { events, maxInFlight };
}

describe('runSchedule', () => {
  it('runs parents before children and respects concurrency', async () => {
    const { events, maxInFlight } = await schedule(new Set(), 2);
    expect(maxInFlight).toBe(2);
    expect(events.indexOf('end a')).toBeLessThan(events.indexOf('start b'));
    expect(events.indexOf('end b')).toBeLessThan(events.indexOf('start d'));
    expect(events.indexOf('end c')).toBeLessThan(events.indexOf('start d'));
    expect(events.filter((e) => e.startsWith('start'))).toHaveLength(5);
  });

  it('skips every descendant of a failure, naming the failed node', async () => {
    const { events } = await schedule(new Set(['a']), 1);
    expect(events).toContain('skip b upstream a');
    expect(events).toContain('skip c upstream a');
    expect(events).toContain('skip d upstream a');
    expect(events).toContain('end e');
  });

  it('starts nothing new after abort and skips the rest as stopped', async () => {
    const controller = new AbortController();
    const promise = schedule(new Set(), 1, controller);
    setTimeout(() => controller.abort(), 2);
    const { events } = await promise;
    expect(events.filter((e) => e.startsWith('start'))).toEqual(['start a']);
    expect(events.filter((e) => e.endsWith('stopped'))).toHaveLength(4);
  });
});
