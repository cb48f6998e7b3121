/** `tsdbt run-operation`: a macro rendered with --args, its SQL run on the target. */
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

const FILES = {
  'models/m.sql': 'select 1 as x\n',
  'macros/make_rows.sql':
    '{{!-- params: table, n=2, label="x" --}}\ncreate or replace table {{table}} as select range as i, \'{{label}}\' as label from range({{n}});\nselect count(*)::int as row_count from {{table}}\n',
  'macros/helpers.mjs': "export function drop_table(table) {\n  return 'drop table if exists ' + table;\n}\n",
};

describe('tsdbt run-operation', () => {
  it('renders a SQL macro with --args (defaults for the rest), runs it and prints the rows of its last statement', async () => {
    const project = createTmpProject(FILES);
    const result = await runTsdbt(project.dir, ['run-operation', 'make_rows', '--args', '{table: numbers, n: 3}']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Ran make_rows (1 row)');
    expect(result.stdout).toMatch(/row_count[\s\S]*3/);
    expect(await queryDuckdb(project.path('target/dev.duckdb'), 'select count(*)::int as n, min(label) as label from numbers')).toEqual([{ n: 3, label: 'x' }]);
    const json = await runTsdbt(project.dir, ['run-operation', 'make_rows', '--args', '{table: numbers, n: 5, label: a b}', '--output', 'json']);
    expect(JSON.parse(json.stdout.trim())).toEqual({ operation: 'make_rows', rows: [{ row_count: 5 }] });
  });

  it('runs the SQL a JS helper returns', async () => {
    const project = createTmpProject(FILES);
    expect((await runTsdbt(project.dir, ['run-operation', 'make_rows', '--args', '{table: numbers}'])).code).toBe(0);
    const dropped = await runTsdbt(project.dir, ['run-operation', 'drop_table', '--args', '{table: numbers}']);
    expect(dropped.code).toBe(0);
    expect(
      await queryDuckdb(project.path('target/dev.duckdb'), "select count(*)::int as n from information_schema.tables where table_name = 'numbers'"),
    ).toEqual([{ n: 0 }]);
  });

  it('an unknown macro, a bad --args and a failing statement say what to do', async () => {
    const project = createTmpProject(FILES);
    const unknown = await runTsdbt(project.dir, ['run-operation', 'make_row']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no macro named "make_row"');
    expect(unknown.stderr).toContain('did you mean "make_rows"?');
    const badArgs = await runTsdbt(project.dir, ['run-operation', 'make_rows', '--args', '[1, 2]']);
    expect(badArgs.code).toBe(2);
    expect(badArgs.stderr).toContain('--args must be a mapping of names to values');
    const failing = await runTsdbt(project.dir, ['run-operation', 'drop_table', '--args', '{table: "no such"}']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('run-operation drop_table failed');
    expect(failing.stderr).toContain('drop table if exists no such');
  });
});
