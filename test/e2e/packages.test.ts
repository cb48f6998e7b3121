/**
 * tsdbt packages are npm packages holding a tsdbt project: `tsdbt deps` installs them with npm
 * (here a local folder, as a file: dependency: no network), and their macros, generic tests and
 * models load under the package's name, as dbt packages do.
 */
import { existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const FINANCE = {
  'finance/package.json': '{ "name": "tsdbt-finance", "version": "1.0.0" }\n',
  'finance/project.yml': 'name: finance\n',
  'finance/macros/cents.sql': '{{!-- params: column, scale=2 --}}\nround({{column}} / 100.0, {{scale}})\n',
  'finance/tests/generic/is_even.sql': 'select * from {{model}} where {{column_name}} % 2 <> 0\n',
  'finance/models/finance_rates.sql': "select 'EUR' as currency, 1.0 as rate\n",
  'finance/models/finance.yml':
    'version: 2\nmodels:\n  - name: finance_rates\n    description: Exchange rates\n    columns:\n      - name: currency\n        data_tests: [not_null]\n',
};

describe('packages', () => {
  it('tsdbt deps installs a local package with npm; its macros, tests and models load under its name', async () => {
    const root = createTmpProject(
      {
        ...FINANCE,
        'shop/project.yml': 'name: shop\nprofile: shop\n',
        'shop/profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n',
        'shop/packages.yml': 'packages:\n  - local: ../finance\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n',
        'shop/models/orders.sql':
          'select 4 as n, {{finance.cents "1250"}} as dollars, {{finance.cents "1250" 0}} as rounded, r.rate\nfrom {{ref "finance" "finance_rates"}} as r\n',
        'shop/models/orders.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: n\n        data_tests: [finance.is_even]\n',
      },
      { bare: true },
    );
    const shop = root.path('shop');
    const before = await runTsdbt(shop, ['compile']);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('error packages.yml:2:5: package "tsdbt-finance" is not installed\n  hint: run tsdbt deps');

    const deps = await runTsdbt(shop, ['deps']);
    expect(deps.stderr).not.toMatch(STACK_LINE);
    expect(deps.code, deps.stderr).toBe(0);
    expect(deps.stdout).toContain('installed file:../finance: its macros and tests are finance.<name>');
    expect(deps.stdout).toContain('dbt-labs/dbt_utils: built into tsdbt: nothing to install');
    expect(lstatSync(join(shop, 'node_modules/tsdbt-finance')).isSymbolicLink()).toBe(true);
    expect(root.json('shop/package.json').dependencies).toEqual({ 'tsdbt-finance': 'file:../finance' });
    expect(existsSync(join(shop, 'package-lock.json'))).toBe(true);

    const build = await runTsdbt(shop, ['build']);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(
      await queryDuckdb(join(shop, 'target/dev.duckdb'), 'select dollars::double as d, rounded::double as r, rate::double as rate from main.orders'),
    ).toEqual([{ d: 12.5, r: 13, rate: 1 }]);
    const manifest = root.json('shop/target/manifest.json');
    expect(manifest.nodes['model.finance.finance_rates']).toMatchObject({
      package_name: 'finance',
      description: 'Exchange rates',
      original_file_path: 'node_modules/tsdbt-finance/models/finance_rates.sql',
    });
    expect(manifest.macros['macro.finance.cents']).toMatchObject({ package_name: 'finance' });
    expect(manifest.nodes['model.shop.orders'].depends_on).toEqual({ nodes: ['model.finance.finance_rates'], macros: ['macro.finance.cents'] });
    const tests = Object.values(manifest.nodes as Record<string, { resource_type: string; name: string }>)
      .filter((n) => n.resource_type === 'test')
      .map((n) => n.name);
    expect(tests.sort()).toEqual(['finance_is_even_orders_n', 'not_null_finance_rates_currency']);
    if (schemasPresent) expect(manifestViolations(manifest)).toEqual([]);
  });

  it('reports a dbt hub package tsdbt cannot install, and a package entry it cannot read', async () => {
    const project = createTmpProject({
      'models/m.sql': 'select 1 as x\n',
      'packages.yml': 'packages:\n  - package: dbt-labs/codegen\n    version: 0.12.1\n  - git: https://example.com/x.git\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: packages.yml:2:5: package dbt-labs/codegen is not loaded: dbt hub packages are Jinja: tsdbt cannot install them.',
    );
    expect(result.stderr).toContain(
      'warning: packages.yml:4:5: package https://example.com/x.git is not loaded: give a git package to npm: - npm: "git+https://example.com/x.git"',
    );
  });
});
