/**
 * Broken input, as a new user writes it: each case exits 2 before anything runs, naming the file,
 * the line and what to do, with no stack trace — and a table built before stays as it was.
 */
import { writeFileSync } from 'node:fs';
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
