import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../execute/types.js';
import { createColors } from './colors.js';
import { createConsoleReporter } from './console-reporter.js';

function capture(): { stream: NodeJS.WritableStream; text: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  return { stream, text: () => written };
}

const result = (name: string, status: NodeResult['status'] = 'success'): NodeResult => ({
  uniqueId: `model.demo.${name}`,
  name,
  resourceType: 'model',
  materialized: 'table',
  relationName: `main.${name}`,
  status,
  message: 'CREATE TABLE (1 row)',
  rowsAffected: 1,
  executionTime: 0.01,
  timing: [],
  threadId: 'Thread-1',
});

describe('the console progress line', () => {
  it('shows done/total and the running nodes under the node lines, and is gone at the end', () => {
    const out = capture();
    const reporter = createConsoleReporter({ colors: createColors(false), out: out.stream, err: out.stream, progress: true });
    reporter.onRunStart!({ command: 'run', target: 'dev', adapter: 'duckdb', threads: 2, total: 2 });
    reporter.onNodeStart!({ uniqueId: 'model.demo.a', name: 'a' }, 1, 2);
    reporter.onNodeStart!({ uniqueId: 'model.demo.b', name: 'b' }, 2, 2);
    expect(out.text()).toContain('0/2 done · 0s · running a, b');
    reporter.onNodeFinish!(result('a'), 1, 2);
    // The node line is printed above the progress line, which is drawn again without a.
    expect(out.text()).toMatch(/\r\x1b\[K1\/2 +OK +table +main\.a +1 row +0\.01s\n1\/2 done · 0s · about \d+s left · running b$/);
    reporter.onNodeFinish!(result('b'), 2, 2);
    reporter.onRunEnd!({ results: [result('a'), result('b')], elapsed: 0.02, interrupted: false, testQueries: 0 });
    const end = out.text().slice(out.text().lastIndexOf('2/2 done'));
    expect(end.startsWith('2/2 done · 0s\r\x1b[K\n┌')).toBe(true);
  });

  it('prints no progress line when the output is not a terminal', () => {
    const out = capture();
    const reporter = createConsoleReporter({ colors: createColors(false), out: out.stream, err: out.stream });
    reporter.onRunStart!({ command: 'run', target: 'dev', adapter: 'duckdb', threads: 2, total: 1 });
    reporter.onNodeStart!({ uniqueId: 'model.demo.a', name: 'a' }, 1, 1);
    reporter.onNodeFinish!(result('a'), 1, 1);
    expect(out.text()).not.toContain('done ·');
    expect(out.text()).not.toContain('\r');
  });
});

describe('node names on the node lines', () => {
  it('a long name is cut in the middle to the column width, a short one is left as it is', async () => {
    const { fitName } = await import('./console-reporter.js');
    const long = 'accepted_values_silver_calendr_35e80f415df655df3f60304ac5db5626';
    expect(fitName(long, 40)).toBe('accepted_values_silver_cal…0304ac5db5626');
    expect(fitName(long, 40)).toHaveLength(40);
    expect(fitName('main.orders', 40)).toBe('main.orders');
  });
});
