import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const resultsById = (results: any) => Object.fromEntries(results.results.map((r: any) => [r.unique_id, r]));

describe('a failing model', () => {
  it('keeps the previous table (atomic replace), skips its children, still builds independent models', async () => {
    const project = createTmpProject({
      'seeds/items.csv': 'id,price\n1,10\n2,20\n3,30\n',
      'models/summary.sql': `{{config materialized="table"}}
select count(*) as n,
  sum(price) as total
from {{ref "items"}}
`,
      'models/summary_child.sql': 'select n * 2 as n2 from {{ref "summary"}}\n',
      'models/summary_grandchild.sql': '{{config materialized="table"}}\nselect n2 + 1 as n3 from {{ref "summary_child"}}\n',
      'models/independent.sql': '{{config materialized="table"}}\nselect 1 as one\n',
    });
    const first = await runTsdbt(project.dir, ['build']);
    expect(first.code).toBe(0);
    expect(await queryDuckdb(project.dbPath, 'select n::int as n, total::int as total from main.summary')).toEqual([{ n: 3, total: 60 }]);

    // Line 3 now references a column that does not exist.
    project.write(
      'models/summary.sql',
      `{{config materialized="table"}}
select count(*) as n,
  sum(price_typo) as total
from {{ref "items"}}
`,
    );
    project.write('seeds/items.csv', 'id,price\n1,10\n2,20\n3,30\n4,40\n');
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      'ERROR in model summary (models/summary.sql:3, compiled target/compiled/demo/models/summary.sql:3)\n  Binder Error: Referenced column "price_typo" not found in FROM clause!',
    );
    expect(second.stderr).toContain('hint: fix the SQL and run again; the previous relation was left untouched');
    expect(second.stderr).not.toMatch(STACK_LINE);
    expect(second.stdout).toMatch(/ERROR\s+table\s+main\.summary\s+Binder Error/);
    expect(second.stdout).toMatch(/SKIP\s+view\s+main\.summary_child\s+skipped: upstream summary failed/);

    // The old table is still there, with its old rows (the seed meanwhile has 4).
    expect(await queryDuckdb(project.dbPath, 'select n::int as n, total::int as total from main.summary')).toEqual([{ n: 3, total: 60 }]);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.items')).toEqual([{ n: 4 }]);

    const results = resultsById(project.json('target/run_results.json'));
    expect(results['seed.demo.items'].status).toBe('success');
    expect(results['model.demo.summary'].status).toBe('error');
    expect(results['model.demo.summary'].message).toMatch(/^Binder Error: Referenced column "price_typo" not found in FROM clause!/);
    expect(results['model.demo.summary_child']).toMatchObject({ status: 'skipped', message: 'skipped: upstream summary failed' });
    expect(results['model.demo.summary_grandchild']).toMatchObject({ status: 'skipped', message: 'skipped: upstream summary failed' });
    // Nothing it reads changed since the first run: left as it is.
    expect(results['model.demo.independent']).toMatchObject({ status: 'reused', message: 'reused: nothing it reads changed since its last build' });
    // The failed SQL is still written where the error message points.
    expect(project.read('target/compiled/demo/models/summary.sql').split('\n')[2]).toBe('  sum(price_typo) as total');
  });

  it('maps the DuckDB error line back to the model file through an inlined ephemeral CTE', async () => {
    const project = createTmpProject({
      'models/base.sql': '{{config materialized="ephemeral"}}\nselect 1 as id, 2 as amount\n',
      'models/report.sql': `{{config materialized="table"}}
select id,
  amount * 2 as doubled,
  amount + missing_column as broken
from {{ref "base"}}
`,
    });
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(1);
    // Model line 4 is line 7 of the compiled SQL (3 CTE lines + the config line's blank line).
    expect(project.read('target/compiled/demo/models/report.sql').split('\n')[6]).toBe('  amount + missing_column as broken');
    expect(result.stderr).toContain('ERROR in model report (models/report.sql:4, compiled target/compiled/demo/models/report.sql:7)');
    expect(result.stderr).toContain('Binder Error: Referenced column "missing_column" not found in FROM clause!');
    expect(result.stderr).not.toMatch(STACK_LINE);

    const json = await runTsdbt(project.dir, ['run', '--log-format', 'json']);
    expect(json.code).toBe(1);
    const failed = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((e) => e.event === 'node_finished' && e.status === 'error');
    expect(failed).toMatchObject({
      unique_id: 'model.demo.report',
      location: 'models/report.sql:4, compiled target/compiled/demo/models/report.sql:7',
    });
    expect(failed.message).toContain('missing_column');
  });

  it('an SQL error inside an ephemeral model points at the ephemeral model file and line', async () => {
    const project = createTmpProject({
      'models/eph.sql': '{{config materialized="ephemeral"}}\nselect 1 as id,\n  bogus_col as y\n',
      'models/child.sql': '{{config materialized="table"}}\nselect id\nfrom {{ref "eph"}}\n',
    });
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR in model child');
    expect(result.stderr).toContain('Referenced column "bogus_col"');
    // The broken line is line 3 of models/eph.sql (inlined as a CTE into child's compiled SQL).
    expect(project.read('target/compiled/demo/models/child.sql').split('\n')[2]).toBe('  bogus_col as y');
    expect(result.stderr).toContain('models/eph.sql:3');
  });

  it('--fail-fast cancels in-flight queries and starts nothing else', async () => {
    const project = createTmpProject({
      // Fails after a fraction of a second, while b_slow is surely running.
      'models/a_fail.sql': `{{config materialized="table"}}
select case when count(*) > 0 then error('boom from a_fail') end as x from range(1000000000)
`,
      // Would run for minutes.
      'models/b_slow.sql': '{{config materialized="table"}}\nselect count(*) as n from range(100000000000)\n',
      'models/c_later.sql': '{{config materialized="table"}}\nselect 1 as one\n',
    });
    const result = await runTsdbt(project.dir, ['run', '--fail-fast', '--threads', '2']);
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('--fail-fast: stopping after the failure of a_fail');
    expect(result.stderr).toContain('boom from a_fail');

    const results = resultsById(project.json('target/run_results.json'));
    expect(results['model.demo.a_fail'].status).toBe('error');
    expect(results['model.demo.b_slow']).toMatchObject({ status: 'error', message: 'cancelled (interrupted)' });
    expect(results['model.demo.c_later']).toMatchObject({ status: 'skipped', message: 'skipped: run stopped' });
    expect(project.json('target/run_results.json').args.fail_fast).toBe(true);
    const tables = await queryDuckdb(project.dbPath, `select table_name from information_schema.tables order by 1`);
    expect(tables).toEqual([]);
  });

  it('without --fail-fast the other models still run', async () => {
    const project = createTmpProject({
      'models/a_fail.sql': '{{config materialized="table"}}\nselect nope from range(3)\n',
      'models/b_ok.sql': '{{config materialized="table"}}\nselect 1 as one\n',
    });
    const result = await runTsdbt(project.dir, ['run', '--threads', '1']);
    expect(result.code).toBe(1);
    const results = resultsById(project.json('target/run_results.json'));
    expect(results['model.demo.a_fail'].status).toBe('error');
    expect(results['model.demo.b_ok'].status).toBe('success');

    const fast = await runTsdbt(project.dir, ['run', '--threads', '1', '-x']);
    expect(fast.code).toBe(1);
    const fastResults = resultsById(project.json('target/run_results.json'));
    expect(fastResults['model.demo.a_fail'].status).toBe('error');
    expect(fastResults['model.demo.b_ok']).toMatchObject({ status: 'skipped', message: 'skipped: run stopped' });
  });
});
