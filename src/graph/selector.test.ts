import { describe, expect, it } from 'vitest';
import { createDag } from './dag.js';
import { selectResources, type SelectableResource } from './selector.js';

function resource(id: string, extra: Partial<SelectableResource> = {}): SelectableResource {
  const [type, , name] = id.split('.');
  return {
    uniqueId: id,
    resourceType: type as SelectableResource['resourceType'],
    name: name!,
    packageName: 'p',
    originalFilePath: `models/${name}.sql`,
    fqn: ['p', name!],
    tags: [],
    config: {},
    ...extra,
  };
}

const resources = new Map<string, SelectableResource>(
  [
    resource('source.p.raw.orders', { name: 'orders', sourceName: 'raw', fqn: ['p', 'raw', 'orders'], originalFilePath: 'models/src.yml' }),
    resource('model.p.stg', { originalFilePath: 'models/staging/stg.sql', fqn: ['p', 'staging', 'stg'], tags: ['daily'], config: { materialized: 'view' } }),
    resource('model.p.mid', { originalFilePath: 'models/silver/mid.sql', fqn: ['p', 'silver', 'mid'], config: { materialized: 'table' } }),
    resource('model.p.top', { originalFilePath: 'models/gold/top.sql', fqn: ['p', 'gold', 'top'], tags: ['daily', 'kpi'], config: { materialized: 'table' } }),
    resource('model.p.other', { originalFilePath: 'models/gold/other.sql', fqn: ['p', 'gold', 'other'], config: { materialized: 'incremental' } }),
    resource('seed.p.codes', { originalFilePath: 'seeds/codes.csv', fqn: ['p', 'codes'] }),
  ].map((r) => [r.uniqueId, r]),
);
const parents: Record<string, string[]> = {
  'model.p.stg': ['source.p.raw.orders'],
  'model.p.mid': ['model.p.stg', 'seed.p.codes'],
  'model.p.top': ['model.p.mid'],
  'model.p.other': ['seed.p.codes'],
};
const dag = createDag(resources.keys(), (id) => parents[id] ?? []);
const names = (select?: string[], exclude?: string[]) => [...selectResources({ resources, dag }, select, exclude)].map((id) => resources.get(id)!.name).sort();

describe('selectResources', () => {
  it('selects everything without --select', () => {
    expect(names()).toHaveLength(6);
  });
  it('selects by name and with graph operators', () => {
    expect(names(['mid'])).toEqual(['mid']);
    expect(names(['+mid'])).toEqual(['codes', 'mid', 'orders', 'stg']);
    expect(names(['1+mid'])).toEqual(['codes', 'mid', 'stg']);
    expect(names(['stg+'])).toEqual(['mid', 'stg', 'top']);
    expect(names(['stg+1'])).toEqual(['mid', 'stg']);
  });
  it('"@" adds the parents of every descendant', () => {
    expect(names(['@stg'])).toEqual(['codes', 'mid', 'orders', 'stg', 'top']);
  });
  it('supports methods', () => {
    expect(names(['tag:daily'])).toEqual(['stg', 'top']);
    expect(names(['path:models/gold'])).toEqual(['other', 'top']);
    expect(names(['config.materialized:table'])).toEqual(['mid', 'top']);
    expect(names(['source:raw+'])).toEqual(['mid', 'orders', 'stg', 'top']);
    expect(names(['resource_type:seed'])).toEqual(['codes']);
    expect(names(['gold'])).toEqual(['other', 'top']);
    expect(names(['s*'])).toEqual(['mid', 'stg']); // name or folder (fqn) glob, as in dbt
  });
  it('space is a union, comma an intersection, --exclude removes', () => {
    expect(names(['stg top'])).toEqual(['stg', 'top']);
    expect(names(['tag:daily,path:models/gold'])).toEqual(['top']);
    expect(names(['+top'], ['source:raw'])).toEqual(['codes', 'mid', 'stg', 'top']);
  });
  it('rejects unknown methods with a suggestion', () => {
    expect(() => names(['tags:daily'])).toThrow(/unknown selector method "tags"/);
    try {
      names(['tags:daily']);
    } catch (error) {
      expect((error as { hint?: string }).hint).toContain('"tag"');
    }
  });
});
