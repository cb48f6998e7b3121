import { beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, queryDuckdb, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const iso = (ms: number) => new Date(ms).toISOString();
const day = (n: number) => Date.UTC(2024, 0, n);
const window = (n: number): [string, string] => [iso(day(n)), iso(day(n + 1))];

/** Four rows a day (every 6 hours) from Jan 1 to the day before `untilDay`; `bad` days hold a value that breaks the cast. */
function events(untilDay: number, bad: number[] = []): string {
  const lines = ['ts,value'];
  for (let n = 1; n < untilDay; n++) {
    for (let h = 0; h < 24; h += 6) lines.push(`${iso(day(n) + h * 3_600_000)},${bad.includes(n) && h === 12 ? 'oops' : n * 100 + h}`);
  }
  return `${lines.join('\n')}\n`;
}

const SOURCES = `version: 2
sources:
  - name: lake
    tables:
      - name: events
        config: {event_time: ts}
        external: {location: lake/events.csv}
`;

const DAILY = `{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day" begin="2024-01-01" lookback=0}}
select ts, cast(value as integer) as value
from {{source "lake" "events"}}
`;

interface Interval {
  start: string;
  end: string;
  rows: number;
  invocation: string;
}

const intervals = (project: TmpProject, model = 'model.demo.daily') =>
  queryDuckdb<Interval>(
    project.dbPath,
    `select strftime(batch_start at time zone 'UTC', '%Y-%m-%dT%H:%M:%S') as start, strftime(batch_end at time zone 'UTC', '%Y-%m-%dT%H:%M:%S') as "end", row_count::int as rows, invocation_id as invocation from tsdbt_state.intervals where unique_id = '${model}' order by batch_start`,
  );

const startsOf = (rows: Interval[]) => rows.map((r) => r.start.slice(0, 10));

function batchResults(project: TmpProject, id = 'model.demo.daily') {
  const results = JSON.parse(project.read('target/run_results.json'));
  return results.results.find((r: { unique_id: string }) => r.unique_id === id).batch_results as { successful: string[][]; failed: string[][] };
}

describe('microbatch models with tracked intervals', () => {
  let project: TmpProject;
  const range = ['--event-time-start', '2024-01-01', '--event-time-end', '2024-01-11'];

  beforeAll(() => {
    project = createTmpProject({ 'lake/events.csv': events(11, [4]), 'models/sources.yml': SOURCES, 'models/daily.sql': DAILY });
  });

  it('builds a batch per day; the day that fails is the only one missing, in the state and in batch_results', async () => {
    const run = await runTsdbt(project.dir, ['run', ...range]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('batch [2024-01-04T00:00:00.000Z, 2024-01-05T00:00:00.000Z) failed');
    const built = await intervals(project);
    expect(startsOf(built)).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', ...[5, 6, 7, 8, 9, 10].map((n) => `2024-01-${String(n).padStart(2, '0')}`)]);
    expect(built.every((r) => r.rows === 4)).toBe(true);
    const batches = batchResults(project);
    expect(batches.failed).toEqual([window(4)]);
    // dbt's status for a model some of whose batches failed.
    const model = JSON.parse(project.read('target/run_results.json')).results.find((r: { unique_id: string }) => r.unique_id === 'model.demo.daily');
    expect(model.status).toBe('partial success');
    expect(run.stdout).toMatch(/PARTIAL +incremental +main\.daily/);
    expect(batches.successful).toHaveLength(9);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.daily')).toEqual([{ n: 36 }]);
    if (schemasPresent) expect(artifactViolations('run-results_v6.json', JSON.parse(project.read('target/run_results.json')))).toEqual([]);
    // The source is read filtered to each batch's window: target/run holds the statements that ran.
    const ran = project.read('target/run/demo/models/daily.sql');
    expect(ran).toContain(">= TIMESTAMPTZ '2024-01-05T00:00:00.000Z' AND ts < TIMESTAMPTZ '2024-01-06T00:00:00.000Z'");
  });

  it('retry builds the failed day once the data is fixed, and only it', async () => {
    project.write('lake/events.csv', events(11));
    const retry = await runTsdbt(project.dir, ['retry']);
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    expect(batchResults(project)).toEqual({ successful: [window(4)], failed: [] });
    expect(await intervals(project)).toHaveLength(10);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.daily')).toEqual([{ n: 40 }]);
  });

  it('runs nothing when every batch is built, and one batch when a new day arrives', async () => {
    const again = await runTsdbt(project.dir, ['run', ...range]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('up to date: 10 batches built');
    expect(batchResults(project)).toEqual({ successful: [], failed: [] });

    project.write('lake/events.csv', events(12));
    const next = await runTsdbt(project.dir, ['run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-12']);
    expect(next.code).toBe(0);
    expect(batchResults(project)).toEqual({ successful: [window(11)], failed: [] });
    expect(await intervals(project)).toHaveLength(11);
  });

  it('--restate rebuilds the listed days only', async () => {
    const before = await intervals(project);
    const restate = await runTsdbt(project.dir, ['run', '--restate', '2024-01-02..2024-01-03']);
    expect(restate.code).toBe(0);
    expect(batchResults(project)).toEqual({ successful: [window(2), window(3)], failed: [] });
    const after = await intervals(project);
    const changed = after.filter((row, i) => row.invocation !== before[i]!.invocation).map((r) => r.start.slice(0, 10));
    expect(changed).toEqual(['2024-01-02', '2024-01-03']);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.daily')).toEqual([{ n: 44 }]);
  });

  it('a changed model SQL rebuilds every batch; ls shows built and missing intervals', async () => {
    project.write('models/daily.sql', DAILY.replace('as integer) as value', 'as integer) * 10 as value'));
    const changed = await runTsdbt(project.dir, ['run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-12']);
    expect(changed.code).toBe(0);
    expect(batchResults(project).successful).toHaveLength(11);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n, min(value)::int as v from main.daily')).toEqual([{ n: 44, v: 1000 }]);

    const ls = await runTsdbt(project.dir, ['ls', '--select', 'daily', '--output', 'json']);
    expect(ls.code).toBe(0);
    const listed = JSON.parse(ls.stdout.trim().split('\n')[0]!);
    expect(listed.intervals.built).toHaveLength(11);
    expect(listed.intervals.built[0]).toEqual(window(1));
    // Every day from Jan 12 to now is missing.
    expect(listed.intervals.missing[0]).toEqual(window(12));
  });
});

describe('concurrent batches', () => {
  it('runs up to concurrent_batches at once, each in its own transaction', async () => {
    const project = createTmpProject({
      'lake/events.csv': events(11, [7]),
      'models/sources.yml': SOURCES,
      'models/daily.sql': DAILY.replace('lookback=0', 'lookback=0 concurrent_batches=true'),
    });
    const run = await runTsdbt(project.dir, ['run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-11']);
    expect(run.code).toBe(1);
    expect(batchResults(project).failed).toEqual([window(7)]);
    expect(batchResults(project).successful).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10].map(window));
    expect(await intervals(project)).toHaveLength(9);
    expect(await queryDuckdb(project.dbPath, 'select count(*)::int as n from main.daily')).toEqual([{ n: 36 }]);
  });
});

describe('microbatch days in a time zone', () => {
  it('a Europe/Paris DST day is one batch: 92 quarter-hours in March, 100 in October', async () => {
    const lines = ['ts,value'];
    for (const [from, to] of [
      [Date.UTC(2024, 2, 30), Date.UTC(2024, 3, 2)],
      [Date.UTC(2024, 9, 26), Date.UTC(2024, 9, 29)],
    ] as const) {
      for (let t = from; t < to; t += 900_000) lines.push(`${iso(t)},1`);
    }
    const project = createTmpProject({
      'lake/events.csv': `${lines.join('\n')}\n`,
      'models/sources.yml': SOURCES,
      'models/stg_events.sql': '{{config materialized="table" event_time="ts"}}\nselect ts, value from {{source "lake" "events"}}\n',
      'models/paris.sql':
        '{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day" begin="2024-03-01" batch_timezone="Europe/Paris"}}\nselect ts, value from {{ref "stg_events"}}\n',
    });
    const first = await runTsdbt(project.dir, ['run', '--event-time-start', '2024-03-31', '--event-time-end', '2024-04-01']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const second = await runTsdbt(project.dir, ['run', '--select', 'paris', '--event-time-start', '2024-10-27', '--event-time-end', '2024-10-28']);
    expect(second.code).toBe(0);
    expect(await intervals(project, 'model.demo.paris')).toEqual([
      { start: '2024-03-30T23:00:00', end: '2024-03-31T22:00:00', rows: 92, invocation: expect.any(String) },
      { start: '2024-10-26T22:00:00', end: '2024-10-27T23:00:00', rows: 100, invocation: expect.any(String) },
    ]);
    // An upstream model with event_time is read filtered to the batch (target/run: what ran).
    expect(project.read('target/run/demo/models/paris.sql')).toMatch(
      /from \(select \* from main\.stg_events where ts >= TIMESTAMPTZ '2024-10-26T22:00:00\.000Z' AND ts < TIMESTAMPTZ '2024-10-27T23:00:00\.000Z'\)/,
    );
  });
});

describe('microbatch config errors', () => {
  it('reports an unknown batch_size, a missing event_time and a missing begin at their file:line', async () => {
    const project = createTmpProject({
      'models/a.sql':
        '{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="week" begin="2024-01-01"}}\nselect 1 as x\n',
      'models/b.sql': 'select 1 as x\n',
      'models/c.sql': '{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day"}}\nselect 1 as x\n',
      'models/props.yml':
        'version: 2\nmodels:\n  - name: b\n    config:\n      materialized: incremental\n      incremental_strategy: microbatch\n      batch_size: day\n      begin: 2024-01-01\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error models/a.sql:1:');
    expect(result.stderr).toContain('unknown batch_size "week"');
    expect(result.stderr).toMatch(/error models\/props\.yml:6:\d+ \[model\.demo\.b\]: incremental_strategy "microbatch" needs event_time/);
    expect(result.stderr).toMatch(/error models\/c\.sql:1:\d+ \[model\.demo\.c\]: incremental_strategy "microbatch" needs begin/);
  });
});
