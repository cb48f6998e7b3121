import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { CLI, createTmpProject, queryDuckdb, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const PROJECT_FLAGS = [
  '--project-dir <dir>',
  '--profiles-dir <dir>',
  '-t, --target <name>',
  '--vars <yaml>',
  '--log-format <format>',
  '--no-color',
  '-q, --quiet',
  '--debug',
];
const SELECTION_FLAGS = ['-s, --select <selector>', '--exclude <selector>'];
const EXECUTION_FLAGS = ['--threads <n>', '--full-refresh', '--no-reuse', '-x, --fail-fast'];

const EXPECTED_FLAGS: Record<string, { usage: string; flags: string[]; absent: string[] }> = {
  init: { usage: 'init [dir]', flags: ['--log-format <format>', '--no-color', '-q, --quiet', '--debug'], absent: ['--select', '--target', '--threads'] },
  debug: { usage: 'debug', flags: PROJECT_FLAGS, absent: ['--select', '--threads'] },
  parse: { usage: 'parse', flags: PROJECT_FLAGS, absent: ['--select', '--threads'] },
  compile: { usage: 'compile', flags: [...PROJECT_FLAGS, ...SELECTION_FLAGS, '--inline <sql>'], absent: ['--threads', '--full-refresh'] },
  ls: { usage: 'ls', flags: [...PROJECT_FLAGS, ...SELECTION_FLAGS, '--resource-type <type>', '--output <format>'], absent: ['--threads', '--full-refresh'] },
  seed: { usage: 'seed', flags: [...PROJECT_FLAGS, ...SELECTION_FLAGS, ...EXECUTION_FLAGS], absent: ['--inline', '--limit'] },
  run: { usage: 'run', flags: [...PROJECT_FLAGS, ...SELECTION_FLAGS, ...EXECUTION_FLAGS], absent: ['--inline', '--limit'] },
  build: { usage: 'build', flags: [...PROJECT_FLAGS, ...SELECTION_FLAGS, ...EXECUTION_FLAGS], absent: ['--inline', '--limit'] },
  show: {
    usage: 'show',
    flags: [...PROJECT_FLAGS, '-s, --select <selector>', '--inline <sql>', '--limit <n>', '--output <format>'],
    absent: ['--exclude', '--threads'],
  },
};

describe('--help', () => {
  it('lists every command', async () => {
    const result = await runTsdbt(tmpdir(), ['--help']);
    expect(result.code).toBe(0);
    for (const name of Object.keys(EXPECTED_FLAGS)) expect(result.stdout).toMatch(new RegExp(`^\\s+${name.replace(/[[\]]/g, '\\$&')}\\b`, 'm'));
  });

  for (const [command, spec] of Object.entries(EXPECTED_FLAGS)) {
    it(`${command} --help lists its flags`, async () => {
      const result = await runTsdbt(tmpdir(), [command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`$ tsdbt ${spec.usage}`);
      for (const flag of [...spec.flags, '-h, --help']) expect(result.stdout).toContain(flag);
      for (const flag of spec.absent) expect(result.stdout).not.toContain(flag);
      // cac's "(default: true)" on a --no-… flag would read as if it were on by default.
      expect(result.stdout).not.toMatch(/--no-\S+\s.*\(default: true\)/);
    });
  }

  it('--version prints the version', async () => {
    const result = await runTsdbt(tmpdir(), ['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0.1.0');
  });

  it('no command prints the help and exits 2', async () => {
    const result = await runTsdbt(tmpdir(), []);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Usage:');
  });
});

describe('init', () => {
  it('says npx tsdbt inside a project whose node_modules has tsdbt', async () => {
    const parent = createTmpProject({ 'node_modules/.bin/tsdbt': '#!/bin/sh\n' }, { bare: true });
    const init = await runTsdbt(parent.dir, ['init', 'newdir']);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Next: cd newdir && npx tsdbt build\n');
    expect(init.stdout).not.toContain('npm install --save-dev');
  });

  it('creates a project that builds straight away, and refuses an existing one', async () => {
    const parent = createTmpProject({}, { bare: true });
    const init = await runTsdbt(parent.dir, ['init', 'newdir']);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`Created project "newdir" in ${parent.path('newdir')}:`);
    // Outside a project that depends on tsdbt, npx cannot find it: the line names this tsdbt's bin.
    expect(init.stdout).toContain(`Next: cd newdir && node ${CLI} build\n`);
    expect(init.stdout).toContain('(to type npx tsdbt instead: npm install --save-dev ');
    for (const file of [
      'project.yml',
      'profiles.yml',
      'seeds/countries.csv',
      'models/staging/stg_countries.sql',
      'models/marts/country_count.sql',
      'models/schema.yml',
      '.gitignore',
    ]) {
      expect(parent.exists(`newdir/${file}`)).toBe(true);
    }
    expect(parent.read('newdir/project.yml')).toMatch(/^name: newdir$/m);

    // The printed command itself builds the project.
    const next = /^Next: (.*)$/m.exec(init.stdout)![1]!;
    const build = spawnSync('sh', ['-c', next], { cwd: parent.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    expect(build.stdout).toContain('tsdbt build: 5 nodes on target dev (duckdb, 2 threads)');
    expect(await queryDuckdb(parent.path('newdir/target/dev.duckdb'), 'select countries::int as countries from marts.country_count')).toEqual([
      { countries: 3 },
    ]);
    expect(await queryDuckdb(parent.path('newdir/target/dev.duckdb'), 'select country_code from staging.stg_countries order by 1')).toEqual([
      { country_code: 'DE' },
      { country_code: 'ES' },
      { country_code: 'FR' },
    ]);

    const again = await runTsdbt(parent.dir, ['init', 'newdir']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`error: ${parent.path('newdir')} already holds a project`);
  });
});

describe('output to a reader that goes away', () => {
  it('`tsdbt build | head -1`: no stack trace, the build still completes', async () => {
    const project = createTmpProject({ 'models/a.sql': 'select 1 as x\n', 'models/b.sql': 'select * from {{ref "a"}}\n' });
    const child = spawn(process.execPath, [CLI, 'build'], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    // The reader takes the first chunk and closes, as head does.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
    expect(await queryDuckdb(project.dbPath, 'select x from main.b')).toEqual([{ x: 1 }]);
  });
});
