/**
 * Contract tests of the BigQuery adapter: the real CLI (`tsdbt build/run --target prod`) against
 * the fake GCP server on 127.0.0.1, asserting the exact requests and jobs. The CLI runs with a
 * loopback guard preloaded: any attempt to reach another host (Google, a metadata server) fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startFakeGcp, type FakeGcpServer, type FakeJob } from './fake-gcp-server.js';
import { guardViolations, runAgainst, smallProject, startAgainst } from './helpers.js';
import type { TmpProject } from '../helpers/tmp-project.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const EXTERNAL_DDL = `CREATE OR REPLACE EXTERNAL TABLE \`test-project.lake.events\`
(
  Event_id STRING OPTIONS(description = 'identifier'),
  Date STRING
)
OPTIONS (
  format = 'CSV',
  uris = ['gs://test-lake/raw/events/*.csv'],
  field_delimiter = ';',
  encoding = 'ISO-8859-1',
  null_marker = 'NA',
  skip_leading_rows = 1,
  description = 'Raw events from the lake'
)`;

const VIEW_DDL = `CREATE OR REPLACE VIEW \`test-project.staging.stg_events\`
AS (
select
    Event_id as event_id,
    SAFE_CAST(Date AS DATE) as day,
    _file
from (SELECT *, _FILE_NAME AS _file FROM \`test-project.lake.events\`)
)`;

const DAILY_DDL = `CREATE OR REPLACE TABLE \`test-project.marts.daily\`
PARTITION BY day
CLUSTER BY event_id
OPTIONS(
  description = 'Events per day',
  labels = [('domain', 'events')]
)
AS (
select
    day,
    event_id,
    count(*) as n
from \`test-project.staging.stg_events\`
group by day, event_id
);
ALTER TABLE \`test-project.marts.daily\` ALTER COLUMN IF EXISTS n SET OPTIONS(description = 'number of events');`;

// The model's first line is its {{config}} tag, rendered empty: line numbers stay those of the file.
const INCR_CREATE = `CREATE OR REPLACE TABLE \`test-project.marts.events_incr\`
AS (

select event_id, day
from \`test-project.staging.stg_events\`
)`;

const INCR_MERGE = `MERGE INTO \`test-project.marts.events_incr\` AS tsdbt_dest
USING (

select event_id, day
from \`test-project.staging.stg_events\`
where day > (select max(day) from \`test-project.marts.events_incr\`)
) AS tsdbt_src
ON tsdbt_dest.event_id = tsdbt_src.event_id
WHEN MATCHED THEN UPDATE SET day = tsdbt_src.day
WHEN NOT MATCHED THEN INSERT (event_id, day) VALUES (tsdbt_src.event_id, tsdbt_src.day)`;

const byModel = (jobs: FakeJob[], name: string) => jobs.filter((j) => j.labels.tsdbt_model === name);

describe('tsdbt build --target prod against the local BigQuery', () => {
  let fake: FakeGcpServer;
  let project: TmpProject;
  beforeAll(async () => {
    fake = await startFakeGcp();
    project = smallProject();
  });
  afterAll(() => fake.close());

  it('creates the datasets and the external table, then sends one job per model in DAG order', async () => {
    const result = await runAgainst(fake, project.dir, ['build']);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    // Every BigQuery request carries the static local token: no credentials were looked up
    // (the profile's keyfile /nonexistent/key.json was never read).
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer tsdbt-local-endpoint')).toBe(true);

    const calls = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls.slice(0, 7)).toEqual([
      'GET /bigquery/v2/projects/test-project/datasets/staging',
      'GET /bigquery/v2/projects/test-project/datasets/marts',
      'GET /bigquery/v2/projects/test-project/datasets/lake',
      'POST /bigquery/v2/projects/test-project/datasets',
      'POST /bigquery/v2/projects/test-project/datasets',
      'POST /bigquery/v2/projects/test-project/datasets',
      'POST /bigquery/v2/projects/test-project/jobs',
    ]);
    const created = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/datasets')).map((r) => r.body);
    expect(created).toEqual([
      { datasetReference: { datasetId: 'staging' }, location: 'EU' },
      { datasetReference: { datasetId: 'marts' }, location: 'EU' },
      { datasetReference: { datasetId: 'lake' }, location: 'EU' },
    ]);

    const jobs = fake.realJobs();
    expect(fake.jobs.filter((j) => j.dryRun)).toEqual([]);
    expect(jobs.map((j) => j.labels.tsdbt_model ?? `source:${j.labels.tsdbt_source}`)).toHaveLength(4);
    const [external, view, ...marts] = jobs;
    expect(external!.query).toBe(EXTERNAL_DDL);
    expect(external!.labels).toEqual({ team: 'data', tsdbt_invocation_id: expect.stringMatching(UUID), tsdbt_source: 'lake_events' });
    expect(view!.query).toBe(VIEW_DDL);
    expect(marts.map((j) => j.labels.tsdbt_model).sort()).toEqual(['daily', 'events_incr']);
    expect(byModel(jobs, 'daily')[0]!.query).toBe(DAILY_DDL);
    expect(byModel(jobs, 'events_incr')[0]!.query).toBe(INCR_CREATE);

    const invocation = external!.labels.tsdbt_invocation_id;
    for (const job of jobs) {
      const name = job.labels.tsdbt_model ?? job.labels.tsdbt_source!;
      expect(job.location).toBe('EU');
      expect(job.jobId.startsWith(`tsdbt_${name}_`)).toBe(true);
      expect(job.labels.tsdbt_invocation_id).toBe(invocation);
      expect(job.labels.team).toBe('data');
      expect(job.configuration).toMatchObject({
        query: { useLegacySql: false, priority: 'INTERACTIVE', maximumBytesBilled: '1000000000' },
        jobTimeoutMs: '600000',
        labels: job.labels,
      });
      expect(job.configuration.dryRun).toBeUndefined();
    }

    const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string }>;
    expect(results.map((r) => [r.unique_id, r.status])).toEqual(
      expect.arrayContaining([
        ['model.demo.stg_events', 'success'],
        ['model.demo.daily', 'success'],
        ['model.demo.events_incr', 'success'],
      ]),
    );
    expect(project.read('target/run/demo/models/marts/daily.sql')).toBe(`${DAILY_DDL.replace(');\nALTER', ');\n\nALTER')}\n`);
    expect(result.stdout).toMatch(/OK\s+table\s+`test-project\.marts\.daily`/);
  });

  it('runs again: MERGE on unique_key for the incremental model, no dataset created, no DROP', async () => {
    fake.reset();
    fake.tables.get('test-project.marts.events_incr')!.resource.schema = {
      fields: [
        { name: 'event_id', type: 'STRING' },
        { name: 'day', type: 'DATE' },
      ],
    };
    fake.tables.get('test-project.marts.events_incr')!.resource.numRows = '10';
    fake.jobHandler = (job) => (job.query.startsWith('MERGE') ? { numDmlAffectedRows: 3 } : undefined);
    const result = await runAgainst(fake, project.dir, ['run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/datasets'))).toEqual([]);
    const jobs = fake.realJobs();
    expect(jobs).toHaveLength(4);
    expect(byModel(jobs, 'events_incr')[0]!.query).toBe(INCR_MERGE);
    expect(byModel(jobs, 'daily')[0]!.query).toBe(DAILY_DDL);
    // target/compiled holds the SELECT that ran: the incremental one.
    expect(project.read('target/compiled/demo/models/marts/events_incr.sql')).toContain('where day > (select max(day) from `test-project.marts.events_incr`)');
    expect(result.stdout).toMatch(/events_incr`\s+3 rows/);
  });

  it('--full-refresh rebuilds the incremental model; a changed partitioning drops the table first', async () => {
    fake.reset();
    fake.jobHandler = () => undefined;
    fake.tables.get('test-project.marts.daily')!.resource.timePartitioning = { type: 'MONTH', field: 'day' };
    const result = await runAgainst(fake, project.dir, ['run', '--full-refresh']);
    expect(result.code).toBe(0);
    const jobs = fake.realJobs();
    expect(byModel(jobs, 'events_incr')[0]!.query).toBe(INCR_CREATE);
    expect(byModel(jobs, 'daily')[0]!.query).toBe(`DROP TABLE \`test-project.marts.daily\`;\n${DAILY_DDL}`);
  });
});

describe('dry runs', () => {
  it('--dry-run prices every model with dryRun jobs, creates nothing and prints the bytes table', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    const bytes: Record<string, number> = { stg_events: 0, daily: 2_500_000, events_incr: 3_000_000 };
    fake.jobHandler = (job) => ({ bytes: bytes[job.labels.tsdbt_model ?? ''] ?? 0 });
    try {
      const result = await runAgainst(fake, project.dir, ['run', '--dry-run']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(fake.realJobs()).toEqual([]);
      expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/datasets'))).toEqual([]);
      const dry = fake.jobs.filter((j) => j.dryRun);
      expect(dry.map((j) => j.labels.tsdbt_model ?? 'external table')).toEqual(['external table', 'stg_events', expect.any(String), expect.any(String)]);
      expect(dry.every((j) => j.configuration.dryRun === true && j.location === 'EU')).toBe(true);
      expect(byModel(dry, 'daily')[0]!.query).toBe(DAILY_DDL.split(';\n')[0]);
      expect(result.stdout).toMatch(/│ `test-project\.marts\.daily`\s+│ table\s+│ 2\.50 MB\s+│/);
      expect(result.stdout).toMatch(/│ total\s+│ 3 models\s+│ 5\.50 MB\s+│/);
      const results = project.json('target/run_results.json').results as Array<{ status: string }>;
      expect(results.every((r) => r.status === 'success')).toBe(true);
    } finally {
      await fake.close();
    }
  });
});

describe('failures', () => {
  const BAD = {
    'models/marts/bad.sql': 'select\n    event_id,\n    nope as x\nfrom {{ref "stg_events"}}\n',
    'models/marts/bad_child.sql': 'select * from {{ref "bad"}}\n',
  };

  it('retries a 503 of jobs.insert with the same job id, and a job failed with backendError as a new job', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    fake.failNext({ method: 'POST', path: /\/jobs$/, status: 503, times: 1 });
    let failedOnce = false;
    fake.jobHandler = (job) => {
      if (job.labels.tsdbt_model === 'stg_events' && !failedOnce) {
        failedOnce = true;
        return { error: { reason: 'backendError', message: 'Backend error. Job aborted.' } };
      }
      return undefined;
    };
    try {
      const result = await runAgainst(fake, project.dir, ['run']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const inserts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'));
      // The first insert got a 503 and was sent again with the same job id.
      expect(inserts[0]!.body.jobReference.jobId).toBe(inserts[1]!.body.jobReference.jobId);
      const stg = byModel(fake.realJobs(), 'stg_events');
      expect(stg).toHaveLength(2);
      expect(stg[0]!.jobId).not.toBe(stg[1]!.jobId);
      expect(stg[1]!.query).toBe(VIEW_DDL);
    } finally {
      await fake.close();
    }
  });

  it('reports a failed job with BigQuery reason and message, the model file and line, and the compiled path', async () => {
    const fake = await startFakeGcp();
    const project = smallProject(BAD);
    // The job is CREATE OR REPLACE TABLE …\nAS (\n<model SQL>: the model's line 3 is the job's line 5.
    fake.jobHandler = (job) => (job.query.includes('nope') ? { error: { reason: 'invalidQuery', message: 'Unrecognized name: nope at [5:5]' } } : undefined);
    try {
      const result = await runAgainst(fake, project.dir, ['run']);
      expect(guardViolations(result)).toEqual([]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('ERROR in model bad (models/marts/bad.sql:3, compiled target/compiled/demo/models/marts/bad.sql:3)');
      expect(result.stderr).toContain("BigQuery invalidQuery: Unrecognized name: nope at [5:5] (line 3, column 5 of the model's SQL)");
      const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string; message: string }>;
      const bad = results.find((r) => r.unique_id === 'model.demo.bad')!;
      expect(bad.status).toBe('error');
      expect(bad.message).toMatch(/^BigQuery invalidQuery: Unrecognized name: nope/);
      expect(results.find((r) => r.unique_id === 'model.demo.bad_child')).toMatchObject({ status: 'skipped', message: 'skipped: upstream bad failed' });
      expect(results.find((r) => r.unique_id === 'model.demo.daily')!.status).toBe('success');
    } finally {
      await fake.close();
    }
  });

  it('maximum_bytes_billed: a refused job says which limit, where it is set and what to do', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    fake.jobHandler = (job) =>
      job.labels.tsdbt_model === 'daily' && !job.dryRun
        ? { error: { reason: 'bytesBilledLimitExceeded', message: 'Query exceeded limit for bytes billed: 1000000000. 2000000000 or higher required.' } }
        : job.labels.tsdbt_model === 'daily'
          ? { bytes: 2_000_000_000 }
          : undefined;
    try {
      const line =
        readFileSync(project.path('profiles.yml'), 'utf8')
          .split('\n')
          .findIndex((l) => l.includes('maximum_bytes_billed')) + 1;
      const run = await runAgainst(fake, project.dir, ['run']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(new RegExp(`ERROR in model daily \\(profiles\\.yml:${line}:\\d+\\)`));
      expect(run.stderr).toContain(
        'BigQuery refused the job: it would bill more than maximum_bytes_billed = 1000000000 bytes (1.00 GB). BigQuery: Query exceeded limit for bytes billed: 1000000000. 2000000000 or higher required.',
      );
      expect(run.stderr).toContain('hint: nothing was billed or changed; make the model read less');

      const dry = await runAgainst(fake, project.dir, ['run', '--dry-run']);
      expect(dry.code).toBe(1);
      expect(dry.stderr).toContain('CREATE TABLE would process 2.00 GB, more than maximum_bytes_billed = 1.00 GB: the real run would be refused');
    } finally {
      await fake.close();
    }
  });

  it('an unknown setting or a bad value names its profiles.yml line', async () => {
    const fake = await startFakeGcp();
    const project = smallProject({ 'profiles.yml': FILES_PROFILES_WITH('      maximum_bytes_biled: 10\n') });
    try {
      const result = await runAgainst(fake, project.dir, ['run']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/error profiles\.yml:8:\d+: unknown bigquery setting "maximum_bytes_biled" in target "prod"/);
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('queries, debug and cancellation', () => {
  it('tsdbt debug runs SELECT 1 through a query job and reads its result', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    fake.jobHandler = (job) => (job.query === 'SELECT 1 AS ok' ? { schema: [{ name: 'ok', type: 'INTEGER' }], rows: [[1]] } : undefined);
    try {
      const result = await runAgainst(fake, project.dir, ['debug']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`connection:   OK (bigquery project test-project, dataset analytics, location EU, 4 threads, endpoint ${fake.url})`);
      const calls = fake.requests.map((r) => `${r.method} ${r.path.replace(/tsdbt_query_[\w-]+/, '{job}')}`);
      expect(calls).toEqual(['POST /bigquery/v2/projects/test-project/jobs', 'GET /bigquery/v2/projects/test-project/queries/{job}']);
    } finally {
      await fake.close();
    }
  });

  it('tsdbt show previews a model with LIMIT, values converted from BigQuery types', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    fake.jobHandler = (job) =>
      job.query.startsWith('SELECT * FROM (')
        ? {
            schema: [
              { name: 'day', type: 'DATE' },
              { name: 'event_id', type: 'STRING' },
              { name: 'n', type: 'INTEGER' },
            ],
            rows: [
              ['2024-01-01', 'a', 3],
              ['2024-01-02', 'b', 1],
            ],
          }
        : undefined;
    try {
      const result = await runAgainst(fake, project.dir, ['show', '--select', 'daily', '--limit', '2', '--output', 'json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).rows).toEqual([
        { day: '2024-01-01', event_id: 'a', n: 3 },
        { day: '2024-01-02', event_id: 'b', n: 1 },
      ]);
      const job = fake.jobs.find((j) => j.query.startsWith('SELECT * FROM ('))!;
      expect(job.query.endsWith('\n) LIMIT 2')).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('tsdbt seed loads a CSV with one job: CREATE OR REPLACE TABLE with the column types, then INSERT', async () => {
    const fake = await startFakeGcp();
    const project = smallProject({
      'seeds/codes.csv': "code,label,weight\n01,l'eau,0.5\n02,,2\n",
      'seeds/_seeds.yml': 'version: 2\nseeds:\n  - name: codes\n    config:\n      column_types: {code: string}\n',
    });
    try {
      const result = await runAgainst(fake, project.dir, ['seed']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const [job, ...rest] = fake.realJobs();
      expect(rest).toEqual([]);
      expect(job!.labels).toMatchObject({ tsdbt_model: 'codes', team: 'data' });
      expect(job!.query).toBe(
        'CREATE OR REPLACE TABLE `test-project.analytics.codes` (\n  code STRING,\n  label STRING,\n  weight FLOAT64\n);\n' +
          "INSERT INTO `test-project.analytics.codes` (code, label, weight) VALUES\n('01', 'l\\'eau', 0.5),\n('02', NULL, 2);",
      );
      expect(result.stdout).toMatch(/OK\s+seed\s+`test-project\.analytics\.codes`\s+2 rows/);
    } finally {
      await fake.close();
    }
  });

  it('Ctrl-C cancels the running BigQuery jobs (jobs.cancel) and exits 130', async () => {
    const fake = await startFakeGcp();
    const project = smallProject();
    fake.jobHandler = (job) => (job.labels.tsdbt_model === 'daily' ? { pendingPolls: 10_000 } : undefined);
    try {
      const running = startAgainst(fake, project.dir, ['run']);
      const deadline = Date.now() + 300_000;
      while (!fake.jobs.some((j) => j.labels.tsdbt_model === 'daily') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      running.interrupt();
      const result = await running.result;
      expect(result.code).toBe(130);
      const daily = fake.jobs.find((j) => j.labels.tsdbt_model === 'daily')!;
      expect(
        fake.requests.some(
          (r) => r.method === 'POST' && r.path === `/bigquery/v2/projects/test-project/jobs/${daily.jobId}/cancel` && r.query.location === 'EU',
        ),
      ).toBe(true);
      const results = project.json('target/run_results.json').results as Array<{ unique_id: string; status: string; message: string }>;
      expect(results.find((r) => r.unique_id === 'model.demo.daily')).toMatchObject({ status: 'error', message: 'cancelled (interrupted)' });
    } finally {
      await fake.close();
    }
  });
});

function FILES_PROFILES_WITH(extraLine: string): string {
  return readFileSync(new URL('./helpers.ts', import.meta.url), 'utf8').includes('threads: 4')
    ? `demo:\n  target: prod\n  outputs:\n    prod:\n      type: bigquery\n      project: test-project\n      dataset: analytics\n${extraLine}`
    : '';
}
