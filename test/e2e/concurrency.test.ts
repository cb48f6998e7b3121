import { mkdirSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, sleep, startTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

describe('database lock', () => {
  it('a second process on the same DuckDB file is refused at once (exit 2), then works once it is free', async () => {
    const project = createTmpProject({ 'models/m.sql': '{{config materialized="table"}}\nselect 1 as x\n' });
    mkdirSync(project.path('target'), { recursive: true });
    const holder = await DuckDBInstance.create(project.dbPath);
    try {
      const locked = await runTsdbt(project.dir, ['run']);
      expect(locked.code).toBe(2);
      expect(locked.stderr).toContain(`database target/dev.duckdb is in use by another tsdbt run (process ${process.pid})`);
      expect(locked.stderr).toContain('hint: DuckDB allows one writer per file');
      expect(locked.stderr).not.toMatch(STACK_LINE);
      expect(project.exists('target/run_results.json')).toBe(false);
    } finally {
      holder.closeSync();
    }
    const free = await runTsdbt(project.dir, ['run']);
    expect(free.code).toBe(0);
    expect(await queryDuckdb(project.dbPath, 'select x from main.m')).toEqual([{ x: 1 }]);
  });
});

describe('Ctrl-C', () => {
  it('cancels the running query, exits 130, records the node as cancelled and keeps the old table', async () => {
    const project = createTmpProject({
      'models/slow.sql': '{{config materialized="table"}}\nselect count(*) as n from range({{var "n" 10}})\n',
    });
    const first = await runTsdbt(project.dir, ['run']);
    expect(first.code).toBe(0);
    expect(await queryDuckdb(project.dbPath, 'select n::int as n from main.slow')).toEqual([{ n: 10 }]);

    // 10^11 rows: minutes of work, far longer than this test waits.
    const running = startTsdbt(project.dir, ['run', '--vars', '{n: 100000000000}']);
    await running.waitFor(/tsdbt run: 1 node on target dev/);
    await sleep(1_000);
    running.interrupt('SIGINT');
    const result = await running.result;

    expect(result.timedOut).toBe(false);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('warning: interrupt received: cancelling running queries');
    expect(result.stderr).toContain('Interrupted: in-flight queries were cancelled and rolled back.');
    expect(result.stdout).toMatch(/ERROR\s+table\s+main\.slow\s+cancelled \(interrupted\)/);

    const runResults = project.json('target/run_results.json');
    expect(runResults.results).toHaveLength(1);
    expect(runResults.results[0].unique_id).toBe('model.demo.slow');
    expect(runResults.results[0].status).toBe('error');
    expect(runResults.results[0].message).toContain('cancelled');
    expect(runResults.args.vars).toEqual({ n: 100000000000 });

    // The replace was rolled back: the previous table is intact.
    expect(await queryDuckdb(project.dbPath, 'select n::int as n from main.slow')).toEqual([{ n: 10 }]);
  });

  it('a Ctrl-C that arrives before the models start (during on-run-start) still stops the run', async () => {
    const project = createTmpProject({
      'project.yml': `name: demo
profile: demo
on-run-start:
  - "select count(*) from range(4000000000)"
`,
      'models/m.sql': '{{config materialized="table"}}\nselect 1 as x\n',
    });
    const running = startTsdbt(project.dir, ['run']);
    // The database file appears when the adapter opens, just before the hook runs (and long
    // after the CLI installed its SIGINT handler).
    const deadline = Date.now() + 300_000;
    while (!project.exists('target/dev.duckdb') && Date.now() < deadline) await sleep(25);
    expect(project.exists('target/dev.duckdb')).toBe(true);
    await sleep(300);
    running.interrupt('SIGINT');
    const result = await running.result;

    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('warning: interrupt received');
    // Nothing may be built after the user pressed Ctrl-C.
    expect(await queryDuckdb(project.dbPath, `select table_name from information_schema.tables where table_name = 'm'`)).toEqual([]);
  });
});
