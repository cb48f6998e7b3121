/**
 * Every key a user writes either works or is refused before anything runs (exit 2), naming the
 * file, the line and what to do: profiles.yml outputs, model configs, files tsdbt does not read.
 */
import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const profiles = (extra: string) => `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/dev.duckdb
${extra}`;

describe('profiles.yml outputs are validated by their adapter in every command', () => {
  it('refuses an unknown DuckDB key at compile time, with its line and the closest key', async () => {
    const project = createTmpProject({ 'profiles.yml': profiles('      theads: 4\n'), 'models/a.sql': 'select 1 as x\n' });
    for (const command of ['compile', 'parse', 'ls', 'run']) {
      const result = await runTsdbt(project.dir, [command]);
      expect(result.code, command).toBe(2);
      expect(result.stderr).toContain('error profiles.yml:7:7: unknown duckdb setting "theads" in target "dev"');
      expect(result.stderr).toContain('hint: did you mean "threads"?');
      expect(result.stderr).not.toMatch(STACK_LINE);
    }
    expect(project.exists('target/dev.duckdb')).toBe(false);
  });

  it('refuses a dbt-duckdb key tsdbt does not implement, saying what to do instead', async () => {
    const project = createTmpProject({ 'profiles.yml': profiles('      attach: [{path: other.duckdb}]\n'), 'models/a.sql': 'select 1 as x\n' });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error profiles.yml:7:7: "attach" is not supported yet by tsdbt\'s duckdb adapter (target "dev")');
    expect(result.stderr).toContain('hint: attach other databases from a model instead (ATTACH in an on-run-start hook)');
  });

  it('loads the extensions a profile lists, and refuses one that is not available offline', async () => {
    const project = createTmpProject({
      'profiles.yml': profiles('      extensions: [json]\n'),
      'models/a.sql': "select json_extract('{\"a\": 1}', '$.a') as x\n",
    });
    const ok = await runTsdbt(project.dir, ['run']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    project.write('profiles.yml', profiles('      extensions: [spatial]\n'));
    const missing = await runTsdbt(project.dir, ['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot load the DuckDB extension "spatial"');
    expect(missing.stderr).toContain('tsdbt never downloads one');
  });
});

/** compile's exit code and stderr for a project of these files. */
async function compile(files: Record<string, string>, args: string[] = ['compile']) {
  const project = createTmpProject(files);
  const result = await runTsdbt(project.dir, args);
  expect(result.stderr).not.toMatch(STACK_LINE);
  return { ...result, project };
}

describe('model configs are checked when the project compiles', () => {
  it.each([
    [
      'an incremental strategy no engine has',
      '{{config materialized="incremental" incremental_strategy="upsert" unique_key="id"}}\nselect 1 as id\n',
      'error models/m.sql:1:37 [model.demo.m]: unknown incremental_strategy "upsert"',
      'hint: use one of: append, merge, delete+insert',
    ],
    [
      'a strategy of another engine',
      '{{config materialized="incremental" incremental_strategy="insert_overwrite"}}\nselect 1 as id\n',
      'incremental_strategy "insert_overwrite" is not supported on duckdb',
      'hint: duckdb supports: append, merge, delete+insert',
    ],
    [
      'an on_schema_change value that does not exist',
      '{{config\n    materialized="incremental"\n    on_schema_change="explode"}}\nselect 1 as id\n',
      'error models/m.sql:3:5 [model.demo.m]: unknown on_schema_change "explode"',
      'hint: use one of: ignore, fail, append_new_columns, sync_all_columns',
    ],
    [
      'a misspelled key',
      'select 1 as id\n{{config uniqe_key="id"}}\n',
      'error models/m.sql:2:10 [model.demo.m]: unknown config "uniqe_key"',
      'hint: did you mean "unique_key"? custom keys go under meta: (meta: {uniqe_key: ...})',
    ],
    [
      'a microbatch model without event_time',
      '{{config materialized="incremental" incremental_strategy="microbatch" batch_size="day" begin="2024-01-01"}}\nselect 1 as id\n',
      'incremental_strategy "microbatch" needs event_time',
      "hint: set event_time: <the model's column holding each row's time>",
    ],
    [
      'a snapshot materialization',
      '{{config materialized="snapshot"}}\nselect 1 as id\n',
      'a model cannot be materialized as a snapshot',
      'hint: move the file to snapshots/',
    ],
    [
      'a sql_header',
      '{{config sql_header="set threads = 1"}}\nselect 1 as id\n',
      'config "sql_header" is not supported yet',
      'hint: sql_header is not supported yet',
    ],
  ])('refuses %s at its {{config}} (exit 2, nothing built)', async (_case, sql, message, hint) => {
    const result = await compile({ 'models/m.sql': sql }, ['build']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(hint);
    expect(result.project.exists('target/dev.duckdb')).toBe(false);
  });

  it('refuses batch_size without microbatch, incremental_predicates and sql_header written in YAML or project.yml, at their line', async () => {
    const result = await compile({
      'project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    +sql_header: "set threads = 1"\n',
      'models/m.sql': 'select 1 as id\n',
      'models/m.yml':
        'version: 2\nmodels:\n  - name: m\n    config:\n      batch_size: day\n      incremental_predicates: ["id > 1"]\n      materialized: incremental\n      unique_key: id\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error models/m.yml:5:7 [model.demo.m]: batch_size applies to incremental_strategy microbatch, not "merge"');
    expect(result.stderr).toContain('error models/m.yml:6:7 [model.demo.m]: config "incremental_predicates" is not supported yet');
    expect(result.stderr).toContain('error project.yml:5:5 [model.demo.m]: config "sql_header" is not supported yet');
    expect(result.stdout).toContain('3 errors; nothing was run.');
  });

  it('compiles custom keys under meta, and writes the docs config to the manifest', async () => {
    const result = await compile({
      'models/m.sql': '{{config materialized="table"}}\nselect 1 as id\n',
      'models/m.yml':
        'version: 2\nmodels:\n  - name: m\n    docs: {node_color: "#cd7f32"}\n    config:\n      meta: {owner: energy, sla_hours: 6}\n      docs: {show: false}\n',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const node = result.project.json('target/manifest.json').nodes['model.demo.m'];
    expect(node.config.meta).toEqual({ owner: 'energy', sla_hours: 6 });
    expect(node.docs).toEqual({ show: false, node_color: '#cd7f32' });
  });

  it('warns about a key that has no effect on the model it is written on', async () => {
    const result = await compile({ 'models/m.sql': '{{config materialized="table" unique_key="id"}}\nselect 1 as id\n' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: models/m.sql:1:31: unique_key has no effect on a table model (it applies to incremental, snapshot)');
  });

  it('checks BigQuery keys on a DuckDB target too, so a mistake shows before deploying', async () => {
    const result = await compile({ 'models/m.sql': '{{config materialized="table" cluster_by="a,b,c,d,e"}}\nselect 1 as a\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cluster_by has 5 columns');
  });

  it('reports a project.yml folder that matches nothing, with the closest folder', async () => {
    const result = await compile({
      'project.yml': 'name: demo\nprofile: demo\nmodels:\n  demo:\n    gld:\n      +materialized: table\n',
      'models/gold/m.sql': 'select 1 as id\n',
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: project.yml:5:5: models: demo.gld matches no folder or resource, so its config applies to nothing (did you mean "gold"?)',
    );
  });

  it('enforces groups and private access', async () => {
    const files = {
      'models/groups.yml':
        'version: 2\ngroups:\n  - name: finance\n    owner: {name: Finance}\nmodels:\n  - name: ledger\n    access: private\n    group: finance\n',
      'models/ledger.sql': 'select 1 as id\n',
      'models/report.sql': 'select * from {{ref "ledger"}}\n',
    };
    const refused = await compile(files);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error models/report.sql:1:15 [model.demo.report]: report refers to ledger, which is private to group "finance"');
    const allowed = await compile({ ...files, 'models/report.yml': 'version: 2\nmodels:\n  - name: report\n    config: {group: finance}\n' });
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
  });
});

describe('files tsdbt does not read are named', () => {
  it('warns about Python models and dbt hub packages, and explains a ref to a Python model', async () => {
    const files = {
      'models/a.sql': 'select 1 as id\n',
      'models/py_model.py': 'def model(dbt, session):\n    return None\n',
      'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n  - package: dbt-labs/codegen\n    version: 0.12.1\n',
    };
    const warned = await compile(files);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('warning: models/py_model.py: Python models are not supported: tsdbt builds SQL models only (this model is not built)');
    // dbt_utils is built in: only the package tsdbt has no equivalent of is reported.
    expect(warned.stderr).toContain('warning: packages.yml:4:5: package dbt-labs/codegen is not loaded: dbt hub packages are Jinja');
    expect(warned.stderr).not.toContain('dbt-labs/dbt_utils');
    const refused = await compile({ ...files, 'models/b.sql': 'select * from {{ref "py_model"}}\n' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('model "b" references unknown ref "py_model"');
    expect(refused.stderr).toContain('hint: models/py_model.py is a Python model, which tsdbt does not build: rewrite it in SQL');
  });

  it('refuses model versions, and warns about constraints without a contract and semantic-layer sections', async () => {
    const result = await compile({
      'models/a.sql': 'select 1 as id\n',
      'models/a.yml': 'version: 2\nmodels:\n  - name: a\n    latest_version: 2\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error models/a.yml:4:5: model "a": model versions are not supported yet');
    const constrained = await compile({
      'models/a.sql': 'select 1 as id\n',
      'models/a.yml': 'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        constraints: [{type: not_null}]\n',
    });
    expect(constrained.code).toBe(0);
    expect(constrained.stderr).toContain(
      'warning: models/a.yml:6:23: not_null constraint on id of a has no effect: constraints apply only with contract: {enforced: true}',
    );
    const semantic = await compile({ 'models/a.sql': 'select 1 as id\n', 'models/metrics.yml': 'version: 2\nmetrics:\n  - name: m\n' });
    expect(semantic.code).toBe(0);
    expect(semantic.stderr).toContain('warning: models/metrics.yml:2:1: metrics: the semantic layer is not supported (1 ignored)');
  });
});
