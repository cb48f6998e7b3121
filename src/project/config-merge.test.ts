import { describe, expect, it } from 'vitest';
import { configFromTree, mergeConfig } from './config-merge.js';

describe('configFromTree', () => {
  const tree = {
    eco2mix: {
      '+materialized': 'view',
      '+tags': ['all'],
      gold: { '+schema': 'gold', '+materialized': 'table', '+tags': 'kpi', marts: { '+alias': 'x' } },
      meta: { owner: 'data' },
    },
  };
  it('applies the deepest folder last, accumulating tags', () => {
    expect(configFromTree(tree, ['eco2mix', 'gold', 'model'])).toEqual({
      materialized: 'table',
      schema: 'gold',
      tags: ['all', 'kpi'],
      meta: { owner: 'data' },
    });
  });
  it('keeps project defaults for other folders', () => {
    expect(configFromTree(tree, ['eco2mix', 'silver', 'model'])).toEqual({ materialized: 'view', tags: ['all'], meta: { owner: 'data' } });
  });
});

describe('mergeConfig', () => {
  it('overrides scalars, unions tags, merges meta', () => {
    expect(mergeConfig({ materialized: 'view', tags: ['a'], meta: { x: 1 } }, { materialized: 'table', tags: 'b,a', meta: { y: 2 } })).toEqual({
      materialized: 'table',
      tags: ['a', 'b'],
      meta: { x: 1, y: 2 },
    });
  });
});
