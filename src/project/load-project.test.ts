import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../config/project-config.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import { loadProject } from './load-project.js';

let dir: string;
function project(files: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-load-'));
  for (const [path, content] of Object.entries({ 'project.yml': 'name: p\n', ...files })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return loadProject(loadProjectConfig(dir));
}
function failure(files: Record<string, string>): TsdbtError & { errors?: TsdbtError[] } {
  try {
    project(files);
  } catch (error) {
    return error as TsdbtError;
  }
  throw new Error('expected an error');
}
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadProject', () => {
  it('reads models, seeds, sources and their properties', () => {
    const loaded = project({
      'models/staging/stg.sql': 'select 1',
      'models/staging/_props.yml':
        'version: 2\nmodels:\n  - name: stg\n    description: Staged.\n    config: {tags: [a]}\n    columns:\n      - name: id\n        data_tests: [unique]\n',
      'models/_sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: landing\n    tables:\n      - name: orders\n        identifier: orders_v2\n',
      'seeds/codes.csv': 'a\n1\n',
    });
    const stg = loaded.nodes.find((n) => n.name === 'stg')!;
    expect(stg).toMatchObject({ uniqueId: 'model.p.stg', fqn: ['p', 'staging', 'stg'], description: 'Staged.', tags: ['a'], path: 'staging/stg.sql' });
    expect(stg.columns.id!.tests).toEqual(['unique']);
    expect(loaded.nodes.find((n) => n.name === 'codes')!.config.materialized).toBe('seed');
    expect(loaded.sources[0]).toMatchObject({ uniqueId: 'source.p.raw.orders', schema: 'landing', identifier: 'orders_v2' });
  });

  it('reports all properties errors with their lines', () => {
    const error = failure({
      'models/a.yml': 'version: 2\nmodels:\n  - name: a\n    descripton: typo\n',
      'models/b.yml': 'version: 2\nmodels:\n  - name: b\n    columns: not-a-list\n',
    });
    expect(error.errors!.map((e) => [e.message, e.location?.file, e.location?.line])).toEqual([
      ['unknown key "descripton" under models › a', 'models/a.yml', 4],
      [expect.stringContaining('models › b › columns: Invalid input'), 'models/b.yml', 4],
    ]);
    expect(error.errors![0]!.hint).toBe('did you mean "description"?');
  });

  it('points at YAML syntax errors', () => {
    const error = failure({ 'models/a.yml': 'version: 2\nmodels:\n  - name: a\n   description: bad indent\n' });
    expect(error.code).toBe('E_YAML_SYNTAX');
    expect(error.location).toMatchObject({ file: 'models/a.yml', line: 4 });
  });

  it('rejects two resources with one name', () => {
    const error = failure({ 'models/x/m.sql': 'select 1', 'models/y/m.sql': 'select 2' });
    expect(error.message).toBe('two resources are named "m": models/x/m.sql and models/y/m.sql');
  });

  it('warns about properties for a model that does not exist', () => {
    const loaded = project({ 'models/a.sql': 'select 1', 'models/p.yml': 'version: 2\nmodels:\n  - name: ghost\n' });
    expect(loaded.warnings).toEqual(['models/p.yml:3:5: properties for model "ghost" but no models/**/ghost.sql exists']);
  });
});
