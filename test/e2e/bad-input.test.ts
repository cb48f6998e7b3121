/**
 * Broken input, as a new user writes it: each case exits 2 before anything runs, naming the file,
 * the line and what to do, with no stack trace — and a table built before stays as it was.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE, type TmpProject } from '../helpers/tmp-project.js';

/** Runs a command that must be refused before anything runs; returns its stderr. */
async function refused(project: TmpProject, args: string[]): Promise<string> {
  const result = await runTsdbt(project.dir, args);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.code, result.stdout + result.stderr).toBe(2);
  return result.stderr;
}

describe('seed files', () => {
  it.each([
    [
      'a row with more fields than the header, and one with fewer',
      'code,name\n01,a\n02,b,c\n03\n',
      'error seeds/codes.csv:3 [seed.demo.codes]: seed "codes": line 3 has 3 fields, the header has 2 (and 1 more row)',
      'hint: give every row 2 fields separated by "," (quote a field that contains it), or set the seed delimiter config',
    ],
    ['an empty file', '', 'error seeds/codes.csv [seed.demo.codes]: seed "codes" is empty', 'hint: write a header line naming the columns'],
    [
      'a header naming a column twice',
      'code,name,Code\n1,a,2\n',
      'error seeds/codes.csv:1 [seed.demo.codes]: seed "codes": the header names column "Code" twice (columns 1 and 3)',
      'hint: give every column its own name',
    ],
    [
      'an unclosed quote',
      'code,name\n"01,a\n',
      'error seeds/codes.csv:2 [seed.demo.codes]: seed "codes" is not valid CSV: Quote Not Closed',
      'hint: close the quoted field',
    ],
  ])('refuses %s and keeps the loaded table', async (_case, csv, message, hint) => {
    const project = createTmpProject({ 'seeds/codes.csv': 'code,name\n01,a\n02,b\n' });
    expect((await runTsdbt(project.dir, ['seed'])).code).toBe(0);
    project.write('seeds/codes.csv', csv);
    const stderr = await refused(project, ['build']);
    expect(stderr).toContain(message);
    expect(stderr).toContain(hint);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.codes')).toEqual([{ n: 2 }]);
  });

  it('checks rows with the configured delimiter', async () => {
    const project = createTmpProject({
      'seeds/codes.csv': 'code;name\n01;a\n02;b;c\n',
      'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: codes\n    config:\n      delimiter: ";"\n',
    });
    const stderr = await refused(project, ['seed']);
    expect(stderr).toContain('seed "codes": line 3 has 3 fields, the header has 2');
    expect(stderr).toContain('hint: give every row 2 fields separated by ";" (quote a field that contains it)\n');
  });
});

describe('text files that are not UTF-8', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it.each([
    ['a model', 'models/m.sql', "select 1 as id,\n  'café' as name\n", 'error models/m.sql:2:7: not valid UTF-8: byte 0xE9 (Latin-1 "é") at line 2, column 7'],
    [
      'a properties file',
      'models/m.yml',
      'version: 2\nmodels:\n  - name: m\n    description: "Prévision"\n',
      'error models/m.yml:4:21: not valid UTF-8: byte 0xE9 (Latin-1 "é") at line 4, column 21',
    ],
    [
      'project.yml',
      'project.yml',
      'name: demo\nprofile: demo\n# données\n',
      'error project.yml:3:7: not valid UTF-8: byte 0xE9 (Latin-1 "é") at line 3, column 7',
    ],
    ['a seed', 'seeds/s.csv', 'code,name\n1,Hérault\n', 'error seeds/s.csv:2:4: not valid UTF-8: byte 0xE9 (Latin-1 "é") at line 2, column 4'],
    ['a macro', 'macros/m.sql', '{{!-- é --}}select 1\n', 'error macros/m.sql:1:7: not valid UTF-8: byte 0xE9 (Latin-1 "é") at line 1, column 7'],
  ])('refuses %s at the byte, saying how to convert it', async (_case, file, text, message) => {
    const project = createTmpProject({ 'models/m.sql': 'select 1 as id\n', [file]: '' });
    writeFileSync(project.path(file), latin1(text));
    const stderr = await refused(project, ['compile']);
    expect(stderr).toContain(message);
    expect(stderr).toContain(`hint: save the file as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 ${file} -o fixed && mv fixed ${file})`);
  });

  it('reports every file that is not UTF-8 at once', async () => {
    const project = createTmpProject({ 'models/a.sql': '', 'models/b.sql': '' });
    writeFileSync(project.path('models/a.sql'), latin1("select 'é' as x\n"));
    writeFileSync(project.path('models/b.sql'), latin1("select 'à' as x\n"));
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error models/a.sql:1:9: not valid UTF-8: byte 0xE9');
    expect(result.stderr).toContain('error models/b.sql:1:9: not valid UTF-8: byte 0xE0');
    expect(result.stdout).toContain('2 errors; nothing was run.');
  });
});

describe('templates and macros', () => {
  /** compile of a project of these files, which must be refused; its stderr. */
  const compileRefused = (files: Record<string, string>) => refused(createTmpProject(files), ['compile']);

  it.each([
    ['an empty model', '', 'error models/e.sql [model.demo.e]: model "e" is empty'],
    [
      'a model of comments only',
      '-- todo\n/* later */\n{{!-- nothing yet --}}\n',
      'error models/e.sql [model.demo.e]: model "e" renders no SQL (only comments or blanks)',
    ],
  ])('refuses %s at compile, not with a parser error at run time', async (_case, sql, message) => {
    const stderr = await compileRefused({ 'models/e.sql': sql });
    expect(stderr).toContain(message);
    expect(stderr).toContain('hint: a model is one select statement: write it, or delete the file');
  });

  it('refuses a macro named like a built-in helper, or like another macro', async () => {
    const stderr = await compileRefused({
      'models/m.sql': 'select 1 as x\n',
      'macros/ref.sql': 'x\n',
      'macros/cents.sql': '({{column}} / 100)\n',
      'macros/helpers.mjs': 'export function cents(x) { return x; }\nexport function concat() { return "a"; }\n',
    });
    expect(stderr).toContain('error macros/ref.sql: macros/ref.sql defines "ref", which would replace the built-in helper "ref"');
    expect(stderr).toContain('hint: rename the file: a SQL macro is named after it');
    expect(stderr).toContain('error macros/helpers.mjs: macros/helpers.mjs defines "cents", which would replace the macro "cents" of macros/cents.sql');
    expect(stderr).toContain('error macros/helpers.mjs: macros/helpers.mjs defines "concat", which would replace the built-in helper "concat"');
    expect(stderr).toContain('hint: rename the exported function "concat"');
  });

  it('checks a macro that no model uses', async () => {
    const stderr = await compileRefused({ 'models/m.sql': 'select 1 as x\n', 'macros/unused.sql': 'select\n{{#if flag}}1\n' });
    expect(stderr).toContain('error macros/unused.sql:2:1: template syntax error: {{#if}} is never closed');
    expect(stderr).toContain('hint: add {{/if}} where the block ends');
  });

  it('refuses a Jinja macro at the macro file, and says so where it is called', async () => {
    const stderr = await compileRefused({
      'macros/cents.sql': '{% macro cents(x) %}\n  {{ x }} / 100\n{% endmacro %}\n',
      'models/m.sql': 'select {{cents "a"}} from x\n',
    });
    expect(stderr).toContain('error macros/cents.sql:1:1: this is Jinja; tsdbt templates are Handlebars: {% macro cents(x) %}');
    expect(stderr).toContain('hint: a macro is a file of its own: macros/<name>.sql holds the body');
    expect(stderr).toContain('error models/m.sql:1:8 [model.demo.m]: unknown name "cents" in template');
    expect(stderr).toContain('hint: the macro "cents" of macros/cents.sql has an error of its own (reported with it): fix it first');
  });

  it('refuses Jinja syntax in a model, with the Handlebars to write instead', async () => {
    const call = await compileRefused({ 'models/base.sql': 'select 1 as id\n', 'models/m.sql': "select *\nfrom {{ ref('base') }}\n" });
    expect(call).toContain("error models/m.sql:2:6 [model.demo.m]: this is Jinja; tsdbt templates are Handlebars: {{ ref('base') }}");
    expect(call).toContain('hint: write {{ref "base"}} (to convert a whole dbt project: tsdbt import dbt <dbt-project> --out <new-folder>)');
    const block = await compileRefused({ 'models/m.sql': 'select 1 as x\n{% if is_incremental() %}where 1 = 1{% endif %}\n' });
    expect(block).toContain('error models/m.sql:2:1 [model.demo.m]: this is Jinja; tsdbt templates are Handlebars: {% if is_incremental() %}');
    expect(block).toContain('hint: write {{#if (is_incremental)}} … {{/if}}');
    const config = await compileRefused({ 'models/m.sql': "{{ config(materialized='table', unique_key=['a', 'b']) }}\nselect 1 as a, 2 as b\n" });
    expect(config).toContain('hint: write {{config materialized="table" unique_key=(list "a" "b")}}');
    const comment = await compileRefused({ 'models/m.sql': 'select 1 as x {# a Jinja comment #}\n' });
    expect(comment).toContain('error models/m.sql:1:15 [model.demo.m]: this is Jinja; tsdbt templates are Handlebars: {# a Jinja comment #}');
    expect(comment).toContain('hint: write {{!-- a Jinja comment --}} (to convert');
  });

  it.each([
    ['an object', 'export function h() { return { a: 1 }; }\n', 'returned an object, which cannot be written into SQL', 'return text, a number or a boolean'],
    ['an array', 'export function h() { return ["a", "b"]; }\n', 'returned an array, which cannot be written into SQL', 'return text, e.g. items.join(", ")'],
  ])('refuses a JS helper that returns %s into SQL, at the model line', async (_case, module, message, hint) => {
    const stderr = await compileRefused({ 'macros/helpers.mjs': module, 'models/m.sql': 'select\n  {{h}} as x\n' });
    expect(stderr).toContain(`error models/m.sql:2:3 [model.demo.m]: helper "h" (macros/helpers.mjs) ${message}`);
    expect(stderr).toContain('> 2 |   {{h}} as x');
    expect(stderr).toContain(`hint: ${hint}`);
  });

  it('lets an array go to {{#each}} and to another helper', async () => {
    const project = createTmpProject({
      'macros/helpers.mjs': 'export function cols() { return ["a", "b"]; }\nexport function joined(list) { return list.join(", "); }\n',
      'models/m.sql': 'select {{joined (cols)}} from (select 1 as a, 2 as b)\n{{#each (cols)}}-- {{this}}\n{{/each}}\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.stderr).toBe('');
    expect(project.read('target/compiled/demo/models/m.sql')).toBe('select a, b from (select 1 as a, 2 as b)\n-- a\n-- b\n');
  });

  it('names the helper file and line of a JS helper that throws, and the model line that called it', async () => {
    const stderr = await compileRefused({
      'macros/helpers.mjs': 'export function h() {\n  return missing.value;\n}\n',
      'models/m.sql': 'select\n  {{h}} as x\n',
    });
    expect(stderr).toContain('error models/m.sql:2:3 [model.demo.m]: helper "h" failed: ReferenceError: missing is not defined (macros/helpers.mjs:2:3)');
    expect(stderr).toContain('hint: fix the helper in macros/helpers.mjs, or the arguments it is called with here');
  });

  it('names the line of a syntax error in a JS macro module', async () => {
    const stderr = await compileRefused({ 'macros/helpers.mjs': 'export function h() {\n  return (;\n}\n', 'models/m.sql': 'select 1 as x\n' });
    expect(stderr).toContain("error macros/helpers.mjs:2:11: cannot load JS macro module: SyntaxError: Unexpected token ';'");
    expect(stderr).toContain('> 2 |   return (;');
  });

  it('points at a missing partial, and at the macro line of an error inside a macro', async () => {
    const partial = await compileRefused({ 'models/m.sql': 'select *\nfrom {{> nope}}\n' });
    expect(partial).toContain('error models/m.sql:2:6 [model.demo.m]: unknown partial "nope"');
    expect(partial).toContain('hint: partials are the SQL macros of macros/ (file name = partial name)');
    const inMacro = await compileRefused({
      'macros/cents.sql': '{{!-- params: column --}}\n({{column}} / {{divisor}})\n',
      'models/m.sql': 'select\n  {{cents "a"}} as x\n',
    });
    expect(inMacro).toContain('error macros/cents.sql:2:17 [model.demo.m]: unknown name "divisor" in template (in macro "cents", called at models/m.sql:2:3)');
    expect(inMacro).toContain('> 2 | ({{column}} / {{divisor}})');
  });
});

describe('data tests whose query fails', () => {
  it('points a generic test at its YAML entry, and a singular test at its own line', async () => {
    const project = createTmpProject({
      'models/base.sql': "select 1 as id, 'a' as code\n",
      'models/base.yml':
        'version: 2\nmodels:\n  - name: base\n    columns:\n      - name: id\n        data_tests: [not_null]\n      - name: nope\n        data_tests:\n          - not_null\n',
      'tests/bad_query.sql': '{{config severity="error"}}\nselect *\nfrom {{ref "base"}}\nwhere bogus > 1\n',
    });
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain(
      'ERROR in test not_null_base_nope (models/base.yml:9:13, compiled target/compiled/demo/models/base.yml/not_null_base_nope.sql:1)\n  Binder Error: Referenced column "nope" not found in FROM clause!',
    );
    expect(result.stderr).toContain('hint: the test is declared at models/base.yml:9:13: check its column (nope) and arguments against base');
    expect(result.stderr).toContain(
      'ERROR in test bad_query (tests/bad_query.sql:4, compiled target/compiled/demo/tests/bad_query.sql:3)\n  Binder Error: Referenced column "bogus" not found in FROM clause!',
    );
    expect(result.stderr).toContain('hint: fix the query in tests/bad_query.sql');
    const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string }>;
    expect(results.find((r) => r.unique_id.startsWith('test.demo.not_null_base_id.'))?.status).toBe('pass');
  });
});

describe('selection and flags', () => {
  const project = () => createTmpProject({ 'models/base.sql': 'select 1 as id\n' });

  it.each([
    ['+@base+', '"@" selects parents and children already: it cannot be combined with "+"'],
    ['tag:', 'tag: needs a value', 'hint: write tag:<value> (e.g. tag:nightly)'],
    ['2+', 'nothing to select: a graph operator needs a name or a method:value beside it', 'hint: selectors are name, +name (and parents)'],
    ['@', 'nothing to select: a graph operator needs a name or a method:value beside it'],
    ['config.materialized', 'config.materialized needs a value', 'hint: write config.materialized:<value> (e.g. config.materialized:table)'],
    ['base++', '"+" can only stand at the start or the end of a selector'],
    ['resource_type:modle', 'unknown resource_type "modle"', 'hint: did you mean "model"?'],
    ['tga:nightly', 'unknown selector method "tga"', 'hint: did you mean "tag"?'],
  ])('refuses --select %s with the offending part and the grammar', async (selector, message, hint = 'hint: selectors are') => {
    const stderr = await refused(project(), ['ls', '--select', selector]);
    expect(stderr).toContain(`error: invalid selector "${selector}": ${message}`);
    expect(stderr).toContain(hint);
  });

  it('checks --exclude as --select', async () => {
    const stderr = await refused(project(), ['build', '--exclude', 'config.:x']);
    expect(stderr).toContain('error: invalid selector "config.:x": config. needs a config key');
  });

  it('warns, and builds nothing, for a valid selector that matches nothing (as dbt)', async () => {
    const result = await runTsdbt(project().dir, ['build', '--select', 'tag:nightly']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: nothing to build: the selection matched no seed or snapshot or model or test or unit_test');
  });

  it.each([
    ['build', '--treads', 'error: unknown option --treads for tsdbt build', 'hint: did you mean "--threads"? tsdbt build --help lists its options'],
    ['run', '--no-colour', 'error: unknown option --no-colour for tsdbt run', 'hint: did you mean "--no-color"?'],
    ['build', '--sample', 'error: --sample is a dbt option tsdbt does not support yet', 'hint: build on a small target'],
    ['test', '--empty', 'error: unknown option --empty for tsdbt test', 'tsdbt test --help lists its options'],
    ['run', '-m', 'error: -m is a dbt option tsdbt does not support yet', 'hint: write --select (-s)'],
  ])('names the unknown option of tsdbt %s %s as typed', async (command, flag, message, hint) => {
    const stderr = await refused(project(), [command, flag]);
    expect(stderr).toContain(message);
    expect(stderr).toContain(hint);
  });
});

describe('unit tests', () => {
  const files = (given: string) => ({
    'models/base.sql': "select 1 as id, 'a' as code\n",
    'models/m.sql': 'select id, code from {{ref "base"}}\n',
    'models/ut.yml': `version: 2\nunit_tests:\n  - name: ut\n    model: m\n    given:\n      - input: ref('base')\n${given}    expect:\n      rows: []\n`,
  });

  it('refuses a given row with a column the input does not have, naming the test, the input and the column', async () => {
    const project = createTmpProject(files('        rows:\n          - {id: 1, cod: x}\n'));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'ERROR in unit test ut (models/ut.yml:3)\n  the rows given for ref(\'base\') have column "cod", which ref(\'base\') does not have (its columns: id, code); did you mean "code"',
    );
    // The model the unit test guards is not built.
    expect(project.json('target/run_results.json').results.find((r: { unique_id: string }) => r.unique_id === 'model.demo.m').status).toBe('skipped');
  });

  it.each([
    [
      'rows given as text without format: csv',
      "        rows: 'code,name'\n",
      'error models/ut.yml:7:9: unit test "ut": rows is text, not a list of rows',
      'or add format: csv',
    ],
    [
      'format: csv with rows as a list',
      '        format: csv\n        rows:\n          - {id: 1}\n',
      'error models/ut.yml:8:9: unit test "ut": format: csv needs rows as CSV text',
      'write rows: |',
    ],
    [
      'a fixture file that does not exist',
      '        format: csv\n        fixture: base_rows\n',
      'error models/ut.yml:8:9: unit test "ut": fixture file "base_rows" not found',
      'create tests/fixtures/base_rows.csv',
    ],
  ])('refuses %s at compile', async (_case, given, message, hint) => {
    const stderr = await refused(createTmpProject(files(given)), ['compile']);
    expect(stderr).toContain(message);
    expect(stderr).toContain(hint);
  });

  it('reads rows from a fixture file (format: csv)', async () => {
    const project = createTmpProject({ ...files('        format: csv\n        fixture: base_rows\n'), 'tests/fixtures/base_rows.csv': 'id,code\n1,a\n' });
    project.write('models/ut.yml', project.read('models/ut.yml').replace('rows: []', 'rows: [{id: 1, code: a}]'));
    const result = await runTsdbt(project.dir, ['test', '--select', 'test_type:unit']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(project.json('target/run_results.json').results[0]).toMatchObject({ unique_id: 'unit_test.demo.m.ut', status: 'pass' });
  });
});

describe('the machine refusing tsdbt its own files', () => {
  it('stops before anything runs when target/ cannot be a folder', async () => {
    const project = createTmpProject({ 'models/m.sql': 'select 1 as x\n' });
    writeFileSync(project.path('target'), 'a file where target/ should be\n');
    const stderr = await refused(project, ['build']);
    expect(stderr).toContain('error: cannot create target: a file stands where a folder is needed (EEXIST)');
    expect(stderr).toContain('hint: remove or rename that file, or set target-path in project.yml elsewhere');
  });

  it('reports a full disk once, by path, stops the run and leaves the other tables as they were', async () => {
    const project = createTmpProject({ 'models/a.sql': 'select 1 as v\n', 'models/b.sql': 'select 1 as v\n' });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    project.write('models/a.sql', 'select 2 as v\n');
    project.write('models/b.sql', 'select 2 as v\n');
    // Writing a's run file fails as on a full disk (/dev/full answers every write with ENOSPC).
    rmSync(project.path('target/run/demo/models/a.sql'));
    symlinkSync('/dev/full', project.path('target/run/demo/models/a.sql'));
    const stderr = await refused(project, ['run', '--threads', '1']);
    expect(stderr).toContain('error: cannot write target/run/demo/models/a.sql: no space left on the device (ENOSPC)');
    expect(stderr).toContain('hint: free some disk space, or set target-path in project.yml to a disk with room; then run again');
    expect(stderr.match(/ENOSPC/g)).toHaveLength(1);
    expect(stderr).not.toContain('internal error');
    expect(await queryDuckdb(project.dbPath, 'select v from main.b')).toEqual([{ v: 1 }]);
  });

  it('reports a full disk while writing the manifest of compile', async () => {
    const project = createTmpProject({ 'models/m.sql': 'select 1 as x\n' });
    mkdirSync(project.path('target'), { recursive: true });
    symlinkSync('/dev/full', project.path('target/manifest.json'));
    const stderr = await refused(project, ['compile']);
    expect(stderr).toContain('error: cannot write target/manifest.json: no space left on the device (ENOSPC)');
  });
});

describe('a target/ folder tsdbt may not write into', () => {
  const READ_ONLY = fileURLToPath(new URL('../helpers/read-only-folder.cjs', import.meta.url));

  it.each([
    ['EROFS', 'the file system is read-only', 'set target-path in project.yml to a folder on a writable file system'],
    ['EACCES', 'permission denied', 'make the folder writable for this user (chmod u+w)'],
  ])('stops before anything runs (%s) and leaves the tables as they were', async (errno, cause, hint) => {
    const project = createTmpProject({ 'models/m.sql': '{{config materialized="table"}}\nselect 1 as v\n' });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);
    project.write('models/m.sql', '{{config materialized="table"}}\nselect 2 as v\n');
    const env = { NODE_OPTIONS: `--require ${READ_ONLY}`, TEST_READONLY_FOLDER: project.path('target'), TEST_READONLY_ERRNO: errno };
    const result = await runTsdbt(project.dir, ['build'], { env });
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: cannot write into target: ${cause} (${errno})`);
    expect(result.stderr).toContain(`hint: ${hint}`);
    expect(result.stdout).not.toContain('OK');
    expect(await queryDuckdb(project.dbPath, 'select v from main.m')).toEqual([{ v: 1 }]);
  });
});
