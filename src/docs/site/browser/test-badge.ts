/** A data test's last result as a badge: pass, fail (with its failing rows), warn, error, skipped, not run. */
import { h } from './dom.js';
import type { SiteTest } from './site-data.js';

export function testBadge(test: SiteTest): HTMLElement {
  const status = test.status ?? 'none';
  const word = test.status ?? 'not run';
  const failures = test.failures !== undefined && test.failures > 0 && test.status !== 'pass' ? test.failures : undefined;
  const title = [test.name, `severity: ${test.severity}`, `last result: ${word}`, failures !== undefined ? `${failures} failing rows` : '', test.message ?? '']
    .filter(Boolean)
    .join('\n');
  return h(
    'span',
    { class: `badge badge-${status}`, 'data-testid': 'test-badge', 'data-status': status, 'data-test': test.name, title },
    h('span', { class: 'badge-name' }, test.name),
    h('span', { class: 'badge-status' }, failures !== undefined ? `${word} · ${failures.toLocaleString('en-US')}` : word),
  );
}

/** Counts [pass, fail, warn, error, skipped, not run] as small coloured figures. */
export function testSummary(counts: readonly number[]): HTMLElement {
  const names = ['pass', 'fail', 'warn', 'error', 'skipped', 'none'];
  const words = ['passed', 'failed', 'warned', 'errored', 'skipped', 'not run'];
  return h(
    'span',
    { class: 'test-summary', 'data-testid': 'test-summary' },
    counts.map((count, i) => (count ? h('span', { class: `summary-item badge-${names[i]}` }, `${count.toLocaleString('en-US')} ${words[i]}`) : null)),
  );
}
