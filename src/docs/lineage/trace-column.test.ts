import { describe, expect, it } from 'vitest';
import type { LineageDocument, LineageEdge, NodeLineage } from '../docs-data.js';
import { traceColumn } from './trace-column.js';

const p = (node: string, column: string): LineageEdge => ({ node, column, kind: 'passthrough' });
const t = (node: string, column: string): LineageEdge => ({ node, column, kind: 'transformation' });
const model = (columns: Record<string, LineageEdge[]>): NodeLineage => ({
  status: 'ok',
  columns: Object.fromEntries(Object.entries(columns).map(([name, upstream]) => [name, { upstream }])),
  keys: [],
});

const doc: LineageDocument = {
  metadata: { generatedAt: '', tsdbtVersion: '', parser: '' },
  nodes: {
    gold: model({ x: [p('a', 'x'), t('b', 'y')], id: [p('silver', 'id')] }),
    a: model({ x: [p('raw', 'v')] }),
    b: model({ y: [p('raw', 'v')] }),
    silver: model({ id: [p('raw', 'ID'), p('silver', 'id')] }),
  },
};

describe('traceColumn', () => {
  it('follows upstream models to the leaves; a leaf reached through a transformation is one', () => {
    expect(traceColumn(doc, 'gold', 'x')).toEqual([p('a', 'x'), t('b', 'y'), t('raw', 'v')]);
    expect(traceColumn(doc, 'a', 'x')).toEqual([p('raw', 'v')]);
  });

  it('finds columns without case, stops on cycles and at nodes without lineage', () => {
    expect(traceColumn(doc, 'gold', 'ID')).toEqual([p('silver', 'id'), p('raw', 'ID')]);
    expect(traceColumn(doc, 'raw', 'v')).toEqual([]);
    expect(traceColumn(doc, 'gold', 'nope')).toEqual([]);
  });
});
