/**
 * pre-hook / post-hook and grants on DuckDB, through the real CLI on real database files: hooks
 * from project.yml, properties YAML and {{config}} run in dbt's order inside the model's
 * transaction (transaction: false ones before it begins / after it commits), a failing hook
 * leaves the previous table and points at the hook's line, wrong shapes stop the compile at their
 * line, and grants (DuckDB has none) are one warning naming the models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, queryDuckdb, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const audit = (note: string) => `insert into audit select count(*) + 1, '{{this}}', '${note}' from audit`;

const PROJECT = `name: demo
profile: demo
on-run-start:
  - "create table if not exists audit (step integer, relation varchar, note varchar)"
models:
  demo:
    +pre-hook: "${audit('project pre')}"
    +post-hook:
      - "${audit('project post')}"
seeds:
  demo:
    +post-hook: "${audit('seed post')}"
`;

const ORDERS_YML = `version: 2
models:
  - name: orders
    config:
      pre-hook:
        - sql: "${audit('before begin')}"
          transaction: false
      post-hook:
        - sql: "${audit('after commit')}"
          transaction: false
        - "${audit('yaml post')}"
`;

const auditRows = (project: TmpProject) =>
  queryDuckdb<{ step: number; relation: string; note: string }>(project.dbPath, 'select step, relation, note from audit order by step');

describe('hooks around a model and a seed', () => {
  let project: TmpProject;
  beforeAll(async () => {
    project = createTmpProject({
      'project.yml': PROJECT,
      'seeds/codes.csv': 'code,label\nA,alpha\nB,beta\n',
      'models/orders.sql': `{{config materialized="table" post_hook="${audit('template post')}"}}\nselect code, label from {{ref "codes"}}\n`,
      'models/orders.yml': ORDERS_YML,
    });
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it("runs project.yml's hooks before the model's, transaction: false ones first and last, {{this}} the relation", async () => {
    expect(await auditRows(project)).toEqual([
      { step: 1, relation: 'main.codes', note: 'seed post' },
      { step: 2, relation: 'main.orders', note: 'before begin' },
      { step: 3, relation: 'main.orders', note: 'project pre' },
      { step: 4, relation: 'main.orders', note: 'project post' },
      { step: 5, relation: 'main.orders', note: 'yaml post' },
      { step: 6, relation: 'main.orders', note: 'template post' },
      { step: 7, relation: 'main.orders', note: 'after commit' },
    ]);
  });

  it('writes the hooks to target/run with the statements of the plan (golden)', () => {
    expectGolden('duckdb/hooks/orders.sql', project.read('target/run/demo/models/orders.sql'));
    expectGolden('duckdb/hooks/codes.sql', project.read('target/run/demo/seeds/codes.csv').replaceAll(project.dir, '<project>'));
  });

  it("records them in the manifest as dbt does ({sql, transaction, index}), valid against dbt's schema", () => {
    const manifest = project.json('target/manifest.json');
    const node = manifest.nodes['model.demo.orders'];
    expect(node.config['pre-hook']).toEqual([
      { sql: audit('project pre'), transaction: true, index: null },
      { sql: audit('before begin'), transaction: false, index: null },
    ]);
    expect(node.config['post-hook'].map((h: { sql: string; transaction: boolean }) => [h.sql.split("'")[3], h.transaction])).toEqual([
      ['project post', true],
      ['after commit', false],
      ['yaml post', true],
      ['template post', true],
    ]);
    expect(node.config.pre_hook).toBeUndefined();
    expect(manifest.nodes['seed.demo.codes'].config['post-hook']).toEqual([{ sql: audit('seed post'), transaction: true, index: null }]);
    if (schemasPresent) expect(manifestViolations(manifest)).toEqual([]);
  });
});

describe('a failing hook', () => {
  let project: TmpProject;
  const ids = () => queryDuckdb<{ id: number }>(project.dbPath, 'select id from m order by id');
  beforeAll(async () => {
    project = createTmpProject({ 'models/m.sql': '{{config materialized="table"}}\nselect 1 as id\n' });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
  });

  it('leaves the previous table, and reports the line of the hook that failed', async () => {
    project.write('models/m.sql', '{{config materialized="table"}}\nselect 2 as id\n');
    project.write(
      'models/m.yml',
      'version: 2\nmodels:\n  - name: m\n    config:\n      pre-hook:\n        - |\n          select 1 as x\n          from missing_table\n',
    );
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR in model m (models/m.yml:8)');
    expect(result.stderr).toContain('pre-hook 1 (models/m.yml:7:11) failed: Catalog Error: Table with name missing_table does not exist!');
    expect(result.stderr).toContain('> 8 |           from missing_table');
    expect(result.stderr).toContain('hint: fix the hook and run again; the previous relation was left untouched');
    expect(await ids()).toEqual([{ id: 1 }]);
  });

  it('rolls the model back when a post-hook in its transaction fails, from {{config}}', async () => {
    project.remove('models/m.yml');
    project.write('models/m.sql', '{{config materialized="table" post_hook="insert into missing_table values (1)"}}\nselect 3 as id\n');
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR in model m (models/m.sql:1)');
    expect(result.stderr).toContain('post-hook 1 (models/m.sql:1:42) failed: Catalog Error: Table with name missing_table does not exist!');
    expect(await ids()).toEqual([{ id: 1 }]);
  });

  it('runs a transaction: false pre-hook even when the model then fails (before_begin)', async () => {
    project.write('models/m.sql', '{{config materialized="table"}}\nselect nope as id\n');
    project.write(
      'models/m.yml',
      'version: 2\nmodels:\n  - name: m\n    config:\n      pre-hook: {sql: "create or replace table marker as select 42 as x", transaction: false}\n',
    );
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR in model m (models/m.sql:2, compiled');
    expect(await queryDuckdb(project.dbPath, 'select x from marker')).toEqual([{ x: 42 }]);
    expect(await ids()).toEqual([{ id: 1 }]);
  });

  it('keeps the new table when a transaction: false post-hook fails (after_commit), and says so', async () => {
    project.write('models/m.sql', '{{config materialized="table"}}\nselect 4 as id\n');
    project.write(
      'models/m.yml',
      'version: 2\nmodels:\n  - name: m\n    config:\n      post-hook: [{sql: "select * from missing_table", transaction: false}]\n',
    );
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('post-hook 1 (models/m.yml:5:26) failed: Catalog Error: Table with name missing_table does not exist!');
    expect(result.stderr).toContain('hint: the model was built: only the hook failed; fix it and run again');
    expect(await ids()).toEqual([{ id: 4 }]);
  });
});

describe('hook configs checked when the project compiles', () => {
  it('refuses wrong shapes at the line of the hook (exit 2, nothing built)', async () => {
    const project = createTmpProject({
      'project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +pre-hook: 42\n',
      'models/m.sql': 'select 1 as id\n',
      'models/m.yml':
        'version: 2\nmodels:\n  - name: m\n    config:\n      post-hook:\n        - "select 1"\n        - {sql: "select 2", transactional: false}\n      grants: [analyst]\n',
    });
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error project.yml:5:16 [model.demo.m]: config pre-hook 1: a hook is SQL text, or {sql: "...", transaction: true | false}, got 42',
    );
    expect(result.stderr).toContain('error models/m.yml:7:18 [model.demo.m]: config post-hook 2: unknown key "transactional" in a hook');
    expect(result.stderr).toContain('hint: did you mean "transaction"?');
    expect(result.stderr).toContain('error models/m.yml:8:7 [model.demo.m]: config grants: a mapping of roles to grantees is expected, got ["analyst"]');
    expect(project.exists('target/dev.duckdb')).toBe(false);
  });

  it('renders hooks as templates: an unknown ref is an error at the hook, a known one a dependency, a blank one nothing', async () => {
    const project = createTmpProject({
      'seeds/log.csv': 'relation\nnone\n',
      'models/a.sql': `{{config post_hook=(list "insert into {{ref 'log'}} values ('{{this}}')" "{{#if (eq target.name 'prod')}}drop table {{this}}{{/if}}")}}\nselect 1 as id\n`,
      'models/b.sql': `{{config post_hook="insert into {{ref 'nope'}} values (1)"}}\nselect 1 as id\n`,
    });
    const failed = await runTsdbt(project.dir, ['compile']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('error models/b.sql:1:33 [model.demo.b]: post-hook 1 of model "b" references unknown ref "nope"');
    project.remove('models/b.sql');
    const built = await runTsdbt(project.dir, ['build']);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(project.json('target/manifest.json').nodes['model.demo.a'].depends_on.nodes).toEqual(['seed.demo.log']);
    // The second hook renders blank on target dev: it is no statement.
    expect(project.read('target/run/demo/models/a.sql')).toBe(
      "CREATE OR REPLACE VIEW main.a AS (\n\nselect 1 as id\n);\n\ninsert into main.log values ('main.a');\n",
    );
    expect(await queryDuckdb(project.dbPath, 'select relation from log order by relation')).toEqual([{ relation: 'main.a' }, { relation: 'none' }]);
  });
});

describe('grants on DuckDB', () => {
  it('are one compile warning naming the models that set them, and change nothing else', async () => {
    const project = createTmpProject({
      'project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    marts:\n      +grants: {select: [reporter]}\n',
      'models/marts/a.sql': 'select 1 as id\n',
      'models/marts/b.sql': '{{config grants=(dict select=(list "bi"))}}\nselect 1 as id\n',
      'models/c.sql': 'select 1 as id\n',
      'models/c.yml': 'version: 2\nmodels:\n  - name: c\n    config:\n      grants: {"+select": [analyst]}\n',
    });
    const result = await runTsdbt(project.dir, ['run']);
    expect(result.code).toBe(0);
    const warning = 'grants are not applied on duckdb, which has no access control: a, b, c (they apply where the engine has grants)';
    expect(result.stderr.split(warning)).toHaveLength(2);
    expect(project.json('target/manifest.json').nodes['model.demo.b'].config.grants).toEqual({ select: ['bi'] });
  });
});
