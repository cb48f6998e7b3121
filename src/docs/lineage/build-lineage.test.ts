import { describe, expect, it } from 'vitest';
import { createTmpProject } from '../../../test/helpers/tmp-project.js';
import { openProject } from '../../api/open-project.js';
import type { LineageDocument, LineageEdge } from '../docs-data.js';
import { buildLineage } from './build-lineage.js';
import { traceColumn } from './trace-column.js';

const SOURCES = `version: 2
sources:
  - name: lake
    tables:
      - name: readings
        external:
          location: readings/*.csv
          format: csv
          file_name_column: _file
          options: {delim: ";", header: true, all_varchar: true}
        columns:
          - name: day
          - name: region
          - name: mw
      - name: events
        external: {location: events/*.csv, format: csv}
`;

const FILES: Record<string, string> = {
  'seeds/regions.csv': 'code,name\n11,Île-de-France\n84,Auvergne-Rhône-Alpes\n',
  'lake/readings/2024.csv': 'day;region;mw\n2024-01-01;11;100\n',
  'models/sources.yml': SOURCES,
  'models/stg_readings.sql': `{{config materialized="ephemeral"}}
select cast(day as date) as day, region, cast(mw as double) as mw, _file
from {{source "lake" "readings"}}
where mw <> 'ND'
`,
  'models/region_names.sql': 'select * from {{ref "regions"}}\n',
  'models/daily.sql': `{{config materialized="table"}}
select r.day, n.name as region_name, sum(r.mw) as mw, sum(r.mw) * 24 as mwh, 'rte' as provider
from {{ref "stg_readings"}} as r
join {{ref "region_names"}} as n on n.code = cast(r.region as integer)
group by all
`,
  'models/daily_copy.sql': 'select * exclude (provider) from {{ref "daily"}}\n',
  'models/events_copy.sql': 'select * from {{source "lake" "events"}}\n',
  'models/broken.sql': 'select (1 from {{ref "daily"}}\n',
  'models/two_statements.sql': 'select 1 as a;\nselect 2 as b\n',
};

const DUCKDB = 'demo:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/dev.duckdb, lake: lake}\n';
const BIGQUERY =
  'demo:\n  target: prod\n  outputs:\n    prod: {type: bigquery, method: oauth, project: test-project, dataset: analytics, location: EU, lake: "gs://test-lake/raw"}\n';

async function lineageOf(profiles: string, knownColumns: ReadonlyMap<string, readonly string[]> = new Map()): Promise<LineageDocument> {
  const project = createTmpProject({ ...FILES, 'profiles.yml': profiles });
  const opened = await openProject({ projectDir: project.dir, env: {} });
  return buildLineage(opened.project, { knownColumns, generatedAt: '2024-05-01T00:00:00Z', tsdbtVersion: '0.0.0', dialect: opened.dialect });
}

const p = (node: string, column: string): LineageEdge => ({ node, column, kind: 'passthrough' });
const t = (node: string, column: string): LineageEdge => ({ node, column, kind: 'transformation' });
const f = (node: string, column: string): LineageEdge => ({ node, column, kind: 'filter' });

const STG = 'model.demo.stg_readings';
const READINGS = 'source.demo.lake.readings';

describe('buildLineage', () => {
  it('traces an ephemeral parent as its own node, a seed through its CSV header and a source to its lake files', async () => {
    const doc = await lineageOf(DUCKDB);
    expect(doc.metadata).toEqual({ generatedAt: '2024-05-01T00:00:00Z', tsdbtVersion: '0.0.0', parser: '@polyglot-sql/sdk 0.12.1 (duckdb)' });
    // Seeds have no entry; every model has one.
    expect(Object.keys(doc.nodes).sort()).toEqual([
      'model.demo.broken',
      'model.demo.daily',
      'model.demo.daily_copy',
      'model.demo.events_copy',
      'model.demo.region_names',
      'model.demo.stg_readings',
      'model.demo.two_statements',
    ]);
    expect(doc.nodes[STG]).toEqual({
      status: 'ok',
      columns: {
        day: { upstream: [p(READINGS, 'day')] },
        region: { upstream: [p(READINGS, 'region')] },
        mw: { upstream: [p(READINGS, 'mw')] },
        _file: { upstream: [p(READINGS, '_file')] },
      },
      keys: [f(READINGS, 'mw')],
    });
    expect(doc.nodes['model.demo.region_names']).toEqual({
      status: 'ok',
      columns: { code: { upstream: [p('seed.demo.regions', 'code')] }, name: { upstream: [p('seed.demo.regions', 'name')] } },
      keys: [],
    });
    // The ephemeral model is inlined as a CTE in daily's SQL: its edges point at the ephemeral node.
    expect(doc.nodes['model.demo.daily']).toEqual({
      status: 'ok',
      columns: {
        day: { upstream: [p(STG, 'day')] },
        region_name: { upstream: [p('model.demo.region_names', 'name')] },
        mw: { upstream: [t(STG, 'mw')] },
        mwh: { upstream: [t(STG, 'mw')] },
        provider: { upstream: [] },
      },
      keys: [f('model.demo.region_names', 'code'), f(STG, 'region'), f(STG, 'day'), f('model.demo.region_names', 'name')],
    });
    // `*` over an upstream model expands to the columns its lineage found.
    expect(Object.keys(doc.nodes['model.demo.daily_copy']!.columns)).toEqual(['day', 'region_name', 'mw', 'mwh']);
    expect(traceColumn(doc, 'model.demo.daily_copy', 'mwh')).toEqual([p('model.demo.daily', 'mwh'), t(STG, 'mw'), t(READINGS, 'mw')]);
    expect(traceColumn(doc, 'model.demo.daily_copy', 'region_name')).toEqual([
      p('model.demo.daily', 'region_name'),
      p('model.demo.region_names', 'name'),
      p('seed.demo.regions', 'name'),
    ]);
  });

  it('says why a model is not parsed or not fully traced', async () => {
    const doc = await lineageOf(DUCKDB);
    expect(doc.nodes['model.demo.broken']).toEqual({
      status: 'unparsed',
      reason:
        "the SQL parser stops at compiled line 1 (models/broken.sql:1): Parse error at line 1, column 15: Expected RParen, got From ('from') near [select (1 from main.daily]",
      columns: {},
      keys: [],
    });
    expect(doc.nodes['model.demo.two_statements']).toMatchObject({ status: 'unparsed', reason: '2 statements: lineage reads one SELECT' });
    // A source with no declared columns: its `*` cannot be listed…
    expect(doc.nodes['model.demo.events_copy']).toEqual({
      status: 'unparsed',
      reason: "`*` over source lake.events, whose columns are unknown (no catalog or YAML columns): the model's columns are not all listed",
      columns: {},
      keys: [],
    });
    // …until the catalog knows the model's own columns.
    const known = await lineageOf(DUCKDB, new Map([['model.demo.events_copy', ['id', 'kind']]]));
    expect(known.nodes['model.demo.events_copy']).toEqual({
      status: 'ok',
      columns: { id: { upstream: [p('source.demo.lake.events', 'id')] }, kind: { upstream: [p('source.demo.lake.events', 'kind')] } },
      keys: [],
    });
  });

  it('gives the same lineage when the project is compiled for BigQuery (GoogleSQL, backticked names)', async () => {
    const duckdb = await lineageOf(DUCKDB);
    const bigquery = await lineageOf(BIGQUERY);
    expect(bigquery.metadata.parser).toBe('@polyglot-sql/sdk 0.12.1 (bigquery)');
    const traced = (doc: LineageDocument) =>
      Object.fromEntries(
        Object.entries(doc.nodes)
          .filter(([id]) => !id.endsWith('broken') && !id.endsWith('events_copy'))
          .map(([id, n]) => [id, n]),
      );
    expect(traced(bigquery)).toEqual(traced(duckdb));
  });
});
