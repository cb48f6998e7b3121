import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt, STACK_LINE, type RunResult, type TmpProject } from '../helpers/tmp-project.js';

/** A valid little project; each case breaks one thing. */
const BASE: Record<string, string> = {
  'models/base.sql': 'select 1 as id\n',
  'models/child.sql': 'select id from {{ref "base"}}\n',
  'models/sources.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: orders
`,
};

/** The CLI refused before running anything: exit 2, no stack, no database, no run results. */
function expectRefused(project: TmpProject, result: RunResult): void {
  expect(result.code).toBe(2);
  expect(result.stderr).not.toMatch(STACK_LINE);
  expect(result.stdout).not.toMatch(STACK_LINE);
  expect(project.exists('target/dev.duckdb')).toBe(false);
  expect(project.exists('target/run_results.json')).toBe(false);
}

async function buildBroken(files: Record<string, string>, args: string[] = [], env?: Record<string, string | undefined>) {
  const project = createTmpProject({ ...BASE, ...files });
  const result = await runTsdbt(project.dir, ['build', ...args], { env });
  expectRefused(project, result);
  return { project, result };
}

describe('project errors stop the build before anything runs (exit 2)', () => {
  it('the project is valid without the breakage', async () => {
    const project = createTmpProject(BASE);
    const result = await runTsdbt(project.dir, ['parse']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('bad YAML syntax in a properties file names file:line:col', async () => {
    const { result } = await buildBroken({
      'models/schema.yml': `version: 2
models:
  - name: base
     description: indented one space too far
`,
    });
    expect(result.stderr).toContain('error models/schema.yml:4:');
    expect(result.stderr).toContain('invalid YAML: bad indentation of a mapping entry');
    expect(result.stderr).toContain('> 4 |      description: indented one space too far');
  });

  it('an unknown key in model properties suggests the right one', async () => {
    const { result } = await buildBroken({
      'models/schema.yml': `version: 2
models:
  - name: base
    descripton: The base model.
`,
    });
    expect(result.stderr).toMatch(/^error models\/schema\.yml:4:5: unknown key "descripton"/);
    expect(result.stderr).toContain('hint: did you mean "description"?');
  });

  it('an unknown ref suggests the closest model and points at file:line:col', async () => {
    const { result } = await buildBroken({ 'models/typo.sql': 'select *\nfrom {{ref "bsae"}}\n' });
    expect(result.stderr).toContain('error models/typo.sql:2:6 [model.demo.typo]: model "typo" references unknown ref "bsae"');
    expect(result.stderr).toContain('> 2 | from {{ref "bsae"}}');
    expect(result.stderr).toContain('hint: did you mean "base"?');
  });

  it('an unknown ref inside a block helper (Handlebars path) still has line:col', async () => {
    const { result } = await buildBroken({ 'models/blocky.sql': '{{#if true}}\nselect 1 as x\n{{/if}}\nunion all select * from {{ref "chlid"}}\n' });
    expect(result.stderr).toContain('error models/blocky.sql:4:25 [model.demo.blocky]: model "blocky" references unknown ref "chlid"');
    expect(result.stderr).toContain('did you mean "child"?');
  });

  it('an unknown source names it and suggests the declared one', async () => {
    const { result } = await buildBroken({ 'models/from_src.sql': 'select * from {{source "raw" "ordrs"}}\n' });
    expect(result.stderr).toContain('error models/from_src.sql:1:15 [model.demo.from_src]: model "from_src" references unknown source "raw" "ordrs"');
    expect(result.stderr).toContain('did you mean "raw.orders"?');
  });

  it('a template syntax error (unclosed {{#if}}) points at the block left open', async () => {
    const { result } = await buildBroken({ 'models/unclosed.sql': 'select 1 as a\n{{#if (var "flag" false)}}\nwhere 1 = 1\n' });
    expect(result.stderr).toMatch(/^error models\/unclosed\.sql:2:1 \[model\.demo\.unclosed\]: template syntax error: \{\{#if\}\} is never closed/);
    expect(result.stderr).toContain('hint: add {{/if}} where the block ends');
  });

  it('a template syntax error inside a mustache names the line', async () => {
    const { result } = await buildBroken({ 'models/badtag.sql': 'select 1 as a\nfrom {{ref "x" =}}\n' });
    expect(result.stderr).toMatch(/^error models\/badtag\.sql:2(:\d+)? \[model\.demo\.badtag\]: template syntax error: /);
    expect(result.stderr).toContain('hint: check that every {{ has a matching }} and every {{#block}} is closed with {{/block}}');
  });

  it('a dependency cycle names every model of the cycle', async () => {
    const { result } = await buildBroken({
      'models/cyc_a.sql': 'select * from {{ref "cyc_c"}}\n',
      'models/cyc_b.sql': 'select * from {{ref "cyc_a"}}\n',
      'models/cyc_c.sql': 'select * from {{ref "cyc_b"}}\n',
    });
    const line = result.stderr.split('\n').find((l) => l.includes('dependency cycle:'));
    expect(line).toBeDefined();
    const cycle = line!.slice(line!.indexOf('dependency cycle: ') + 'dependency cycle: '.length).split(' -> ');
    expect(cycle).toHaveLength(4);
    expect(cycle[0]).toBe(cycle[3]);
    expect([...cycle.slice(0, 3)].sort()).toEqual(['cyc_a', 'cyc_b', 'cyc_c']);
    // Each step of the printed cycle is a real ref: x -> y means y refs x, or x refs y, consistently.
    const refs: Record<string, string> = { cyc_a: 'cyc_c', cyc_b: 'cyc_a', cyc_c: 'cyc_b' };
    const forward = cycle.slice(0, 3).every((name, i) => refs[name] === cycle[i + 1]);
    const backward = cycle.slice(0, 3).every((name, i) => refs[cycle[i + 1]!] === name);
    expect(forward || backward).toBe(true);
  });

  it('a missing profile suggests the existing one', async () => {
    const { result } = await buildBroken({ 'project.yml': 'name: demo\nprofile: dem\n' });
    expect(result.stderr).toContain('error profiles.yml: profile "dem" not found in profiles.yml');
    expect(result.stderr).toContain('did you mean "demo"?');
  });

  it('a missing target lists the available targets', async () => {
    const { result } = await buildBroken(
      {
        'profiles.yml': `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/dev.duckdb
    ci:
      type: duckdb
      path: target/ci.duckdb
`,
      },
      ['--target', 'nope'],
    );
    expect(result.stderr).toContain('target "nope" not found in profile "demo" (profiles.yml)');
    expect(result.stderr).toContain('hint: available targets: dev, ci');
  });

  it('a missing environment variable in profiles.yml is named, with its line', async () => {
    const { result } = await buildBroken(
      {
        'profiles.yml': `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: '{{env "TSDBT_TEST_MISSING"}}'
`,
      },
      [],
      { TSDBT_TEST_MISSING: undefined },
    );
    expect(result.stderr).toContain('error profiles.yml:6:');
    expect(result.stderr).toContain('environment variable TSDBT_TEST_MISSING is not set');
    expect(result.stderr).toContain('export TSDBT_TEST_MISSING=...');
  });

  it('an environment variable in profiles.yml is used when set, its default otherwise', async () => {
    const profiles = `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: '{{env "TSDBT_TEST_DB" "target/fallback.duckdb"}}'
`;
    const project = createTmpProject({ ...BASE, 'profiles.yml': profiles });
    const fallback = await runTsdbt(project.dir, ['run', '--select', 'base']);
    expect(fallback.code).toBe(0);
    expect(project.exists('target/fallback.duckdb')).toBe(true);
    const fromEnv = await runTsdbt(project.dir, ['run', '--select', 'base'], { env: { TSDBT_TEST_DB: 'target/from_env.duckdb' } });
    expect(fromEnv.code).toBe(0);
    expect(project.exists('target/from_env.duckdb')).toBe(true);
  });

  it('a missing var without default names the var and the model line', async () => {
    const { result } = await buildBroken({ 'models/needs_var.sql': 'select\n  {{var "start_date"}} as d\n' });
    expect(result.stderr).toContain('error models/needs_var.sql:2:3 [model.demo.needs_var]: required var "start_date" is not set');
  });

  it('every problem is reported at once', async () => {
    const { result } = await buildBroken({
      'models/typo_one.sql': 'select * from {{ref "nope_one"}}\n',
      'models/typo_two.sql': 'select * from {{ref "nope_two"}}\n',
    });
    expect(result.stderr).toContain('references unknown ref "nope_one"');
    expect(result.stderr).toContain('references unknown ref "nope_two"');
    expect(result.stdout).toContain('2 errors; nothing was run.');
  });

  it('--debug adds the stack trace', async () => {
    const project = createTmpProject({ ...BASE, 'models/typo.sql': 'select * from {{ref "bsae"}}\n' });
    const result = await runTsdbt(project.dir, ['build', '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('references unknown ref "bsae"');
    expect(result.stderr).toMatch(STACK_LINE);
  });
});

describe('command-line errors (exit 2)', () => {
  it('an unknown flag', async () => {
    const project = createTmpProject(BASE);
    const result = await runTsdbt(project.dir, ['run', '--bogus']);
    expectRefused(project, result);
    expect(result.stderr).toContain('error: unknown option --bogus for tsdbt run');
    expect(result.stderr).toContain('hint: tsdbt run --help lists its options');
  });

  it('an invalid selector method, with a suggestion', async () => {
    const project = createTmpProject(BASE);
    const result = await runTsdbt(project.dir, ['run', '--select', 'tga:nightly']);
    expectRefused(project, result);
    expect(result.stderr).toContain('error: invalid selector "tga:nightly": unknown selector method "tga"');
    expect(result.stderr).toContain('did you mean "tag"?');
  });

  it('an unknown command lists the commands', async () => {
    const project = createTmpProject(BASE);
    const result = await runTsdbt(project.dir, ['bulid']);
    expectRefused(project, result);
    expect(result.stderr).toContain('error: unknown command "bulid"');
    expect(result.stderr).toContain('hint: did you mean "build"? commands: init, debug, parse, compile, ls, seed, snapshot, run, test, build, source, show');
  });

  it('invalid values for --threads, --log-format and --vars', async () => {
    const project = createTmpProject(BASE);
    const threads = await runTsdbt(project.dir, ['run', '--threads', '0']);
    expectRefused(project, threads);
    expect(threads.stderr).toContain('--threads must be a positive integer, got "0"');

    const format = await runTsdbt(project.dir, ['run', '--log-format', 'xml']);
    expectRefused(project, format);
    expect(format.stderr).toContain('--log-format must be text or json, got "xml"');

    const vars = await runTsdbt(project.dir, ['run', '--vars', '[1, 2]']);
    expectRefused(project, vars);
    expect(vars.stderr).toContain('--vars must be a mapping of names to values');
  });

  it('no project.yml in the folder', async () => {
    const empty = createTmpProject({}, { bare: true });
    const result = await runTsdbt(empty.dir, ['run']);
    expectRefused(empty, result);
    expect(result.stderr).toContain(`no project.yml found in ${empty.dir}`);
    expect(result.stderr).toContain('tsdbt init');
  });
});
