/**
 * The template helpers' contracts hold on both engines: each helper × edge case (NULLs, DST days,
 * week and year boundaries, division by zero) is rendered for DuckDB and for BigQuery, run on
 * DuckDB and on GoogleSQL's reference engine, and must give the same, expected value.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReferenceEngine, type ReferenceValue, startReferenceEngine } from '../../src/adapters/bigquery/reference-engine.js';
import { zetasqlUnavailable } from '../../src/adapters/bigquery/zetasql-service.js';
import { openProject, type OpenedProject } from '../../src/api/open-project.js';
import { createTmpProject } from '../helpers/tmp-project.js';
import { rowsOf } from './duckdb-rows.js';
import { type Column, compareRows } from './row-comparison.js';

const unavailable = zetasqlUnavailable();
if (unavailable) console.warn(`SKIPPED: the helpers' cross-engine cases (${unavailable})`);

const PROFILES = `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: ':memory:'
    prod:
      type: bigquery
      method: oauth
      project: test-project
      dataset: analytics
      lake: gs://test-lake/raw
`;

/** [case, template, expected type, expected value] */
const CASES: Array<[string, string, Column['type'], ReferenceValue]> = [
  ['concat skips a NULL', `{{concat "'a'" (cast "null" "string") "'b'"}}`, 'STRING', 'ab'],
  ['concat of NULLs only is empty', `{{concat (cast "null" "string") (cast "null" "string")}}`, 'STRING', ''],
  ['concat casts numbers', `{{concat "'n'" "1"}}`, 'STRING', 'n1'],
  ['greatest skips a NULL', `{{greatest "1" (cast "null" "int") "3"}}`, 'INT64', 3n],
  ['least skips a NULL', `{{least (cast "null" "float") "2.5" "1"}}`, 'FLOAT64', 1],
  ['greatest of NULLs only is NULL', `{{greatest (cast "null" "int") (cast "null" "int")}}`, 'INT64', null],
  ['ISO week of a Monday in the next ISO year', `{{extract "week" (cast "'2024-12-30'" "date")}}`, 'INT64', 1n],
  ['ISO week 53 of a Sunday', `{{extract "week" (cast "'2021-01-03'" "date")}}`, 'INT64', 53n],
  ['isodow of a Sunday is 7', `{{extract "isodow" (cast "'2024-03-31'" "date")}}`, 'INT64', 7n],
  ['isodow of a Monday is 1', `{{extract "isodow" (cast "'2024-04-01'" "date")}}`, 'INT64', 1n],
  ['dow of a Sunday is 0', `{{extract "dow" (cast "'2024-03-31'" "date")}}`, 'INT64', 0n],
  ['a week starts on Monday', `{{cast (date_trunc "week" (cast "'2024-03-31'" "date")) "date"}}`, 'DATE', '2024-03-25'],
  ['a quarter starts on its first month', `{{cast (date_trunc "quarter" (cast "'2024-05-17'" "date")) "date"}}`, 'DATE', '2024-04-01'],
  [
    'the spring-forward day lasts 1 380 minutes in Paris',
    `{{datediff "minute" (to_utc (cast "'2024-03-31 00:00:00'" "timestamp") "Europe/Paris") (to_utc (cast "'2024-04-01 00:00:00'" "timestamp") "Europe/Paris")}}`,
    'INT64',
    1380n,
  ],
  [
    'the fall-back day lasts 1 500 minutes in Paris',
    `{{datediff "minute" (to_utc (cast "'2024-10-27 00:00:00'" "timestamp") "Europe/Paris") (to_utc (cast "'2024-10-28 00:00:00'" "timestamp") "Europe/Paris")}}`,
    'INT64',
    1500n,
  ],
  ['datediff counts day boundaries', `{{datediff "day" (cast "'2024-01-01 23:59:00'" "timestamp") (cast "'2024-01-02 00:01:00'" "timestamp")}}`, 'INT64', 1n],
  ['to_utc of a summer wall-clock time', `{{to_utc (cast "'2024-07-01 12:00:00'" "timestamp") "Europe/Paris"}}`, 'TIMESTAMP', '2024-07-01T10:00:00Z'],
  ['from_utc across the fall-back hour', `{{from_utc (cast "'2024-10-27 01:30:00+00:00'" "timestamp_tz") "Europe/Paris"}}`, 'DATETIME', '2024-10-27 02:30:00'],
  ['dateadd a month from the 31st', `{{cast (dateadd "month" "1" (cast "'2024-01-31'" "date")) "date"}}`, 'DATE', '2024-02-29'],
  ['dateadd a week', `{{cast (dateadd "week" "1" (cast "'2024-12-28'" "date")) "date"}}`, 'DATE', '2025-01-04'],
  ['safe_divide by zero is NULL', `{{safe_divide "1" "0"}}`, 'FLOAT64', null],
  ['safe_divide of integers is not truncated', `{{safe_divide "1" "2"}}`, 'FLOAT64', 0.5],
  ['safe_cast of a bad number is NULL', `{{safe_cast "'1,5'" "float"}}`, 'FLOAT64', null],
  ['parse_timestamp day-first', `{{parse_timestamp "'31/03/2024 01:30'" "%d/%m/%Y %H:%M"}}`, 'DATETIME', '2024-03-31 01:30:00'],
  ['epoch of a wall-clock time', `{{extract "epoch" (cast "'2024-01-01 00:00:00'" "timestamp")}}`, 'FLOAT64', 1704067200],
  [
    'generate_surrogate_key tells NULL from the empty string',
    `{{generate_surrogate_key "'a'" (cast "null" "string")}} = {{generate_surrogate_key "'a'" "''"}}`,
    'BOOL',
    false,
  ],
  [
    'generate_surrogate_key is the same hex on both engines',
    `{{generate_surrogate_key "'a'" "1" (cast "null" "string")}}`,
    'STRING',
    '33168c98dc34ec080a24a5c5cf34efb3',
  ], // md5('a-1-_dbt_utils_surrogate_key_null_'), by node:crypto,
];

let duck: OpenedProject;
let bigquery: OpenedProject;
let engine: ReferenceEngine;
let connection: DuckDBConnection;
let instance: DuckDBInstance;

beforeAll(async () => {
  if (unavailable) return;
  const project = createTmpProject({ 'profiles.yml': PROFILES });
  [duck, bigquery, engine, instance] = await Promise.all([
    openProject({ projectDir: project.dir, env: {} }),
    openProject({ projectDir: project.dir, target: 'prod', env: {} }),
    startReferenceEngine(),
    DuckDBInstance.create(':memory:'),
  ]);
  connection = await instance.connect();
});
afterAll(() => {
  engine?.close();
  connection?.closeSync();
  instance?.closeSync();
});

describe.skipIf(unavailable)("helpers give the same values on DuckDB and on BigQuery's reference engine", () => {
  it.each(CASES)('%s', async (_name, template, type, value) => {
    const expected = { columns: [{ name: 'v', type }], rows: [[value]] };
    const onDuckdb = await rowsOf(connection, `select ${duck.project.renderAdHoc(template, 'case')} as v`);
    const onBigquery = await engine.query(`select ${bigquery.project.renderAdHoc(template, 'case')} as v`, []);
    expect(compareRows(expected, onDuckdb), 'DuckDB').toBeUndefined();
    expect(compareRows(expected, onBigquery), 'BigQuery').toBeUndefined();
  });
});
