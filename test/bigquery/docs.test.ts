/**
 * `tsdbt docs generate` and `ls --resource-type exposure` on a BigQuery target, against the fake
 * GCP server: the exact catalog queries (INFORMATION_SCHEMA + __TABLES__, one job per dataset),
 * catalog.json built from their rows, and the Looker Studio Linking API URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import type { TmpProject } from '../helpers/tmp-project.js';
import { type FakeGcpServer, type FakeJob, startFakeGcp } from './fake-gcp-server.js';
import { guardViolations, runAgainst, smallProject } from './helpers.js';

const CATALOG_SCHEMA = [
  { name: 'table_name', type: 'STRING' },
  { name: 'column_name', type: 'STRING' },
  { name: 'ordinal_position', type: 'INTEGER' },
  { name: 'data_type', type: 'STRING' },
  { name: 'table_type', type: 'STRING' },
  { name: 'row_count', type: 'INTEGER' },
  { name: 'size_bytes', type: 'INTEGER' },
];

/** What INFORMATION_SCHEMA answers per dataset in this test. */
const CATALOG_ROWS: Record<string, unknown[][]> = {
  staging: [
    ['stg_events', 'event_id', 1, 'STRING', 'VIEW', null, null],
    ['stg_events', 'day', 2, 'DATE', 'VIEW', null, null],
    ['stg_events', '_file', 3, 'STRING', 'VIEW', null, null],
  ],
  marts: [
    ['daily', 'day', 1, 'DATE', 'BASE TABLE', 42, 4096],
    ['daily', 'event_id', 2, 'STRING', 'BASE TABLE', 42, 4096],
    ['daily', 'n', 3, 'INT64', 'BASE TABLE', 42, 4096],
  ],
  lake: [
    ['events', 'Event_id', 1, 'STRING', 'EXTERNAL', null, null],
    ['events', 'Date', 2, 'STRING', 'EXTERNAL', null, null],
  ],
};

const EXPOSURES = `version: 2
exposures:
  - name: events_board
    label: Events board
    type: dashboard
    owner: {name: Data}
    depends_on: [ref('daily'), ref('stg_events')]
  - name: templated_board
    type: dashboard
    owner: {name: Data}
    depends_on: [ref('daily')]
    meta:
      looker_studio: {report_id: 7f3c-template, report_name: Daily events, data_sources: {events: daily}}
  - name: notebook
    type: notebook
    owner: {name: Data}
    depends_on: [ref('daily')]
`;

describe('tsdbt docs generate --target prod (BigQuery)', () => {
  let fake: FakeGcpServer;
  let project: TmpProject;
  beforeAll(async () => {
    fake = await startFakeGcp();
    fake.jobHandler = (job: FakeJob) => {
      const dataset = /`test-project\.(\w+)`\.INFORMATION_SCHEMA\.COLUMNS/.exec(job.query)?.[1];
      if (dataset) return { schema: CATALOG_SCHEMA, rows: CATALOG_ROWS[dataset] ?? [] };
      return undefined;
    };
    project = smallProject({ 'models/marts/_exposures.yml': EXPOSURES });
  });
  afterAll(() => fake.close());

  it('reads the catalog with one INFORMATION_SCHEMA query per dataset and writes catalog.json from it', async () => {
    const result = await runAgainst(fake, project.dir, ['docs', 'generate']);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const catalogJobs = fake.jobs.filter((j) => j.query.includes('INFORMATION_SCHEMA'));
    // One job per dataset, in dataset order.
    expect(catalogJobs.map((j) => j.query)).toEqual([
      expect.stringContaining('FROM `test-project.lake`.INFORMATION_SCHEMA.COLUMNS AS c'),
      expect.stringContaining('FROM `test-project.marts`.INFORMATION_SCHEMA.COLUMNS AS c'),
      [
        'SELECT c.table_name, c.column_name, c.ordinal_position, c.data_type, t.table_type, s.row_count, s.size_bytes',
        'FROM `test-project.staging`.INFORMATION_SCHEMA.COLUMNS AS c',
        'JOIN `test-project.staging`.INFORMATION_SCHEMA.TABLES AS t ON t.table_name = c.table_name',
        'LEFT JOIN `test-project.staging`.__TABLES__ AS s ON s.table_id = c.table_name',
        "WHERE c.table_name IN ('stg_events')",
        'ORDER BY c.table_name, c.ordinal_position',
      ].join('\n'),
    ]);
    expect(catalogJobs[0]!.query).toContain("WHERE c.table_name IN ('events')");
    expect(catalogJobs[1]!.query).toContain("WHERE c.table_name IN ('daily', 'events_incr')");
    // The preview chart's one query: the daily averages of the numeric columns over the date column.
    expect(fake.jobs.filter((j) => !j.query.includes('INFORMATION_SCHEMA')).map((j) => j.query)).toEqual([
      'SELECT * FROM (SELECT day AS day, avg(CAST(n AS FLOAT64)) AS n\nFROM `test-project.marts.daily` WHERE day IS NOT NULL GROUP BY 1 ORDER BY 1 DESC LIMIT 400) AS latest',
    ]);
    // Reading the catalog creates nothing: no DDL, no dataset, no external table.
    expect(fake.jobs.filter((j) => /CREATE|DROP|MERGE|INSERT/i.test(j.query))).toEqual([]);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/datasets'))).toEqual([]);

    const catalog = project.json('target/catalog.json');
    if (schemasPresent) expect(artifactViolations('catalog_v1.json', catalog)).toEqual([]);
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.demo.daily', 'model.demo.stg_events']);
    const daily = catalog.nodes['model.demo.daily'];
    expect(daily.metadata).toEqual({ type: 'BASE TABLE', schema: 'marts', name: 'daily', database: 'test-project', comment: null, owner: null });
    expect(daily.columns.n).toEqual({ type: 'INT64', index: 3, name: 'n', comment: null });
    expect(daily.stats.num_rows.value).toBe(42);
    expect(daily.stats.num_bytes.value).toBe(4096);
    expect(catalog.nodes['model.demo.stg_events'].metadata.type).toBe('VIEW');
    expect(catalog.sources['source.demo.lake.events'].metadata.type).toBe('EXTERNAL');
    expect(Object.keys(catalog.sources['source.demo.lake.events'].columns)).toEqual(['Event_id', 'Date']);
    expect(result.stdout).toContain('Catalog: 3 relations in target/catalog.json (1 not built yet: model.demo.events_incr)');
  });

  it('lists each dashboard exposure with its Looker Studio Linking API URL', async () => {
    const result = await runAgainst(fake, project.dir, ['ls', '--resource-type', 'exposure', '--output', 'json']);
    expect(result.code).toBe(0);
    const listed = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const urls = Object.fromEntries(listed.map((e) => [e.name, e.looker_studio_url ?? null]));
    expect(urls).toEqual({
      events_board:
        'https://lookerstudio.google.com/reporting/create?r.reportName=Events+board' +
        '&ds.ds0.datasourceName=daily&ds.ds0.connector=bigQuery&ds.ds0.type=TABLE&ds.ds0.projectId=test-project&ds.ds0.datasetId=marts&ds.ds0.tableId=daily' +
        '&ds.ds1.datasourceName=stg_events&ds.ds1.connector=bigQuery&ds.ds1.type=TABLE&ds.ds1.projectId=test-project&ds.ds1.datasetId=staging&ds.ds1.tableId=stg_events',
      templated_board:
        'https://lookerstudio.google.com/reporting/create?c.reportId=7f3c-template&r.reportName=Daily+events' +
        '&ds.events.datasourceName=daily&ds.events.connector=bigQuery&ds.events.type=TABLE&ds.events.projectId=test-project&ds.events.datasetId=marts&ds.events.tableId=daily',
      notebook: null,
    });
  });

  it('gives every model relation its own link in ls --output json', async () => {
    const result = await runAgainst(fake, project.dir, ['ls', '--select', 'daily', '--output', 'json']);
    expect(JSON.parse(result.stdout.trim()).looker_studio_url).toBe(
      'https://lookerstudio.google.com/reporting/create?r.reportName=daily&ds.ds0.datasourceName=daily&ds.ds0.connector=bigQuery&ds.ds0.type=TABLE&ds.ds0.projectId=test-project&ds.ds0.datasetId=marts&ds.ds0.tableId=daily',
    );
  });

  it('warns about a meta.looker_studio it cannot use, naming the file and the key', async () => {
    const bad = smallProject({
      'models/marts/_exposures.yml': `version: 2
exposures:
  - name: board
    type: dashboard
    owner: {name: Data}
    depends_on: [ref('daily')]
    meta:
      looker_studio: {report: x, data_sources: {ds0: missing_model}}
`,
    });
    const result = await runAgainst(fake, bad.dir, ['docs', 'generate', '--no-catalog']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: models/marts/_exposures.yml: exposure board: meta.looker_studio has no key "report" (known: report_id, report_name, data_sources): ignored',
    );
    expect(result.stderr).toContain(
      'warning: models/marts/_exposures.yml: exposure board: meta.looker_studio.data_sources.ds0 names "missing_model", which is not a model the exposure depends on',
    );
  });
});
