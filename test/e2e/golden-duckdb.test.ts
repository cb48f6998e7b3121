/**
 * Golden SQL of every DuckDB materialization: a real project built twice (the second run is
 * incremental) writes target/run/** — exactly the statements that ran — and each file is pinned
 * in test/golden/duckdb/ (UPDATE_GOLDEN=1 npm test regenerates them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../helpers/golden.js';
import { createTmpProject, queryDuckdb, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const incremental = (config: string, select: string) =>
  `{{config materialized="incremental" ${config}}}\n${select}\nfrom {{ref "codes"}}\n{{#if (is_incremental)}}where code > (select max(code) from {{this}}){{/if}}\n`;

const FILES: Record<string, string> = {
  'seeds/codes.csv': 'code,label,rank\nA,alpha,1\nB,beta,2\n',
  'models/v_view.sql': 'select code, label from {{ref "codes"}}\n',
  'models/t_table.sql': '{{config materialized="table"}}\nselect code, upper(label) as label from {{ref "codes"}}\n',
  'models/eph.sql': '{{config materialized="ephemeral"}}\nselect code, label\nfrom {{ref "codes"}}\n',
  'models/from_eph.sql': '{{config materialized="table"}}\nselect code from {{ref "eph"}}\n',
  'models/inc_append.sql': incremental('incremental_strategy="append"', 'select code, label'),
  'models/inc_merge.sql': incremental('unique_key="code"', 'select code, label, rank'),
  'models/inc_delete_insert.sql': incremental('incremental_strategy="delete+insert" unique_key="code"', 'select code, label'),
  'models/inc_add_columns.sql': incremental('unique_key="code" on_schema_change="append_new_columns"', 'select code, label'),
  'models/inc_sync_columns.sql': incremental('unique_key="code" on_schema_change="sync_all_columns"', 'select code, label'),
  'models/switch_view_table.sql': 'select code from {{ref "codes"}}\n',
  'models/props.yml': `version: 2
seeds:
  - name: codes
    config: {column_types: {code: varchar, rank: integer}}
models:
  - name: t_table
    description: Codes in capitals
    config: {persist_docs: {relation: true, columns: true}}
    columns:
      - name: label
        description: The label, in capitals
  - name: inc_merge
    config: {merge_exclude_columns: [rank]}
`,
};

let project: TmpProject;
const runFile = (model: string) => project.read(`target/run/demo/models/${model}.sql`).replaceAll(project.dir, '<project>');

beforeAll(async () => {
  project = createTmpProject(FILES);
  const first = await runTsdbt(project.dir, ['build']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
});

describe('DuckDB materializations (first build)', () => {
  it.each([
    ['seed', 'codes', 'seeds/codes.csv'],
    ['view', 'v_view', 'models/v_view.sql'],
    ['table with persist_docs', 't_table', 'models/t_table.sql'],
    ['table reading an ephemeral model', 'from_eph', 'models/from_eph.sql'],
    ['incremental, first run', 'inc_merge', 'models/inc_merge.sql'],
  ])('%s', (_case, name, file) => {
    expectGolden(`duckdb/first-build/${name}.sql`, project.read(`target/run/demo/${file}`).replaceAll(project.dir, '<project>'));
  });

  it('writes no statement file for an ephemeral model', () => {
    expect(project.exists('target/run/demo/models/eph.sql')).toBe(false);
  });
});

describe('DuckDB materializations (incremental run)', () => {
  beforeAll(async () => {
    project.write('seeds/codes.csv', 'code,label,rank\nA,alpha,1\nB,bravo,2\nC,charlie,3\n');
    project.write('models/inc_add_columns.sql', incremental('unique_key="code" on_schema_change="append_new_columns"', 'select code, label, rank'));
    project.write('models/inc_sync_columns.sql', incremental('unique_key="code" on_schema_change="sync_all_columns"', 'select code, rank'));
    project.write('models/switch_view_table.sql', '{{config materialized="table"}}\nselect code from {{ref "codes"}}\n');
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
  });

  it.each([
    ['append', 'inc_append'],
    ['merge (merge_exclude_columns)', 'inc_merge'],
    ['delete+insert', 'inc_delete_insert'],
    ['merge, on_schema_change append_new_columns', 'inc_add_columns'],
    ['merge, on_schema_change sync_all_columns', 'inc_sync_columns'],
    ['a view becoming a table', 'switch_view_table'],
  ])('%s', (_case, name) => {
    expectGolden(`duckdb/incremental-run/${name}.sql`, runFile(name));
  });

  it('folded the new rows in as the statements say', async () => {
    const rows = await queryDuckdb(
      project.dbPath,
      `select
         (select string_agg(code || ':' || label, ',' order by code) from main.inc_append) as appended,
         (select string_agg(code || ':' || label || ':' || coalesce(rank::varchar, '-'), ',' order by code) from main.inc_merge) as merged,
         (select string_agg(column_name, ',' order by ordinal_position) from information_schema.columns where table_name = 'inc_sync_columns') as synced,
         (select table_type from information_schema.tables where table_name = 'switch_view_table') as switched`,
    );
    // Only C is newer than the last run; merge_exclude_columns keeps rank out of the update list only.
    expect(rows).toEqual([{ appended: 'A:alpha,B:beta,C:charlie', merged: 'A:alpha:1,B:beta:2,C:charlie:3', synced: 'code,rank', switched: 'BASE TABLE' }]);
  });
});
