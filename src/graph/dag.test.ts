import { describe, expect, it } from 'vitest';
import { CycleError, createDag, reachable, topologicalOrder } from './dag.js';

const graph = (edges: Record<string, string[]>) => createDag(Object.keys(edges), (id) => edges[id] ?? []);

describe('topologicalOrder', () => {
  it('puts every parent before its children', () => {
    const dag = graph({ a: [], b: ['a'], c: ['a', 'b'], d: ['c'] });
    const order = topologicalOrder(dag);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('names the whole cycle, first node repeated', () => {
    const dag = graph({ a: ['c'], b: ['a'], c: ['b'], d: [] });
    try {
      topologicalOrder(dag);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CycleError);
      const cycle = (error as CycleError).cycle;
      expect(cycle).toHaveLength(4);
      expect(cycle[0]).toBe(cycle[3]);
      expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
    }
  });

  it('ignores edges to unknown ids', () => {
    const dag = graph({ a: ['zzz'], b: ['a'] });
    expect(dag.parents('a')).toEqual([]);
    expect(topologicalOrder(dag)).toEqual(['a', 'b']);
  });
});

describe('reachable', () => {
  const dag = graph({ a: [], b: ['a'], c: ['b'], d: ['c'] });
  it('follows children without depth limit', () => {
    expect([...reachable(['a'], dag.children)]).toEqual(['b', 'c', 'd']);
  });
  it('stops at the given depth', () => {
    expect([...reachable(['d'], dag.parents, 2)]).toEqual(['c', 'b']);
  });
});
