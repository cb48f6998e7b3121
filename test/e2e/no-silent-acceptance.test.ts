/**
 * Every key a user writes either works or is refused before anything runs (exit 2), naming the
 * file, the line and what to do: profiles.yml outputs, model configs, files tsdbt does not read.
 */
import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const profiles = (extra: string) => `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/dev.duckdb
${extra}`;

describe('profiles.yml outputs are validated by their adapter in every command', () => {
  it('refuses an unknown DuckDB key at compile time, with its line and the closest key', async () => {
    const project = createTmpProject({ 'profiles.yml': profiles('      theads: 4\n'), 'models/a.sql': 'select 1 as x\n' });
    for (const command of ['compile', 'parse', 'ls', 'run']) {
      const result = await runTsdbt(project.dir, [command]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain('error profiles.yml:7:7: unknown duckdb setting "theads" in target "dev"');
      expect(result.stderr).toContain('hint: did you mean "threads"?');
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
    expect(project.exists('target/dev.duckdb')).toBe(false);
  });

  it('refuses a dbt-duckdb key tsdbt does not implement, saying what to do instead', async () => {
    const project = createTmpProject({ 'profiles.yml': profiles('      attach: [{path: other.duckdb}]\n'), 'models/a.sql': 'select 1 as x\n' });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error profiles.yml:7:7: "attach" is not supported yet by tsdbt\'s duckdb adapter (target "dev")');
    expect(result.stderr).toContain('hint: attach other databases from a model instead (ATTACH in an on-run-start hook)');
  });

  it('loads the extensions a profile lists, and refuses one that is not available offline', async () => {
    const project = createTmpProject({
      'profiles.yml': profiles('      extensions: [json]\n'),
      'models/a.sql': "select json_extract('{\"a\": 1}', '$.a') as x\n",
    });
    const ok = await runTsdbt(project.dir, ['run']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    project.write('profiles.yml', profiles('      extensions: [spatial]\n'));
    const missing = await runTsdbt(project.dir, ['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot load the DuckDB extension "spatial"');
    expect(missing.stderr).toContain('tsdbt never downloads one');
  });
});
