#!/usr/bin/env node
// The energy project fed a day at a time: `build --target real` as a full refresh, again with no
// new data, and with one new day, on a copy of the real lake (../shared/data).
//
//   node bench/incremental.mjs [--runs 5] [--data ../shared/data]
//
// "One new day": the copy starts with the last local day cut out of every real-time file (the
// RTE national and regional downloads and the two ODRE real-time exports), as if downloaded the
// day before; the real files are then copied back over them, as the next download would be.
// Repetitions alternate the three cases; each incremental case starts from a copy of the DuckDB
// file its previous build left. After the runs, every silver, gold and audit table of the
// incremental build is compared with a full refresh over the same lake (row counts and checksums
// of the rows, floats rounded to 6 decimals, _loaded_at left out): they must be identical.
// Results: bench/work/incremental.json and the "Incremental builds" section of RESULTS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, openDatabase } from './lib/duck.mjs';
import { measure, median } from './lib/measure.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH, '..');
const CLI = path.join(REPO, 'bin', 'tsdbt.js');
const WORK = path.join(BENCH, 'work', 'incremental');
const RESULTS_MD = path.join(BENCH, 'RESULTS.md');

const args = Object.fromEntries(process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])));
const RUNS = Number(args.runs ?? 5);
const DATA = path.resolve(REPO, args.data ?? '../shared/data');
const COMMAND = `node bench/incremental.mjs --runs ${RUNS}${args.data ? ` --data ${args.data}` : ''}`;

/** The real-time folders: a new download of them is what a new day looks like. */
const REAL_TIME = ['eco2mix_national_tr_xls', 'eco2mix_regional_tr_xls', 'eco2mix_regional_tr', 'eco2mix_national_tr_odre'];

if (!fs.existsSync(DATA)) {
  console.log(`skipped: no real data at ${DATA} (see ../shared/data/PROVENANCE.md)`);
  process.exit(0);
}

/** The project files the build reads, copied so that its target/ is the benchmark's own. */
function copyProject(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const entry of ['project.yml', 'profiles.yml', 'models', 'seeds', 'macros', 'tests', 'snapshots', 'selectors.yml', 'packages.yml']) {
    const from = path.join(REPO, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
}

/** A file without the lines of its last date (the first YYYY-MM-DD of a line is its date); undefined when there is no date. */
function withoutLastDay(file) {
  const bytes = fs.readFileSync(file);
  // latin1 maps every byte to one character and back: the cut file keeps the exact bytes.
  const lines = bytes.toString('latin1').split(/(?<=\n)/);
  const dateOf = (line) => /\b(\d{4}-\d{2}-\d{2})\b/.exec(line)?.[1];
  const last = lines.map(dateOf).filter(Boolean).sort().at(-1);
  if (!last) return undefined;
  const kept = lines.filter((line) => dateOf(line) !== last);
  return { text: Buffer.from(kept.join(''), 'latin1'), last, removed: lines.length - kept.length };
}

/** The lake as the day before: a copy of the real data with the last day cut out of the real-time files. */
function prepareLake(lake) {
  fs.rmSync(lake, { recursive: true, force: true });
  fs.cpSync(DATA, lake, { recursive: true });
  const cut = [];
  for (const folder of REAL_TIME) {
    for (const name of fs.readdirSync(path.join(lake, folder))) {
      const file = path.join(lake, folder, name);
      const day = withoutLastDay(file);
      if (!day) continue;
      fs.writeFileSync(file, day.text);
      cut.push({ file: `${folder}/${name}`, day: day.last, lines: day.removed });
    }
  }
  return cut;
}

/** The next download: the real files over the cut ones. */
function addNewDay(lake) {
  for (const folder of REAL_TIME) fs.cpSync(path.join(DATA, folder), path.join(lake, folder), { recursive: true });
}

/** Runs tsdbt; `cutLake`: the day-before lake fails the audit of expected lines per file (by design), nothing else may fail. */
async function tsdbt(project, lake, argv, { cutLake = false } = {}) {
  const log = path.join(WORK, 'last-run.log');
  const m = await measure(process.execPath, [CLI, ...argv, '--target', 'real', '--project-dir', project], {
    cwd: project,
    env: { ...process.env, TSDBT_REAL_LAKE: lake, NO_COLOR: '1' },
    stdoutFile: log,
  });
  const results = JSON.parse(fs.readFileSync(path.join(project, 'target', 'run_results.json'), 'utf8'));
  const counts = {};
  for (const r of results.results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const failed = results.results.filter((r) => r.status === 'error' || r.status === 'fail').map((r) => r.unique_id);
  const expected = cutLake && failed.every((id) => id.startsWith('test.eco2mix.audit_bronze_egal_lignes_attendues'));
  if (m.code !== 0 && !expected) throw new Error(`tsdbt ${argv.join(' ')} exited ${m.code}:\n${fs.readFileSync(log, 'utf8').slice(-3000)}\n${m.stderrTail}`);
  return { wallMs: m.wallMs, cpuMs: m.userMs + m.sysMs, peakMB: Math.round(m.peakTreeKB / 1024), elapsed: results.elapsed_time, counts };
}

/** Row count and checksum of every silver, gold and audit table (floats rounded, load times left out). */
async function fingerprints(file) {
  const db = await openDatabase(file);
  try {
    const rows = async (sql) => (await db.conn.runAndReadAll(sql)).getRowObjectsJson();
    const tables = await rows(
      "select table_schema || '.' || table_name as t from information_schema.tables where table_schema in ('silver', 'gold', 'audit') and table_type = 'BASE TABLE' order by 1",
    );
    const out = {};
    for (const { t } of tables) {
      const [schema, table] = t.split('.');
      const columns = await rows(
        `select column_name as c, data_type as type from information_schema.columns where table_schema = '${schema}' and table_name = '${table}' and column_name <> '_loaded_at' order by ordinal_position`,
      );
      const expr = columns
        .map(({ c, type }) => (/DOUBLE|FLOAT|DECIMAL|REAL/.test(type) ? `round("${c}"::double, 6)::varchar` : `"${c}"::varchar`))
        .map((e) => `coalesce(${e}, '∅')`)
        .join(" || '|' || ");
      const [fp] = await rows(`select count(*)::bigint::varchar as n, coalesce(sum(hash(${expr})), 0)::varchar as h from ${t}`);
      out[t] = fp;
    }
    return out;
  } finally {
    closeDatabase(db);
  }
}

const cutPath = (project) => path.join(project, 'target', 'real.duckdb');

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const project = path.join(WORK, 'project');
  const lake = path.join(WORK, 'lake');
  copyProject(project);
  const cut = prepareLake(lake);
  console.log(`lake copy: last day cut from ${cut.length} real-time files (${cut.map((c) => `${c.file}: ${c.day}`).join('; ')})`);

  // Start states: the build of the day before, and the build of the full lake.
  await tsdbt(project, lake, ['build', '--full-refresh'], { cutLake: true });
  fs.copyFileSync(cutPath(project), path.join(WORK, 'day-before.duckdb'));
  addNewDay(lake);
  await tsdbt(project, lake, ['build', '--full-refresh']);
  fs.copyFileSync(cutPath(project), path.join(WORK, 'full.duckdb'));

  const cases = {
    'full refresh': { runs: [], prepare: () => fs.copyFileSync(path.join(WORK, 'full.duckdb'), cutPath(project)), argv: ['build', '--full-refresh'] },
    'no new data': { runs: [], prepare: () => fs.copyFileSync(path.join(WORK, 'full.duckdb'), cutPath(project)), argv: ['build'] },
    'one new day': { runs: [], prepare: () => fs.copyFileSync(path.join(WORK, 'day-before.duckdb'), cutPath(project)), argv: ['build'] },
  };
  const loads = [];
  for (let run = 0; run < RUNS; run++) {
    for (const [name, c] of Object.entries(cases)) {
      c.prepare();
      loads.push(os.loadavg()[0]);
      const measured = await tsdbt(project, lake, c.argv);
      c.runs.push(measured);
      console.log(
        `${name} #${run + 1}: ${(measured.wallMs / 1000).toFixed(2)} s wall, elapsed_time ${measured.elapsed.toFixed(2)} s, ${JSON.stringify(measured.counts)}`,
      );
    }
  }

  // The incremental build of the new day against a full refresh of the same lake.
  cases['one new day'].prepare();
  await tsdbt(project, lake, ['build']);
  const incremental = await fingerprints(cutPath(project));
  const full = await fingerprints(path.join(WORK, 'full.duckdb'));
  const differ = Object.keys(full).filter((t) => JSON.stringify(full[t]) !== JSON.stringify(incremental[t]));
  const gold = Object.keys(full).filter((t) => t.startsWith('gold.'));

  const summary = Object.fromEntries(
    Object.entries(cases).map(([name, c]) => [
      name,
      {
        wallS: median(c.runs.map((r) => r.wallMs)) / 1000,
        wallMinS: Math.min(...c.runs.map((r) => r.wallMs)) / 1000,
        wallMaxS: Math.max(...c.runs.map((r) => r.wallMs)) / 1000,
        cpuS: median(c.runs.map((r) => r.cpuMs)) / 1000,
        elapsedS: median(c.runs.map((r) => r.elapsed)),
        peakMB: Math.max(...c.runs.map((r) => r.peakMB)),
        counts: c.runs.at(-1).counts,
      },
    ]),
  );
  const result = {
    date: new Date().toISOString(),
    command: COMMAND,
    runs: RUNS,
    loads,
    cut,
    summary,
    compared: Object.keys(full).length,
    gold: gold.length,
    differ,
  };
  fs.writeFileSync(path.join(BENCH, 'work', 'incremental.json'), JSON.stringify(result, null, 1));
  writeSection(result);
  if (differ.length > 0) {
    console.error(`incremental and full-refresh builds differ: ${differ.join(', ')}`);
    process.exit(1);
  }
}

function writeSection(r) {
  const full = r.summary['full refresh'];
  const pct = (s, of) => `${((100 * s) / of).toFixed(1)} %`;
  const row = (name, goal) => {
    const s = r.summary[name];
    const counts = Object.entries(s.counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    return `| ${name} | ${s.wallS.toFixed(2)} s (${s.wallMinS.toFixed(2)}–${s.wallMaxS.toFixed(2)}) | ${s.cpuS.toFixed(2)} s | ${s.peakMB} MB | ${s.elapsedS.toFixed(2)} s | ${name === 'full refresh' ? '100 %' : pct(s.wallS, full.wallS)} | ${name === 'full refresh' ? '100 %' : pct(s.elapsedS, full.elapsedS)} | ${goal} | ${counts} |`;
  };
  const section = [
    '<!-- incremental:start -->',
    '## Incremental builds (the energy project fed a day at a time)',
    '',
    `Generated by \`${r.command}\` on ${r.date} (${os.cpus().length} cores, load average before each run ${Math.min(...r.loads).toFixed(2)}–${Math.max(...r.loads).toFixed(2)}). \`tsdbt build --target real\` on a copy of the real lake; ${r.runs} alternating repetitions per case, medians (min–max). "One new day": the copy starts with the last day cut out of the ${r.cut.length} real-time files (${[...new Set(r.cut.map((c) => c.day))].join(', ')}), built; then the real files are copied back over them. Wall time is the whole process (load, compile and manifest included); elapsed_time is run_results.json's (the run itself).`,
    '',
    '| case | wall | CPU | peak RSS | elapsed_time | wall vs full | elapsed vs full | goal | nodes |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|',
    row('full refresh', ''),
    row('no new data', '≤ 3 %'),
    row('one new day', '≤ 5 %'),
    '',
    `Incremental vs full refresh on the same lake: ${r.compared} silver, gold and audit tables compared (${r.gold} gold), row counts and row checksums: **${r.differ.length === 0 ? 'identical' : `${r.differ.length} differ: ${r.differ.join(', ')}`}**.`,
    '<!-- incremental:end -->',
  ].join('\n');
  const current = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '';
  // Between markers, so bench/run.mjs keeps the section when it regenerates the rest.
  const pattern = /<!-- incremental:start -->[\s\S]*?<!-- incremental:end -->/;
  fs.writeFileSync(RESULTS_MD, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
}

await main();
