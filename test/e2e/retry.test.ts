/** `tsdbt retry`: what the last invocation left unfinished, with its arguments, and nothing else. */
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

const FILES = {
  'seeds/codes.csv': 'code\n1\n2\n',
  'models/ok.sql': '{{config materialized="table"}}\nselect code, {{var "factor" 1}} as factor from {{ref "codes"}}\n',
  'models/broken.sql': '{{config materialized="table"}}\nselect code, no_such_column from {{ref "codes"}}\n',
  'models/downstream.sql': '{{config materialized="table"}}\nselect code from {{ref "broken"}}\n',
  'models/schema.yml': 'version: 2\nmodels:\n  - name: broken\n    columns:\n      - name: code\n        data_tests: [not_null]\n',
};

const ran = (project: { json(path: string): { results: Array<{ unique_id: string; status: string }> } }) =>
  project
    .json('target/run_results.json')
    .results.map((r) => `${r.unique_id}:${r.status}`)
    .sort();

describe('tsdbt retry', () => {
  it('runs again only the errored and skipped nodes, with the recorded --vars, then says there is nothing left', async () => {
    const project = createTmpProject(FILES);
    const first = await runTsdbt(project.dir, ['build', '--vars', '{factor: 7}']);
    expect(first.code).toBe(1);
    expect(ran(project)).toEqual([
      'model.demo.broken:error',
      'model.demo.downstream:skipped',
      'model.demo.ok:success',
      'seed.demo.codes:success',
      'test.demo.not_null_broken_code.646f1d30a2:skipped',
    ]);
    project.write('models/broken.sql', '{{config materialized="table"}}\nselect code, code * {{var "factor" 1}} as scaled from {{ref "codes"}}\n');
    const retried = await runTsdbt(project.dir, ['retry']);
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain('Retrying 3 nodes the last tsdbt build left unfinished');
    expect(ran(project)).toEqual(['model.demo.broken:success', 'model.demo.downstream:success', 'test.demo.not_null_broken_code.646f1d30a2:pass']);
    // The recorded --vars were replayed.
    expect(await queryDuckdb(project.path('target/dev.duckdb'), 'select max(scaled)::int as m from broken')).toEqual([{ m: 14 }]);
    expect(project.json('target/run_results.json').args.which).toBe('build');
    const again = await runTsdbt(project.dir, ['retry']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to retry: every node of the last tsdbt build \(.+\) succeeded\n$/);
  });

  it('keeps the last command: a failed test of tsdbt test is retried as a test', async () => {
    const project = createTmpProject({ ...FILES, 'models/broken.sql': '{{config materialized="table"}}\nselect null::int as code\n' });
    expect((await runTsdbt(project.dir, ['build', '--exclude', 'downstream'])).code).toBe(1);
    expect((await runTsdbt(project.dir, ['test'])).code).toBe(1);
    expect(ran(project)).toEqual(['test.demo.not_null_broken_code.646f1d30a2:fail']);
    const retried = await runTsdbt(project.dir, ['retry']);
    expect(retried.code).toBe(1);
    expect(ran(project)).toEqual(['test.demo.not_null_broken_code.646f1d30a2:fail']);
  });

  it('refuses to replay masked --vars, and a missing run_results.json, with what to do', async () => {
    const project = createTmpProject(FILES);
    expect((await runTsdbt(project.dir, ['retry'])).stderr).toContain('there is no earlier run to retry');
    expect((await runTsdbt(project.dir, ['build', '--vars', '{api_token: s3cr3t}'])).code).toBe(1);
    const refused = await runTsdbt(project.dir, ['retry']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the last invocation passed --vars with secret values, masked in run_results.json');
    expect(refused.stderr).toContain("pass the same --vars to retry: tsdbt retry --vars '{…}'");
    expect(refused.stderr).not.toContain('s3cr3t');
  });
});
