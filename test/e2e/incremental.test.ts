import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

// `>=` (not `>`) so the latest existing id is staged again: that shows how each strategy treats a
// row that is already there, while id 1 (filtered out) shows that is_incremental() took effect.
const model = (config: string) => `{{config materialized="incremental" ${config}}}
select id, v from {{ref "src"}}
{{#if (is_incremental)}} where id >= (select max(id) from {{this}}) {{/if}}
`;

const rowsOf = (project: TmpProject, table: string) =>
  queryDuckdb<{ id: number; v: string }>(project.dbPath, `select id::int as id, v from main.${table} order by id, v`);

describe('incremental models', () => {
  let project: TmpProject;

  beforeAll(async () => {
    project = createTmpProject({
      'seeds/src.csv': 'id,v\n1,a\n2,b\n',
      'models/inc_merge.sql': model('unique_key="id"'),
      'models/inc_append.sql': model('incremental_strategy="append"'),
      'models/inc_delete.sql': model('unique_key="id" incremental_strategy="delete+insert"'),
    });
    const first = await runTsdbt(project.dir, ['build']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
  });

  it('creates the table on the first run (is_incremental() false)', async () => {
    for (const table of ['inc_merge', 'inc_append', 'inc_delete']) {
      expect(await rowsOf(project, table)).toEqual([
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
      ]);
    }
    expect(project.read('target/compiled/demo/models/inc_merge.sql')).not.toContain('where');
  });

  it('folds new rows in per strategy on the next run', async () => {
    project.write('seeds/src.csv', 'id,v\n1,z\n2,B\n3,c\n');
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);

    // merge on id: 2 updated, 3 inserted, 1 untouched (filtered out by is_incremental).
    expect(await rowsOf(project, 'inc_merge')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'B' },
      { id: 3, v: 'c' },
    ]);
    // append: the restaged row 2 is added again.
    expect(await rowsOf(project, 'inc_append')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'B' },
      { id: 2, v: 'b' },
      { id: 3, v: 'c' },
    ]);
    // delete+insert: row 2 replaced, 3 added.
    expect(await rowsOf(project, 'inc_delete')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'B' },
      { id: 3, v: 'c' },
    ]);

    const results = project.json('target/run_results.json').results;
    const message = (id: string) => results.find((r: any) => r.unique_id === id).message;
    expect(message('model.demo.inc_merge')).toBe('MERGE (2 new rows, +1 net)');
    expect(message('model.demo.inc_append')).toBe('INSERT (2 new rows, +2 net)');
    expect(message('model.demo.inc_delete')).toBe('DELETE+INSERT (2 new rows, +1 net)');
    expect(results.find((r: any) => r.unique_id === 'model.demo.inc_merge').adapter_response.rows_affected).toBe(2);

    // target/compiled holds the SELECT that actually ran.
    expect(project.read('target/compiled/demo/models/inc_merge.sql')).toContain('where id >= (select max(id) from main.inc_merge)');
  });

  it('--full-refresh rebuilds from scratch', async () => {
    const result = await runTsdbt(project.dir, ['run', '--full-refresh', '--select', 'inc_merge inc_append']);
    expect(result.code).toBe(0);
    for (const table of ['inc_merge', 'inc_append']) {
      expect(await rowsOf(project, table)).toEqual([
        { id: 1, v: 'z' },
        { id: 2, v: 'B' },
        { id: 3, v: 'c' },
      ]);
    }
    const results = project.json('target/run_results.json');
    expect(results.args.full_refresh).toBe(true);
    expect(results.results.map((r: any) => r.message)).toEqual(['CREATE TABLE (3 rows)', 'CREATE TABLE (3 rows)']);
    expect(project.read('target/compiled/demo/models/inc_merge.sql')).not.toContain('where');
  });
});

describe('incremental on_schema_change', () => {
  const withExtra = (onSchemaChange: string) => `{{config materialized="incremental" unique_key="id" on_schema_change="${onSchemaChange}"}}
select id, v, 'x' as extra from {{ref "src"}}
{{#if (is_incremental)}} where id > (select max(id) from {{this}}) {{/if}}
`;

  it('fail: a new column stops the model with exit 1 and names the column; append_new_columns adds it', async () => {
    const project = createTmpProject({
      'seeds/src.csv': 'id,v\n1,a\n2,b\n',
      'models/evolving.sql': `{{config materialized="incremental" unique_key="id" on_schema_change="fail"}}
select id, v from {{ref "src"}}
{{#if (is_incremental)}} where id > (select max(id) from {{this}}) {{/if}}
`,
    });
    expect((await runTsdbt(project.dir, ['build'])).code).toBe(0);

    project.write('seeds/src.csv', 'id,v\n1,a\n2,b\n3,c\n');
    project.write('models/evolving.sql', withExtra('fail'));
    const failed = await runTsdbt(project.dir, ['build']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ERROR in model evolving (models/evolving.sql)');
    expect(failed.stderr).toContain("the model's columns differ from main.evolving (new columns: extra; missing columns: none)");
    expect(failed.stderr).toContain('on_schema_change');
    const columns = () =>
      queryDuckdb(project.dbPath, `select column_name from information_schema.columns where table_name = 'evolving' order by ordinal_position`);
    expect(await columns()).toEqual([{ column_name: 'id' }, { column_name: 'v' }]);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.evolving')).toEqual([{ n: 2 }]);
    const result = project.json('target/run_results.json').results.find((r: any) => r.unique_id === 'model.demo.evolving');
    expect(result.status).toBe('error');
    expect(result.message).toContain('new columns: extra');

    project.write('models/evolving.sql', withExtra('append_new_columns'));
    const added = await runTsdbt(project.dir, ['run']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(await columns()).toEqual([{ column_name: 'id' }, { column_name: 'v' }, { column_name: 'extra' }]);
    expect(await queryDuckdb(project.dbPath, 'select id::int as id, v, extra from main.evolving order by id')).toEqual([
      { id: 1, v: 'a', extra: null },
      { id: 2, v: 'b', extra: null },
      { id: 3, v: 'c', extra: 'x' },
    ]);
  });
});
