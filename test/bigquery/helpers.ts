/** A small tsdbt project on a BigQuery target, and the CLI run against the fake GCP server. */
import { fileURLToPath } from 'node:url';
import { createTmpProject, runTsdbt, startTsdbt, type RunResult, type TmpProject } from '../helpers/tmp-project.js';
import type { FakeGcpServer } from './fake-gcp-server.js';

export const GUARD = fileURLToPath(new URL('./loopback-guard.cjs', import.meta.url));

export const PROFILES = `demo:
  target: prod
  outputs:
    prod:
      type: bigquery
      method: service-account
      keyfile: /nonexistent/key.json
      project: test-project
      dataset: analytics
      location: EU
      priority: interactive
      maximum_bytes_billed: 1000000000
      job_labels: {team: data}
      job_timeout: 600
      retries: 2
      retry_max_delay_seconds: 0.05
      lake: gs://test-lake/raw
      threads: 4
`;

export const PROJECT = `name: demo
profile: demo
models:
  demo:
    staging:
      +schema: staging
      +materialized: view
    marts:
      +schema: marts
      +materialized: table
`;

/** source → stg_events (view) → daily (partitioned, clustered table) and events_incr (incremental merge). */
export const FILES: Record<string, string> = {
  'project.yml': PROJECT,
  'profiles.yml': PROFILES,
  'models/sources.yml': `version: 2
sources:
  - name: lake
    tables:
      - name: events
        description: Raw events from the lake
        external:
          location: events/*.csv
          format: csv
          file_name_column: _file
          options: {delim: ";", header: true, encoding: latin-1, nullstr: NA, all_varchar: true}
        columns:
          - name: Event id
            description: identifier
          - name: Date
          - name: _file
`,
  'models/staging/stg_events.sql': `select
    {{quote "Event id"}} as event_id,
    {{safe_cast (quote "Date") "date"}} as day,
    _file
from {{source "lake" "events"}}
`,
  'models/marts/daily.sql': `select
    day,
    event_id,
    count(*) as n
from {{ref "stg_events"}}
group by day, event_id
`,
  'models/marts/events_incr.sql': `{{config materialized="incremental" unique_key="event_id"}}
select event_id, day
from {{ref "stg_events"}}
{{#if (is_incremental)}}where day > (select max(day) from {{this}}){{/if}}
`,
  'models/marts/_marts.yml': `version: 2
models:
  - name: daily
    description: Events per day
    config:
      partition_by: {field: day, data_type: date}
      cluster_by: [event_id]
      labels: {domain: events}
      persist_docs: {relation: true, columns: true}
    columns:
      - name: n
        description: number of events
`,
};

export function smallProject(extra: Record<string, string> = {}): TmpProject {
  return createTmpProject({ ...FILES, ...extra }, { bare: true });
}

export function fakeEnv(fake: FakeGcpServer): Record<string, string | undefined> {
  return {
    TSDBT_BIGQUERY_API_ENDPOINT: fake.url,
    TSDBT_GCS_API_ENDPOINT: fake.url,
    NODE_OPTIONS: `--require ${GUARD}`,
    GOOGLE_APPLICATION_CREDENTIALS: undefined,
    GOOGLE_CLOUD_PROJECT: undefined,
    GCLOUD_PROJECT: undefined,
    METADATA_SERVER_DETECTION: undefined,
  };
}

export function runAgainst(fake: FakeGcpServer, dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runTsdbt(dir, args, { env: { ...fakeEnv(fake), ...env } });
}

export function startAgainst(fake: FakeGcpServer, dir: string, args: string[]) {
  return startTsdbt(dir, args, { env: fakeEnv(fake) });
}

/** Requests the CLI made that are not the loopback guard's business: all must be to the fake. */
export function guardViolations(result: RunResult): string[] {
  return result.stderr.split('\n').filter((l) => l.includes('LOOPBACK-GUARD'));
}
