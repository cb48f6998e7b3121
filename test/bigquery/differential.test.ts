/**
 * Same rows on both engines. The reference project is built on DuckDB from the committed sample
 * lake; then, in DAG order, the BigQuery rendering of every model (what `compile --target prod`
 * produces) is executed on GoogleSQL's reference engine, fed the lake files as BigQuery's CSV
 * reader would deliver them with our external-table options, the seeds as loaded, and each
 * parent's reference-engine output. Every model's rows are compared with DuckDB's as multisets
 * (floats to a relative 1e-9, timestamps as instants, NULLs exact).
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProject, type OpenedProject } from '../../src/api/open-project.js';
import { externalTableDefinition } from '../../src/adapters/bigquery/external.js';
import {
  type ReferenceEngine,
  type ReferenceResult,
  type ReferenceTable,
  type ReferenceValue,
  startReferenceEngine,
} from '../../src/adapters/bigquery/reference-engine.js';
import { zetasqlUnavailable } from '../../src/adapters/bigquery/zetasql-service.js';
import type { CompiledNode } from '../../src/compile/types.js';
import { runTsdbt } from '../helpers/tmp-project.js';
import { readExternalTable } from './bigquery-csv-reader.js';
import { rowsOf } from './duckdb-rows.js';
import { compareRows, type Column, type RowDifference } from './row-comparison.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const unavailable = zetasqlUnavailable();
if (unavailable) console.warn(`SKIPPED: the DuckDB / BigQuery differential harness (${unavailable})`);

/**
 * Models whose BigQuery rows cannot equal DuckDB's, with the reason. Anything not listed must be
 * equal; an entry that is no longer needed fails the test.
 */
const KNOWN_DIFFERENT: Record<string, string> = {};

/**
 * Models evaluated one slice of an input at a time (the slices' rows united): the reference engine
 * keeps every intermediate row in memory (128 MB) and takes requests of 4 MB at most. Valid only
 * where each output row depends on one slice of that input: the calendar is built day by day.
 */
const SLICED: Record<string, { table: string; column: string }> = {
  silver_calendrier_regional_quotidien: { table: 'silver_vacances_scolaires_zones', column: 'date' },
};

/**
 * Inputs cut to the rows a model can match: where a model only LEFT JOINs a large table on
 * equality with values of another input, the rows whose key is not among those values change
 * nothing (the request would otherwise exceed the engine's 4 MB).
 */
const REDUCED: Record<string, Array<{ table: string; column: string; among: { table: string; column: string } }>> = {
  consommation_regionale_quotidienne: [
    { table: 'silver_calendrier_regional_quotidien', column: 'date', among: { table: 'silver_eco2mix_regional_15min', column: 'date_locale' } },
    { table: 'silver_temperature_regionale_quotidienne', column: 'date', among: { table: 'silver_eco2mix_regional_15min', column: 'date_locale' } },
  ],
};

/**
 * Models that read `{{target.name}}`: the BigQuery rendering is compiled for target prod, the
 * DuckDB build ran as dev; the harness compares them on the same target's rows.
 */
const TARGET_NAME_LITERALS: Record<string, [string, string]> = {
  audit_lignes_par_fichier: ["cible = 'prod'", "cible = 'dev'"],
};

function reduce(model: string, read: ReferenceTable[]): ReferenceTable[] {
  const cuts = REDUCED[model] ?? [];
  const byName = (name: string) => read.find((t) => t.name.endsWith(`.${name}`));
  return read.map((table) => {
    const cut = cuts.find((c) => table.name.endsWith(`.${c.table}`));
    const among = cut && byName(cut.among.table);
    if (!cut || !among) return table;
    const from = among.columns.findIndex((c) => c.name === cut.among.column);
    const at = table.columns.findIndex((c) => c.name === cut.column);
    const values = new Set(among.rows.map((row) => String(row[from])));
    return { ...table, rows: table.rows.filter((row) => values.has(String(row[at]))) };
  });
}

/** A star select (`select *`, `t.*`, `* except`) may read any column of any table it names. */
const STAR = /(?:\bselect\s+(?:distinct\s+)?|,\s*)(?:[\w`]+\.)?\*(?!\s*\))/i;

/** The table with only the columns the query names (all of them under a star select): requests stay small. */
function columnsRead(table: ReferenceTable, sql: string): ReferenceTable {
  if (STAR.test(sql)) return table;
  const text = sql.toLowerCase();
  const keep = table.columns.map((c, i) => (new RegExp(`\\b${c.name.toLowerCase()}\\b`).test(text) ? i : -1)).filter((i) => i >= 0);
  return { ...table, columns: keep.map((i) => table.columns[i]!), rows: table.rows.map((row) => keep.map((i) => row[i]!)) };
}

async function evaluate(model: string, sql: string, read: ReferenceTable[]) {
  const slicing = SLICED[model];
  const sliced = slicing && read.find((t) => t.name.endsWith(`.${slicing.table}`));
  if (!slicing || !sliced) return engine.query(sql, read);
  const at = sliced.columns.findIndex((c) => c.name === slicing.column);
  const years = [...new Set(sliced.rows.map((row) => String(row[at]).slice(0, 4)))].sort();
  let columns: Column[] = [];
  const rows: ReferenceValue[][] = [];
  for (const year of years) {
    const slice = { ...sliced, rows: sliced.rows.filter((row) => String(row[at]).startsWith(year)) };
    const part = await engine.query(
      sql,
      read.map((t) => (t === sliced ? slice : t)),
    );
    columns = part.columns;
    rows.push(...part.rows);
  }
  return { columns, rows };
}

let dir: string;
let engine: ReferenceEngine;
let duck: OpenedProject;
let bigquery: OpenedProject;
/** The DuckDB build, open read-only for the whole file. */
let buildDb: DuckDBConnection;
let buildInstance: DuckDBInstance;
const report = new Map<string, RowDifference | 'equal'>();
/** Every relation's rows on the reference engine, by name (filled by the first build). */
const tables = new Map<string, ReferenceTable>();

beforeAll(async () => {
  if (unavailable) return;
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-differential-'));
  for (const path of ['models', 'lake', 'macros', 'seeds', 'snapshots', 'tests', 'project.yml', 'profiles.yml']) {
    if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
  }
  const build = await runTsdbt(dir, ['build', '--exclude', 'resource_type:test', 'resource_type:unit_test']);
  expect(build.stderr).toBe('');
  expect(build.code).toBe(0);
  [duck, bigquery, engine, buildInstance] = await Promise.all([
    openProject({ projectDir: dir, env: {} }),
    openProject({ projectDir: dir, target: 'prod', env: {} }),
    startReferenceEngine(),
    DuckDBInstance.create(join(dir, 'target/dev.duckdb'), { access_mode: 'READ_ONLY' }),
  ]);
  buildDb = await buildInstance.connect();
}, 240_000);
afterAll(() => {
  engine?.close();
  buildDb?.closeSync();
  buildInstance?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Rows of a DuckDB relation of the build, with their columns typed as GoogleSQL would type them. */
const duckdbRows = (sql: string) => rowsOf(buildDb, sql);

const tableName = (relation: string) => relation.replace(/`/g, '');

/** The latest local day of a table (its date_locale column), or undefined without one. */
function lastDay(table: ReferenceTable): string | undefined {
  const at = table.columns.findIndex((c) => c.name === 'date_locale');
  if (at < 0) return undefined;
  return table.rows
    .map((row) => String(row[at]))
    .sort()
    .at(-1);
}

/** The first of the table's last two local days (undefined without date_locale). */
function firstOfLastTwoDays(table: ReferenceTable): string | undefined {
  const at = table.columns.findIndex((c) => c.name === 'date_locale');
  if (at < 0) return undefined;
  return [...new Set(table.rows.map((row) => String(row[at])))].sort().slice(-2)[0];
}

function lastTwoDays(table: ReferenceTable): ReferenceTable {
  const from = firstOfLastTwoDays(table);
  const at = table.columns.findIndex((c) => c.name === 'date_locale');
  return from === undefined ? table : { ...table, rows: table.rows.filter((row) => String(row[at]) >= from) };
}

/** The table with `_loaded_at` set by its row's local day (rows without one: an undefined day). */
function stageLoads(table: ReferenceTable, loadedAt: (day: string | undefined) => string): ReferenceTable {
  const loaded = table.columns.findIndex((c) => c.name === '_loaded_at');
  const day = table.columns.findIndex((c) => c.name === 'date_locale');
  if (loaded < 0) return table;
  const columns = table.columns.map((c, i) => (i === loaded ? { ...c, type: 'TIMESTAMP' as const } : c));
  return { ...table, columns, rows: table.rows.map((row) => row.map((value, i) => (i === loaded ? loadedAt(day < 0 ? undefined : String(row[day])) : value))) };
}

/** Columns that read the clock (`current_timestamp as _loaded_at`): never equal across two runs. */
const CLOCK_COLUMNS = new Set(['_loaded_at']);

/**
 * Rows as both engines can agree on them: without the clock's columns, and with a lake file's
 * name relative to the lake (gs://bucket/prefix/x.csv on BigQuery, lake/x.csv on DuckDB).
 */
function comparable(rows: { columns: Column[]; rows: ReferenceValue[][] }, lake: { gcsRoot: string; localRoot: string }) {
  const keep = rows.columns.map((c, i) => (CLOCK_COLUMNS.has(c.name.toLowerCase()) ? -1 : i)).filter((i) => i >= 0);
  const prefixes = [`${lake.gcsRoot.replace(/\/+$/, '')}/`, `${lake.localRoot}/`, 'lake/'];
  const relative = (value: ReferenceValue) => {
    if (typeof value !== 'string') return value;
    const prefix = prefixes.find((p) => value.startsWith(p));
    return prefix ? `lake/${value.slice(prefix.length)}` : value;
  };
  return { columns: keep.map((i) => rows.columns[i]!), rows: rows.rows.map((row) => keep.map((i) => relative(row[i]!))) };
}

describe.skipIf(unavailable)('DuckDB and BigQuery renderings give the same rows (reference engine)', () => {
  it('every model of the reference project, in DAG order', async () => {
    const lake = { gcsRoot: bigquery.target.lakeRoot, localRoot: join(dir, 'lake') };
    for (const source of bigquery.project.sources.values()) {
      if (!source.external) continue;
      const table = readExternalTable(externalTableDefinition(source, bigquery.target.lakeRoot, bigquery.target.catalog), lake);
      tables.set(table.name, table);
    }
    for (const node of bigquery.project.nodes.values()) {
      if (node.resourceType !== 'seed') continue;
      const { columns, rows } = await duckdbRows(`select * from ${duck.project.nodes.get(node.uniqueId)!.relationName}`);
      tables.set(tableName(node.relationName!), { name: tableName(node.relationName!), columns, rows });
    }
    const models = bigquery.project.order
      .map((id) => bigquery.project.nodes.get(id))
      .filter((node): node is CompiledNode => node?.resourceType === 'model' && node.materialized !== 'ephemeral');
    for (const node of models) {
      const literal = TARGET_NAME_LITERALS[node.name];
      const sql = literal ? node.compiledCode.replace(literal[0], literal[1]) : node.compiledCode;
      const read = [...tables.values()].filter((table) => sql.includes(`\`${table.name}\``)).map((table) => columnsRead(table, sql));
      let output: ReferenceResult;
      try {
        output = await evaluate(node.name, sql, reduce(node.name, read));
      } catch (error) {
        report.set(node.name, { kind: 'error', message: (error as Error).message });
        continue;
      }
      tables.set(tableName(node.relationName!), { name: tableName(node.relationName!), columns: output.columns, rows: output.rows });
      const expected = await duckdbRows(`select * from ${duck.project.nodes.get(node.uniqueId)!.relationName}`);
      report.set(node.name, compareRows(comparable(expected, lake), comparable(output, lake)) ?? 'equal');
    }
    const differing = [...report].filter(([name, result]) => result !== 'equal' && !(name in KNOWN_DIFFERENT));
    const summary = differing.map(([name, result]) => `${name}: ${JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v), 1).slice(0, 1500)}`);
    console.log(`${report.size - differing.length} of ${report.size} models equal on both engines`);
    expect(summary, summary.join('\n\n')).toEqual([]);
    const stale = Object.keys(KNOWN_DIFFERENT).filter((name) => report.get(name) === 'equal');
    expect(stale, 'listed as different but now equal: remove them from KNOWN_DIFFERENT').toEqual([]);
    expect(models.length).toBeGreaterThan(40);
  }, 600_000);

  it('the incremental models on an incremental run: the same rows selected', async () => {
    expect(tables.size).toBeGreaterThan(40);
    // A controlled state: the model's table loaded at T0; upstream, the rows of the last local day
    // loaded after it (T1), the others before. Both engines get these same rows, cut to the last
    // two local days (the reference engine evaluates an IN subquery again for every outer row).
    const T0 = '2030-01-01T00:00:00Z';
    const T1 = '2030-01-02T00:00:00Z';
    const BEFORE = '2029-12-31T00:00:00Z';
    const incremental = [...bigquery.project.nodes.values()].filter(
      (node) =>
        node.resourceType === 'model' &&
        node.materialized === 'incremental' &&
        node.resolvedConfig.materialized === 'incremental' &&
        node.resolvedConfig.incremental.strategy === 'delete+insert',
    );
    expect(incremental.map((n) => n.name).sort()).toEqual(['silver_eco2mix_national_15min', 'silver_eco2mix_regional_15min']);
    const memory = await DuckDBInstance.create(':memory:');
    const connection = await memory.connect();
    try {
      await connection.run(`ATTACH '${join(dir, 'target/dev.duckdb')}' AS built (READ_ONLY)`);
      for (const node of incremental) {
        const sql = bigquery.project.renderIncremental(node.uniqueId).text;
        const read = [...tables.values()].filter((table) => sql.includes(`\`${table.name}\``));
        const own = tableName(node.relationName!);
        const staged = read.map((table) =>
          stageLoads(lastTwoDays(table), table.name === own ? () => T0 : (day) => (day !== undefined && day === lastDay(table) ? T1 : BEFORE)),
        );
        const onBigquery = await engine.query(sql, staged);
        // The same state on DuckDB: each relation copied with the same _loaded_at.
        for (const table of read) {
          const id = [...bigquery.project.nodes.values()].find((n) => n.relationName && tableName(n.relationName) === table.name)?.uniqueId;
          const parent = id === undefined ? undefined : duck.project.nodes.get(id);
          if (!parent) throw new Error(`no DuckDB relation for ${table.name}`);
          const day = lastDay(table);
          const loaded =
            table.name === own
              ? `TIMESTAMPTZ '${T0}'`
              : day === undefined
                ? `TIMESTAMPTZ '${BEFORE}'`
                : `CASE WHEN date_locale = DATE '${day}' THEN TIMESTAMPTZ '${T1}' ELSE TIMESTAMPTZ '${BEFORE}' END`;
          const relation = `${parent.schema}.${parent.identifier}`;
          const from = firstOfLastTwoDays(table);
          await connection.run(`CREATE SCHEMA IF NOT EXISTS ${parent.schema}`);
          await connection.run(
            `CREATE OR REPLACE TABLE ${relation} AS SELECT * REPLACE (${loaded} AS _loaded_at) FROM built.${relation}${from ? ` WHERE date_locale >= DATE '${from}'` : ''}`,
          );
        }
        const onDuckdb = await rowsOf(connection, duck.project.renderIncremental(node.uniqueId).text);
        expect(onDuckdb.rows.length, `${node.name}: the incremental run selects some rows`).toBeGreaterThan(0);
        const difference = compareRows(
          comparable(onDuckdb, { gcsRoot: bigquery.target.lakeRoot, localRoot: join(dir, 'lake') }),
          comparable(onBigquery, { gcsRoot: bigquery.target.lakeRoot, localRoot: join(dir, 'lake') }),
        );
        expect(difference, `${node.name}: ${JSON.stringify(difference, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`).toBeUndefined();
      }
    } finally {
      connection.closeSync();
      memory.closeSync();
    }
  }, 120_000);
});
