import { describe, expect, it } from 'vitest';
import { configFromTree, mergeConfig, treeLayers } from '../project/config-merge.js';
import { resolveGrants, resolveHooks } from './hook-config.js';

const origin = () => ({ layer: 'template' as const, location: { file: 'models/m.sql', line: 1, column: 13 } });
const context = { origin, nodeId: 'model.demo.m' };

describe('hook and grant configs merge as in dbt', () => {
  it('appends hooks across levels, pre_hook and pre-hook being one key', () => {
    const tree = { '+pre-hook': 'select 1', demo: { gold: { '+pre_hook': ['select 2', 'select 3'] } } };
    const fromTree = configFromTree(tree, ['demo', 'gold', 'm']);
    expect(fromTree).toEqual({ 'pre-hook': ['select 1', 'select 2', 'select 3'] });
    const merged = mergeConfig(mergeConfig(fromTree, { 'post-hook': { sql: 'select 4', transaction: false } }), { pre_hook: 'select 5' });
    expect(merged['pre-hook']).toEqual(['select 1', 'select 2', 'select 3', 'select 5']);
    expect(merged['post-hook']).toEqual([{ sql: 'select 4', transaction: false }]);
    expect(treeLayers(tree, ['demo', 'gold', 'm'], 'pre_hook')).toEqual([
      { path: ['+pre-hook'], value: 'select 1' },
      { path: ['demo', 'gold', '+pre_hook'], value: ['select 2', 'select 3'] },
    ]);
  });

  it('replaces a role of the level below, and adds to it with +role', () => {
    const project = configFromTree({ '+grants': { viewer: ['user:a@x.com'], editor: 'user:e@x.com' } }, ['m']);
    expect(mergeConfig(project, { grants: { viewer: ['group:g@x.com'] } }).grants).toEqual({ viewer: ['group:g@x.com'], editor: ['user:e@x.com'] });
    expect(mergeConfig(project, { grants: { '+viewer': 'group:g@x.com', '+owner': ['user:o@x.com'] } }).grants).toEqual({
      viewer: ['user:a@x.com', 'group:g@x.com'],
      editor: ['user:e@x.com'],
      owner: ['user:o@x.com'],
    });
  });
});

describe('resolveHooks', () => {
  it('types strings and {sql, transaction} mappings, in order', () => {
    const { hooks, errors } = resolveHooks({ 'pre-hook': ['select 1', { sql: 'select 2', transaction: false }], 'post-hook': { sql: 'select 3' } }, context);
    expect(errors).toEqual([]);
    expect(hooks.pre).toEqual([
      { sql: 'select 1', transaction: true, location: origin().location },
      { sql: 'select 2', transaction: false, location: origin().location },
    ]);
    expect(hooks.post).toEqual([{ sql: 'select 3', transaction: true, location: origin().location }]);
  });

  it('places each hook where its layer wrote it', () => {
    const at = (file: string, line: number) => ({ file, line, column: 7 });
    const { hooks } = resolveHooks(
      { 'post-hook': ['a', 'b', 'c'] },
      {
        ...context,
        layers: () => [
          { value: 'a', layer: 'project', locate: () => at('project.yml', 5) },
          { value: ['b', 'c'], layer: 'properties', locate: (i) => at('models/m.yml', 8 + (i ?? 0)) },
        ],
      },
    );
    expect(hooks.post.map((h) => `${h.sql} ${h.location.file}:${h.location.line}`)).toEqual(['a project.yml:5', 'b models/m.yml:8', 'c models/m.yml:9']);
  });

  it('refuses wrong shapes, each with what a hook is', () => {
    const { errors } = resolveHooks(
      { 'pre-hook': [42, { sql: 'select 1', transactional: false }, { transaction: false }, ''], 'post-hook': { sql: 'x', transaction: 'no' } },
      context,
    );
    expect(errors.map((e) => `${e.message} | ${e.hint}`)).toEqual([
      'config pre-hook 1: a hook is SQL text, or {sql: "...", transaction: true | false}, got 42 | quote the SQL of the hook',
      'config pre-hook 2: unknown key "transactional" in a hook | did you mean "transaction"?',
      'config pre-hook 3: a hook written as a mapping needs sql: (its SQL text), got null | a hook is SQL text, or {sql: "...", transaction: true | false}',
      'config pre-hook 4: the hook is empty | write the SQL statement the hook runs, or remove it',
      'config post-hook 1: transaction must be true or false, got "no" | transaction: false runs the hook outside the model’s transaction',
    ]);
    expect(errors[0]!.location).toEqual({ file: 'models/m.sql', line: 1, column: 13 });
  });
});

describe('resolveGrants', () => {
  it('lists grantees per role, one grantee or several', () => {
    const { grants, errors } = resolveGrants(
      { grants: { 'roles/bigquery.dataViewer': ['user:a@x.com', 'group:g@x.com'], 'roles/x': 'user:b@x.com' } },
      context,
    );
    expect(errors).toEqual([]);
    expect(grants).toEqual({ 'roles/bigquery.dataViewer': ['user:a@x.com', 'group:g@x.com'], 'roles/x': ['user:b@x.com'] });
  });

  it('refuses what is not a mapping of roles to grantees', () => {
    expect(resolveGrants({ grants: ['user:a@x.com'] }, context).errors.map((e) => e.message)).toEqual([
      'config grants: a mapping of roles to grantees is expected, got ["user:a@x.com"]',
    ]);
    expect(resolveGrants({ grants: { viewer: [1] } }, context).errors.map((e) => e.message)).toEqual([
      'config grants: the grantees of "viewer" must be text (one, or a list), got [1]',
    ]);
  });
});
