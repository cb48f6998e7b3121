import { describe, expect, it } from 'vitest';
import { joinSelectorWords } from './main.js';

describe('joinSelectorWords', () => {
  it('joins the words after --select / -s / --exclude into one selection', () => {
    expect(joinSelectorWords(['node', 'tsdbt', 'run', '--select', 'a', 'b+', '--exclude', 'c', 'd', '--threads', '2'])).toEqual([
      'node',
      'tsdbt',
      'run',
      '--select',
      'a b+',
      '--exclude',
      'c d',
      '--threads',
      '2',
    ]);
    expect(joinSelectorWords(['tsdbt', 'ls', '-s', 'tag:x'])).toEqual(['tsdbt', 'ls', '-s', 'tag:x']);
    expect(joinSelectorWords(['tsdbt', 'source', 'freshness', '-s', 'source:rte'])).toEqual(['tsdbt', 'source', 'freshness', '-s', 'source:rte']);
  });
});
