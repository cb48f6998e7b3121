/**
 * Microbatch models on BigQuery, against the local BigQuery: the state table in tsdbt_state, one
 * script job per batch with the upstream read filtered to the batch's window, the intervals read
 * back on the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, type TmpProject } from '../helpers/tmp-project.js';
import { type FakeGcpServer, startFakeGcp } from './fake-gcp-server.js';
import { guardViolations, PROFILES, runAgainst } from './helpers.js';

const FILES = {
  'project.yml': 'name: demo\nprofile: demo\n',
  'profiles.yml': PROFILES,
  'models/sources.yml': `version: 2
sources:
  - name: raw
    schema: raw
    tables:
      - name: readings
        config: {event_time: ts}
`,
  'models/daily.sql': `{{config materialized="incremental" incremental_strategy="microbatch" event_time="ts" batch_size="day" begin="2024-01-01" lookback=0}}
select ts, value from {{source "raw" "readings"}}
`,
};

const WINDOW = ['--event-time-start', '2024-01-01', '--event-time-end', '2024-01-04'];

describe('microbatch models on BigQuery', () => {
  let fake: FakeGcpServer;
  let project: TmpProject;

  const COLUMNS = [
    { name: 'ts', type: 'TIMESTAMP' },
    { name: 'value', type: 'INTEGER' },
  ];
  // The fake does not type queries: the table and the batches' SELECT (dry run) get the model's columns.
  const typed = (job: { dryRun?: boolean }) => (job.dryRun ? { schema: COLUMNS } : undefined);

  beforeAll(async () => {
    fake = await startFakeGcp();
    fake.schemas.set('test-project.analytics.daily', COLUMNS);
    fake.jobHandler = typed;
    project = createTmpProject(FILES, { bare: true });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('builds one script job per batch: the first creates the table, the others replace their slice; every batch is recorded', async () => {
    const result = await runAgainst(fake, project.dir, ['run', ...WINDOW]);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/MICROBATCH \(3 of 3 batches, \d+ rows; full refresh\)/);
    const state = fake.realJobs().find((j) => j.query.includes('CREATE TABLE IF NOT EXISTS `test-project.tsdbt_state.intervals`'));
    expect(state).toBeDefined();
    const batches = fake.realJobs().filter((j) => j.labels.tsdbt_model === 'daily');
    expect(batches).toHaveLength(3);
    const day = (n: number) => `2024-01-0${n}T00:00:00.000Z`;
    batches.forEach((job, i) => {
      // The source is read filtered to the batch's window.
      expect(job.query).toContain(
        `(select * from \`test-project.raw.readings\` where TIMESTAMP(ts) >= TIMESTAMP '${day(i + 1)}' AND TIMESTAMP(ts) < TIMESTAMP '${day(i + 2)}')`,
      );
      expect(job.query).toContain(`INSERT INTO \`test-project.tsdbt_state.intervals\``);
      expect(job.location).toBe('EU');
    });
    expect(batches[0]!.query).toMatch(/^CREATE OR REPLACE TABLE `test-project\.analytics\.daily`/m);
    for (const job of batches.slice(1)) {
      expect(job.query).toContain('BEGIN TRANSACTION;');
      expect(job.query).toMatch(/DELETE FROM `test-project\.analytics\.daily` WHERE TIMESTAMP\(ts\) >= TIMESTAMP '2024-01-0[23]T00:00:00\.000Z'/);
      expect(job.query).toContain('COMMIT TRANSACTION;');
    }
    const results = project.json('target/run_results.json').results as Array<{ batch_results: { successful: string[][]; failed: string[][] } }>;
    expect(results[0]!.batch_results.successful).toEqual([1, 2, 3].map((n) => [day(n), day(n + 1)]));
  });

  it('the next run reads the recorded intervals and builds only the missing batch', async () => {
    // The fake does not execute SQL: it answers the intervals query with the batches recorded above.
    const ms = (n: number) => Date.UTC(2024, 0, n);
    const checksum = /, '([0-9a-f]{64})', '[^']*', CURRENT_TIMESTAMP\(\)/.exec(fake.realJobs().find((j) => j.labels.tsdbt_model === 'daily')!.query)![1];
    const loaded = Date.UTC(2024, 5, 1);
    const schema = ['start_ms', 'end_ms', 'checksum', 'loaded_at_ms', 'row_count'].map((name) => ({ name, type: name === 'checksum' ? 'STRING' : 'INTEGER' }));
    fake.jobHandler = (job) =>
      job.query.startsWith('SELECT UNIX_MILLIS(batch_start)') ? { schema, rows: [1, 2, 3].map((n) => [ms(n), ms(n + 1), checksum, loaded, 4]) } : typed(job);
    fake.reset();
    const result = await runAgainst(fake, project.dir, ['run', '--event-time-start', '2024-01-01', '--event-time-end', '2024-01-05']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/MICROBATCH \(1 of 1 batch, \d+ rows; 1 missing\)/);
    const batches = fake.realJobs().filter((j) => j.labels.tsdbt_model === 'daily');
    expect(batches).toHaveLength(1);
    expect(batches[0]!.query).toContain("TIMESTAMP(ts) >= TIMESTAMP '2024-01-04T00:00:00.000Z' AND TIMESTAMP(ts) < TIMESTAMP '2024-01-05T00:00:00.000Z'");
  });
});
