/** --warn-error and --warn-error-options: warnings that become errors, exit 1. */
import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt } from '../helpers/tmp-project.js';

const WARN_TEST = {
  'models/m.sql': '{{config materialized="table"}}\nselect null::int as id\n',
  'models/schema.yml':
    'version: 2\nmodels:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - not_null: {config: {severity: warn}}\n',
};

describe('--warn-error', () => {
  it('a warning before the run stops the command: nothing is built', async () => {
    const project = createTmpProject({
      ...WARN_TEST,
      'project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    nothere:\n      +materialized: table\n',
    });
    const plain = await runTsdbt(project.dir, ['run']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('so its config applies to nothing');
    project.remove('target');
    const strict = await runTsdbt(project.dir, ['run', '--warn-error']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error: project.yml:5:5: models: demo.nothere matches no folder or resource, so its config applies to nothing');
    expect(strict.stderr).toContain('--warn-error makes this warning (UnusedResourceConfigPath) an error');
    expect(project.exists('target/run_results.json')).toBe(false);
    const excluded = await runTsdbt(project.dir, ['run', '--warn-error-options', '{include: all, exclude: [UnusedResourceConfigPath]}']);
    expect(excluded.code).toBe(0);
  });

  it('a warn-severity test that fails makes the build exit 1; TestWarn can be left out', async () => {
    const project = createTmpProject(WARN_TEST);
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    const strict = await runTsdbt(project.dir, ['build', '--warn-error']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('1 warning treated as error (--warn-error)');
    expect((await runTsdbt(project.dir, ['build', '--warn-error-options', '{include: [TestWarn]}'])).code).toBe(1);
    expect((await runTsdbt(project.dir, ['build', '--warn-error', '--warn-error-options', '{exclude: [TestWarn]}'])).code).toBe(0);
  });

  it('an unknown warning name or key is a usage error', async () => {
    const project = createTmpProject(WARN_TEST);
    const unknown = await runTsdbt(project.dir, ['build', '--warn-error-options', '{include: [TestWarns]}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--warn-error-options include: unknown warning "TestWarns"');
    expect(unknown.stderr).toContain('did you mean "TestWarn"?');
    const key = await runTsdbt(project.dir, ['build', '--warn-error-options', '{includes: all}']);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain('--warn-error-options has no key "includes"');
  });
});
