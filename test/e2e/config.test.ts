import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

describe('config precedence: project.yml folder < properties YAML config: < {{config}}', () => {
  it('builds each model in the schema and with the materialization that wins', async () => {
    const project = createTmpProject({
      'project.yml': `name: demo
profile: demo
models:
  demo:
    gold:
      +schema: gold
      +materialized: table
      +tags: [folder_tag]
`,
      // Folder defaults only.
      'models/gold/a_folder.sql': 'select 1 as x\n',
      // YAML overrides both folder keys.
      'models/gold/b_yaml.sql': 'select 2 as x\n',
      // YAML overrides the schema, the template overrides YAML's materialization.
      'models/gold/c_template.sql': '{{config materialized="table" tags="tpl_tag"}}\nselect 3 as x\n',
      // The template overrides the folder's schema.
      'models/gold/d_template_schema.sql': '{{config schema="tpl"}}\nselect 4 as x\n',
      // Outside the folder: the target's default schema, view.
      'models/other/e_default.sql': 'select 5 as x\n',
      'models/gold/_gold.yml': `version: 2
models:
  - name: b_yaml
    config:
      materialized: view
      schema: gold_yaml
  - name: c_template
    tags: [yaml_tag]
    config:
      materialized: view
      schema: gold_yaml
`,
    });
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const relations = await queryDuckdb(
      project.dbPath,
      `select table_schema, table_name, table_type from information_schema.tables where table_catalog = 'dev' and table_schema <> 'tsdbt_state' order by table_name`,
    );
    expect(relations).toEqual([
      { table_schema: 'gold', table_name: 'a_folder', table_type: 'BASE TABLE' },
      { table_schema: 'gold_yaml', table_name: 'b_yaml', table_type: 'VIEW' },
      { table_schema: 'gold_yaml', table_name: 'c_template', table_type: 'BASE TABLE' },
      { table_schema: 'tpl', table_name: 'd_template_schema', table_type: 'BASE TABLE' },
      { table_schema: 'main', table_name: 'e_default', table_type: 'VIEW' },
    ]);
    const values = await queryDuckdb(
      project.dbPath,
      'select (select x from gold.a_folder) as a, (select x from gold_yaml.b_yaml) as b, (select x from gold_yaml.c_template) as c, (select x from tpl.d_template_schema) as d',
    );
    expect(values).toEqual([{ a: 1, b: 2, c: 3, d: 4 }]);

    const manifest = project.json('target/manifest.json');
    expect(manifest.nodes['model.demo.c_template'].config).toMatchObject({ materialized: 'table', schema: 'gold_yaml' });
    // Tags accumulate over the three levels.
    expect([...manifest.nodes['model.demo.c_template'].tags].sort()).toEqual(['folder_tag', 'tpl_tag', 'yaml_tag']);
    expect(manifest.nodes['model.demo.e_default'].config.materialized).toBe('view');
    expect(manifest.nodes['model.demo.e_default'].tags).toEqual([]);
  });

  it('switches a relation from view to table when its config changes', async () => {
    const project = createTmpProject({ 'models/m.sql': 'select 1 as x\n' });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    project.write('models/m.sql', '{{config materialized="table"}}\nselect 2 as x\n');
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(0);
    expect(await queryDuckdb(project.dbPath, `select table_type from information_schema.tables where table_name = 'm'`)).toEqual([
      { table_type: 'BASE TABLE' },
    ]);
    expect(await queryDuckdb(project.dbPath, 'select x from main.m')).toEqual([{ x: 2 }]);
  });
});

describe('--project-dir', () => {
  const files = {
    'seeds/codes.csv': 'code,label\na,Alpha\nb,Beta\n',
    'models/labels.sql': '{{config materialized="table"}}\nselect upper(code) as code, label from {{ref "codes"}}\n',
  };

  it('builds a project from another working directory, its files resolved against the project', async () => {
    const project = createTmpProject(files);
    const result = await runTsdbt(tmpdir(), ['build', '--project-dir', project.dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(project.exists('target/run_results.json')).toBe(true);
    expect(await queryDuckdb(project.dbPath, 'select code, label from main.labels order by code')).toEqual([
      { code: 'A', label: 'Alpha' },
      { code: 'B', label: 'Beta' },
    ]);
  });

  it('resolves a relative external source location against the project, not the working directory', async () => {
    const project = createTmpProject({
      'data/orders.csv': 'id,amount\n1,5\n2,7\n',
      'models/sources.yml': `version: 2
sources:
  - name: raw
    tables:
      - name: orders
        external:
          location: data/orders.csv
          format: csv
`,
      'models/order_total.sql': '{{config materialized="table"}}\nselect sum(amount)::int as total from {{source "raw" "orders"}}\n',
    });
    // From the project folder this works; from elsewhere with --project-dir it must work the same.
    const result = await runTsdbt(tmpdir(), ['run', '--project-dir', project.dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await queryDuckdb(project.dbPath, 'select total from main.order_total')).toEqual([{ total: 12 }]);
  });
});
