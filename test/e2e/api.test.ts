/**
 * The programmatic API: the README's "Use from TypeScript" example type-checked with the
 * project's TypeScript and run as written against a small project, importing the package by name.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb } from '../helpers/tmp-project.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The first ```ts block after the heading. */
function readmeExample(heading: string): string {
  const readme = readFileSync(`${repo}/README.md`, 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  return /```ts\n([\s\S]*?)```/.exec(section)![1]!;
}

describe('import { … } from "tsdbt"', () => {
  it('runs the README example: builds a project from TypeScript and returns what the CLI reports', () => {
    const project = createTmpProject({
      'seeds/orders.csv': 'id,customer_id,amount\n1,1,10\n2,1,5\n3,2,7\n',
      'models/stg_orders.sql': 'select id, customer_id, amount from {{ref "orders"}} where amount >= {{var "min_amount"}}\n',
      'models/customer_totals.sql': '{{config materialized="table"}}\nselect customer_id, sum(amount) as total from {{ref "stg_orders"}} group by 1\n',
      'models/unrelated.sql': 'select 1 as x\n',
      'models/schema.yml': 'version: 2\nmodels:\n  - name: customer_totals\n    columns:\n      - name: customer_id\n        data_tests: [unique, not_null]\n',
      'package.json': '{"type": "module"}\n',
      'build.ts': readmeExample('## Use from TypeScript'),
    });
    // The package by name, as an installed dependency resolves it.
    mkdirSync(project.path('node_modules'));
    symlinkSync(repo, project.path('node_modules/tsdbt'), 'dir');
    const tsc = spawnSync(
      process.execPath,
      [
        `${repo}/node_modules/typescript/bin/tsc`,
        '--strict',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        '--types',
        'node',
        '--typeRoots',
        `${repo}/node_modules/@types`,
        'build.ts',
      ],
      { cwd: project.dir, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = spawnSync(process.execPath, ['build.js', project.dir], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').slice(-5)).toEqual([
      'success seed orders (3 rows)',
      'success model stg_orders',
      'success model customer_totals (2 rows)',
      'pass test unique_customer_totals_customer_id',
      'pass test not_null_customer_totals_customer_id',
    ]);
    expect(project.exists('target/run_results.json')).toBe(true);
    return queryDuckdb(project.dbPath, 'select customer_id::int as c, total::int as t from main.customer_totals order by 1').then((rows) =>
      expect(rows).toEqual([
        { c: 1, t: 15 },
        { c: 2, t: 7 },
      ]),
    );
  });
});
