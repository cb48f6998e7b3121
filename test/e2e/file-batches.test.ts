import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, queryDuckdb, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const SOURCES = `version: 2
sources:
  - name: lake
    tables:
      - name: readings
        external:
          location: lake/readings/*.csv
          format: csv
          file_name_column: _source_file
          options: {header: true, all_varchar: true}
`;

// Bronze: the lake's rows as delivered, loaded file by file.
const BRONZE = `{{config materialized="incremental" incremental_strategy="files"}}
select station, day, value, _source_file, {{#if (is_incremental)}}'incremental'{{else}}'full'{{/if}} as loaded_by
from {{source "lake" "readings"}}
`;

// Silver: typed, per file (a files parent gives it the rows of the files that changed), with a seed lookup.
const SILVER = `{{config materialized="incremental" incremental_strategy="files"}}
select b.station, s.label, cast(b.day as date) as day, cast(b.value as integer) as value, b._source_file
from {{ref "bronze"}} as b
left join {{ref "stations"}} as s on s.station = b.station
`;

const csv = (station: string, days: number[], offset = 0) =>
  `station,day,value\n${days.map((d) => `${station},2024-01-${String(d).padStart(2, '0')},${d * 10 + offset}`).join('\n')}\n`;

interface Loaded {
  unique_id: string;
  file: string;
  row_count: number;
  invocation_id: string;
}

const loaded = (project: TmpProject, model: string) =>
  queryDuckdb<Loaded>(
    project.dbPath,
    `select unique_id, file, row_count::int as row_count, invocation_id from tsdbt_state.files where unique_id = 'model.demo.${model}' order by file`,
  );

const rows = (project: TmpProject, table: string) =>
  queryDuckdb<{ station: string; n: number; total: number }>(
    project.dbPath,
    `select station, count(*)::int as n, sum(cast(value as integer))::int as total from main.${table} group by station order by station`,
  );

function result(project: TmpProject, model: string) {
  const run = JSON.parse(project.read('target/run_results.json'));
  return run.results.find((r: { unique_id: string }) => r.unique_id === `model.demo.${model}`) as {
    status: string;
    message: string;
    adapter_response: { rows_affected?: number };
  };
}

describe('incremental_strategy files: lake files are batches', () => {
  let project: TmpProject;

  beforeAll(() => {
    project = createTmpProject({
      'lake/readings/a.csv': csv('A', [1, 2, 3]),
      'lake/readings/b.csv': csv('B', [1, 2]),
      'models/sources.yml': SOURCES,
      'models/bronze.sql': BRONZE,
      'models/silver.sql': SILVER,
      'seeds/stations.csv': 'station,label\nA,Alpha\nB,Bravo\nC,Charlie\n',
    });
  });

  it('a first build reads every file and records each with its rows', async () => {
    const build = await runTsdbt(project.dir, ['build']);
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    expect(await rows(project, 'silver')).toEqual([
      { station: 'A', n: 3, total: 60 },
      { station: 'B', n: 2, total: 30 },
    ]);
    const files = await loaded(project, 'bronze');
    expect(files.map((f) => [f.file.replace(/^.*lake\//, ''), f.row_count])).toEqual([
      ['readings/a.csv', 3],
      ['readings/b.csv', 2],
    ]);
    expect((await loaded(project, 'silver')).map((f) => f.row_count)).toEqual([3, 2]);
    expect(result(project, 'bronze').message).toBe('CREATE TABLE (2 files read; 5 rows)');
  });

  it('with no new file, nothing is read and no query runs for the model', async () => {
    project.remove('target/run');
    // The lake listing did not change: the models are reused without a look at their state.
    const run = await runTsdbt(project.dir, ['run']);
    expect(run.code).toBe(0);
    expect(result(project, 'bronze').status).toBe('reused');
    expect(result(project, 'silver').status).toBe('reused');
    // Built anyway, each model compares the lake with its records and finds nothing to read.
    const forced = await runTsdbt(project.dir, ['run', '--no-reuse']);
    expect(forced.code).toBe(0);
    expect(result(project, 'bronze').message).toBe('FILES (up to date: 2 files)');
    expect(result(project, 'silver').message).toBe('FILES (up to date: 2 files)');
    expect(project.exists('target/run/demo/models/bronze.sql')).toBe(false);
  });

  it('a new file is the only one read; a changed file replaces its rows; the others are untouched', async () => {
    const before = await loaded(project, 'bronze');
    project.write('lake/readings/c.csv', csv('C', [5]));
    // b.csv is downloaded again with one more day and a corrected value.
    project.write('lake/readings/b.csv', csv('B', [1, 2, 3], 1));
    const run = await runTsdbt(project.dir, ['run']);
    expect(run.stderr).toBe('');
    expect(result(project, 'bronze').message).toBe('FILES (1 new, 1 changed of 3 files; 4 rows)');
    expect(result(project, 'silver').message).toBe('FILES (1 new, 1 changed of 3 files; 4 rows)');
    expect(await rows(project, 'silver')).toEqual([
      { station: 'A', n: 3, total: 60 },
      { station: 'B', n: 3, total: 63 },
      { station: 'C', n: 1, total: 50 },
    ]);
    expect(await rows(project, 'bronze')).toEqual(await rows(project, 'silver'));
    // The file list was passed to the reader: a.csv is not in it.
    const ran = project.read('target/run/demo/models/bronze.sql');
    expect(ran).toMatch(/read_csv\(\[[^\]]*b\.csv', '[^\]]*c\.csv'\]/);
    expect(ran).not.toContain('a.csv');
    const after = await loaded(project, 'bronze');
    const a = (list: Loaded[]) => list.find((f) => f.file.endsWith('a.csv'))!;
    expect(a(after).invocation_id).toBe(a(before).invocation_id);
    expect(after.map((f) => f.row_count)).toEqual([3, 3, 1]);
    const loadedBy = await queryDuckdb<{ loaded_by: string; n: number }>(
      project.dbPath,
      'select loaded_by, count(*)::int as n from main.bronze group by 1 order by 1',
    );
    expect(loadedBy).toEqual([
      { loaded_by: 'full', n: 3 },
      { loaded_by: 'incremental', n: 4 },
    ]);
  });

  it('a file that left the lake keeps its rows, with a warning; removed_files: delete removes them downstream too', async () => {
    project.remove('lake/readings/c.csv');
    const kept = await runTsdbt(project.dir, ['run']);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toMatch(/warning: bronze: 1 file no longer in the lake, rows kept: \S*readings\/c\.csv \(removed_files: delete removes them\)/);
    expect(kept.stdout).toMatch(/OK +incremental main\.bronze +FILES \(up to date: 2 files\)/);
    expect((await rows(project, 'silver')).map((r) => r.station)).toEqual(['A', 'B', 'C']);
    project.write('models/bronze.sql', BRONZE.replace('"files"', '"files" removed_files="delete"'));
    // A changed SQL rebuilds from the lake as it is: C is gone from bronze, and silver follows.
    const run = await runTsdbt(project.dir, ['run']);
    expect(run.stderr).toBe('');
    expect((await rows(project, 'bronze')).map((r) => r.station)).toEqual(['A', 'B']);
    expect(result(project, 'silver').message).toBe('FILES (0 new, 0 changed, 1 removed of 2 files; 0 rows)');
    expect((await rows(project, 'silver')).map((r) => r.station)).toEqual(['A', 'B']);
    expect((await loaded(project, 'silver')).map((f) => f.file.replace(/^.*lake\//, ''))).toEqual(['readings/a.csv', 'readings/b.csv']);
  });

  it('--full-refresh reads every file again', async () => {
    const run = await runTsdbt(project.dir, ['run', '--full-refresh']);
    expect(run.code).toBe(0);
    expect(result(project, 'bronze').message).toBe('CREATE TABLE (2 files read; 6 rows)');
    expect(await rows(project, 'silver')).toEqual([
      { station: 'A', n: 3, total: 60 },
      { station: 'B', n: 3, total: 63 },
    ]);
  });

  it('a files model with no input read file by file is an error before anything runs', async () => {
    const bad = createTmpProject({ 'models/m.sql': '{{config materialized="incremental" incremental_strategy="files"}}\nselect 1 as x\n' });
    const run = await runTsdbt(bad.dir, ['run']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('models/m.sql:1:');
    expect(run.stderr).toContain('incremental_strategy "files" needs an input read file by file');
    expect(bad.exists('target/dev.duckdb')).toBe(false);
  });
});

describe('tests limited to the rows a run loaded (config incremental: true)', () => {
  it('reads the whole table on a full build, only the new files on an incremental run; other tests read everything', async () => {
    const project = createTmpProject({
      'lake/readings/a.csv': 'station,day,value\nA,2024-01-01,\nA,2024-01-02,3\n',
      'models/sources.yml': `${SOURCES}models:
  - name: bronze
    columns:
      - name: value
        data_tests:
          - not_null: {name: value_loaded, config: {incremental: true, severity: warn}}
          - not_null: {name: value_everywhere, config: {severity: warn}}
`,
      'models/bronze.sql': BRONZE,
    });
    const first = await runTsdbt(project.dir, ['build']);
    expect(first.code).toBe(0);
    const messages = () =>
      Object.fromEntries(
        (JSON.parse(project.read('target/run_results.json')).results as Array<{ unique_id: string; message: string }>)
          .filter((r) => r.unique_id.startsWith('test.'))
          .map((r) => [r.unique_id.split('.')[2], r.message]),
      );
    // The first build loaded every file: both tests read the whole table.
    expect(messages()).toEqual({ value_loaded: '1 failing row (warn_if !=0, severity warn)', value_everywhere: '1 failing row (warn_if !=0, severity warn)' });
    project.write('lake/readings/c.csv', 'station,day,value\nC,2024-01-03,\nC,2024-01-04,7\n');
    const second = await runTsdbt(project.dir, ['build']);
    expect(second.code).toBe(0);
    expect(messages()).toEqual({
      value_loaded: '1 failing row among the rows this run loaded (warn_if !=0, severity warn)',
      value_everywhere: '2 failing rows (warn_if !=0, severity warn)',
    });
    // A full refresh reads every file, and the test reads the whole table again.
    await runTsdbt(project.dir, ['build', '--full-refresh']);
    expect(messages().value_loaded).toBe('2 failing rows (warn_if !=0, severity warn)');
  });
});

describe('a model that becomes a files model', () => {
  it('rebuilds its table from every file on its first files run: no row twice', async () => {
    const project = createTmpProject({
      'lake/readings/a.csv': csv('A', [1, 2]),
      'models/sources.yml': SOURCES,
      'models/bronze.sql': BRONZE.replace('incremental_strategy="files"', 'incremental_strategy="append"'),
    });
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    project.write('models/bronze.sql', BRONZE);
    const run = await runTsdbt(project.dir, ['run']);
    expect(run.stderr).toBe('');
    expect(result(project, 'bronze').message).toBe('CREATE TABLE (1 file read; 2 rows)');
    expect(await rows(project, 'bronze')).toEqual([{ station: 'A', n: 2, total: 30 }]);
  });
});
