/** --defer from a state that moved, a missing state database, and --favor-state. */
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

const PROFILES = `demo:
  target: dev
  outputs:
    dev: {type: duckdb, path: target/dev.duckdb}
    prod: {type: duckdb, path: prod-target/prod.duckdb}
`;

const FILES = {
  'profiles.yml': PROFILES,
  'project.yml': 'name: demo\nprofile: demo\nvars: {value: 1}\n',
  'models/parent.sql': '{{config materialized="table"}}\nselect {{var "value"}} as v\n',
  'models/child.sql': '{{config materialized="table"}}\nselect v * 10 as v from {{ref "parent"}}\n',
};

/** A production run whose artifacts and database were copied to state/, the original gone. */
async function movedState() {
  const project = createTmpProject(FILES);
  const prod = await runTsdbt(project.dir, ['run', '--target', 'prod', '--vars', '{value: 2}', '--profiles-dir', '.']);
  expect(prod.code).toBe(0);
  mkdirSync(project.path('state'));
  cpSync(project.path('target/manifest.json'), project.path('state/manifest.json'));
  cpSync(project.path('prod-target/prod.duckdb'), project.path('state/prod.duckdb'));
  rmSync(project.path('prod-target'), { recursive: true });
  rmSync(project.path('target'), { recursive: true });
  return project;
}

const childValue = async (project: { path(p: string): string }) => (await queryDuckdb(project.path('target/dev.duckdb'), 'select v::int as v from child'))[0];

describe('--defer', () => {
  it('reads the state database from beside its manifest when the recorded path is gone', async () => {
    const project = await movedState();
    const result = await runTsdbt(project.dir, ['run', '--select', 'child', '--defer', '--state', 'state']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--defer: 1 unselected node read from the state's relations");
    expect(await childValue(project)).toEqual({ v: 20 });
  });

  it('a state whose database is nowhere is an error before anything runs', async () => {
    const project = await movedState();
    rmSync(project.path('state/prod.duckdb'));
    const result = await runTsdbt(project.dir, ['run', '--select', 'child', '--defer', '--state', 'state']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the --state database is missing:');
    expect(result.stderr).toContain('state/prod.duckdb and ');
    expect(result.stderr).toContain("copy the state run's database file (prod.duckdb) beside its manifest.json in state");
    expect(project.exists('target/run_results.json')).toBe(false);
  });

  it('a parent this target built is read here; --favor-state reads the state one', async () => {
    const project = await movedState();
    expect((await runTsdbt(project.dir, ['run', '--select', 'parent'])).code).toBe(0);
    const own = await runTsdbt(project.dir, ['run', '--select', 'child', '--defer', '--state', 'state']);
    expect(own.stdout).toContain("--defer: 0 unselected nodes read from the state's relations");
    expect(own.stdout).toContain("1 built in this target read here (--favor-state reads the state's)");
    expect(await childValue(project)).toEqual({ v: 10 });
    const favored = await runTsdbt(project.dir, ['run', '--select', 'child', '--defer', '--favor-state', '--state', 'state']);
    expect(favored.code).toBe(0);
    expect(await childValue(project)).toEqual({ v: 20 });
    const alone = await runTsdbt(project.dir, ['run', '--favor-state']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--favor-state needs --defer');
  });
});
