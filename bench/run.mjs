#!/usr/bin/env node
// tsdbt benchmark runner.
//
//   node bench/run.mjs [--sizes 1000,10000] [--runs 5] [--dataform-runs 3,1] [--run-models 200]
//                      [--run-runs 5] [--skip-tsdbt] [--skip-dataform] [--skip-nodup]
//                      [--skip-run-overhead] [--fresh] [--seed 42] [--report-only]
//
// Generates same-shaped tsdbt and Dataform projects into bench/work/, times
//   tsdbt parse / tsdbt compile          (fresh target/ for every run; compile also with the
//                                          previous run's target/ left in place)
//   dataform compile DIR --json          (stock @dataform/cli, and a copy without its duplicate
//                                          compile handler)
// and the run overhead of `tsdbt run` against executing tsdbt's compiled SQL directly on DuckDB.
// Wall time is the median of the runs; memory is the peak summed RSS of the whole process tree,
// sampled from /proc every 25 ms. Results accumulate in bench/work/results.json (re-running
// with --skip-* keeps earlier figures of the skipped tools) and are rendered to bench/RESULTS.md
// (--report-only re-renders it from results.json without measuring).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, median } from './lib/measure.mjs';
import { openDatabase, closeDatabase, REPO_ROOT } from './lib/duck.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const WORK = path.join(BENCH, 'work');
const TSDBT_BIN = path.join(REPO_ROOT, 'bin', 'tsdbt.js');
const DATAFORM_CLI_DIR = path.join(BENCH, 'node_modules', '@dataform', 'cli');
const NODUP_CLI_DIR = path.join(WORK, 'dataform-cli-nodup');
const RESULTS_JSON = path.join(WORK, 'results.json');
const RESULTS_MD = path.join(BENCH, 'RESULTS.md');
const NODE = process.execPath;
// Old target/ folders are moved here and deleted only at the end: on the build machines, creating
// files right after deleting tens of thousands of others costs many times the usual kernel time.
const TRASH = path.join(WORK, '.trash');

// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = {
    sizes: [1000, 10000],
    runs: 5,
    dataformRuns: [3, 1],
    runModels: 200,
    runRuns: 5,
    skipTsdbt: false,
    skipDataform: false,
    skipNodup: false,
    skipRun: false,
    fresh: false,
    seed: 42,
  };
  const list = (v) =>
    v.split(',').map((x) => {
      const n = Number(x.trim());
      if (!Number.isInteger(n) || n <= 0) die(`bad number: ${x}`);
      return n;
    });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? die(`missing value for ${a}`);
    switch (a) {
      case '--sizes':
        o.sizes = list(v());
        break;
      case '--runs':
        o.runs = list(v())[0];
        break;
      case '--dataform-runs':
        o.dataformRuns = list(v());
        break;
      case '--run-models':
        o.runModels = list(v())[0];
        break;
      case '--run-runs':
        o.runRuns = list(v())[0];
        break;
      case '--seed':
        o.seed = list(v())[0];
        break;
      case '--skip-tsdbt':
        o.skipTsdbt = true;
        break;
      case '--skip-dataform':
        o.skipDataform = true;
        break;
      case '--skip-nodup':
        o.skipNodup = true;
        break;
      case '--skip-run-overhead':
        o.skipRun = true;
        break;
      case '--fresh':
        o.fresh = true;
        break;
      case '--report-only':
        o.reportOnly = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          `${fs
            .readFileSync(fileURLToPath(import.meta.url), 'utf8')
            .split('\n')
            .slice(1)
            .filter((_l, i, a) => a.slice(0, i + 1).every((x) => x.startsWith('//')))
            .map((l) => l.replace(/^\/\/ ?/, ''))
            .join('\n')}\n`,
        );
        process.exit(0);
        break;
      default:
        die(`unknown argument: ${a}`);
    }
  }
  return o;
}

function die(msg) {
  process.stderr.write(`run: ${msg}\n`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const rel = (p) => path.relative(REPO_ROOT, p) || '.';
const secs = (ms) => (ms / 1000).toFixed(2);
const mb = (kb) => Math.round(kb / 1024);

// ---------------------------------------------------------------------------------------------
// Project generation (skipped when an identical project already exists)

function generate(flavor, models, seed, base = WORK) {
  const dir = path.join(base, `${flavor}-${models}`);
  const genHash = crypto
    .createHash('sha1')
    .update(fs.readFileSync(path.join(BENCH, 'generate.mjs')))
    .digest('hex')
    .slice(0, 12);
  const stamp = `${genHash} ${flavor} ${models} ${seed}`;
  const stampFile = path.join(base, `.${flavor}-${models}.stamp`);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(path.join(dir, 'bench-shape.json'))) {
    return dir;
  }
  log(`generating ${rel(dir)}`);
  execFileSync(NODE, [path.join(BENCH, 'generate.mjs'), '--models', String(models), '--out', dir, '--flavor', flavor, '--seed', String(seed), '--quiet'], {
    stdio: 'inherit',
  });
  fs.writeFileSync(stampFile, stamp);
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Results store

function loadResults(fresh) {
  if (!fresh && fs.existsSync(RESULTS_JSON)) return JSON.parse(fs.readFileSync(RESULTS_JSON, 'utf8'));
  return { entries: {}, runOverhead: null, invocations: [] };
}

function saveResults(res) {
  fs.writeFileSync(RESULTS_JSON, `${JSON.stringify(res, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------
// Measurements

async function timeCommand(spec) {
  return (await timeAlternating([spec], spec.runs))[0];
}

/**
 * Runs every spec once per round, in turn, for `runs` rounds: commands compared side by side see
 * the same machine load. A spec that fails stops being run; its entry keeps the error.
 */
async function timeAlternating(specs, runs) {
  const state = specs.map((spec) => ({ spec, samples: [], error: null, checkResult: null, loadBefore: os.loadavg()[0] }));
  log(`${specs.map((s) => s.label).join(', ')} @ ${specs[0].size} models: ${runs} alternating round(s)`);
  for (let r = 0; r < runs; r++) {
    for (const entry of state) {
      const { spec } = entry;
      if (entry.error) continue;
      if (spec.before) spec.before(r);
      const stdoutFile = path.join(WORK, 'logs', `${spec.key.replace('|', '-')}.stdout`);
      const stderrFile = path.join(WORK, 'logs', `${spec.key.replace('|', '-')}.stderr`);
      const m = await measure(spec.cmd, spec.args, { cwd: spec.cwd, stdoutFile, stderrFile, timeoutMs: spec.timeoutMs });
      if (!m.ok) {
        entry.error = `exit ${m.code}${m.signal ? ` (${m.signal})` : ''}${m.timedOut ? ' (timed out)' : ''}: ${m.stderrTail.trim()}`;
        log(`  ${spec.label} FAILED: ${entry.error}`);
        continue;
      }
      if (r === 0 && spec.check) {
        try {
          entry.checkResult = await spec.check(stdoutFile);
        } catch (e) {
          entry.error = `output check failed: ${e.message}`;
          log(`  ${spec.label}: ${entry.error}`);
          continue;
        }
      }
      entry.samples.push({ wallMs: m.wallMs, peakTreeKB: m.peakTreeKB, peakSingleKB: m.peakSingleKB, maxProcs: m.maxProcs, userMs: m.userMs, sysMs: m.sysMs });
      log(`  round ${r + 1}, ${spec.label}: ${secs(m.wallMs)} s (user ${secs(m.userMs)} s, sys ${secs(m.sysMs)} s), peak tree RSS ${mb(m.peakTreeKB)} MB`);
    }
  }
  return state.map(({ spec, samples, error, checkResult, loadBefore }) => ({
    key: spec.key,
    label: spec.label,
    size: spec.size,
    display: spec.display,
    runs: samples,
    error,
    check: checkResult,
    date: new Date().toISOString(),
    loadBefore: Number(loadBefore.toFixed(2)),
    medianWallMs: samples.length ? median(samples.map((x) => x.wallMs)) : null,
    peakTreeKB: samples.length ? Math.max(...samples.map((x) => x.peakTreeKB)) : null,
    medianPeakTreeKB: samples.length ? median(samples.map((x) => x.peakTreeKB)) : null,
  }));
}

function tsdbtAvailable() {
  if (!fs.existsSync(TSDBT_BIN)) return `${rel(TSDBT_BIN)} does not exist`;
  try {
    execFileSync(NODE, [TSDBT_BIN, '--help'], { stdio: 'pipe', timeout: 30000 });
    return null;
  } catch (e) {
    return `\`node ${rel(TSDBT_BIN)} --help\` failed: ${String(e.stderr || e.message)
      .trim()
      .slice(-500)}`;
  }
}

let trashCount = 0;
function moveToTrash(p) {
  if (!fs.existsSync(p)) return;
  fs.mkdirSync(TRASH, { recursive: true });
  fs.renameSync(p, path.join(TRASH, `${process.pid}-${trashCount++}`));
}

function emptyTrash() {
  if (!fs.existsSync(TRASH)) return;
  log('deleting old target/ folders');
  fs.rmSync(TRASH, { recursive: true, force: true });
}

/**
 * The tsdbt side of the parse/compile comparison, run in turn each round: cold (no target/),
 * warm with nothing changed (the parse cache), warm after editing one model, `ls` with a compound
 * selector over a warm target/, and `--help`.
 */
function tsdbtScenarios(dir, size) {
  const silver = path.join(dir, 'models', 'silver');
  const edited = path.join(
    silver,
    fs
      .readdirSync(silver)
      .filter((f) => f.endsWith('.sql'))
      .sort()[0],
  );
  const original = fs.readFileSync(edited, 'utf8');
  const name = path.basename(edited, '.sql');
  const selector = `tag:core,path:models/gold ${name}+`;
  const base = { size, cmd: NODE, cwd: dir, timeoutMs: 600_000 };
  const tsdbt = (args) => ({ args: [TSDBT_BIN, ...args, '--project-dir', dir], display: `cd bench/work/tsdbt-N && node bin/tsdbt.js ${args.join(' ')}` });
  const fresh = () => moveToTrash(path.join(dir, 'target'));
  return [
    { ...base, key: `tsdbt-parse|${size}`, label: 'tsdbt parse, cold', ...tsdbt(['parse']), before: fresh, check: () => checkManifest(dir, size) },
    { ...base, key: `tsdbt-compile|${size}`, label: 'tsdbt compile, cold', ...tsdbt(['compile']), before: fresh, check: () => checkManifest(dir, size) },
    {
      ...base,
      key: `tsdbt-compile-warm|${size}`,
      label: 'tsdbt compile, warm, nothing changed',
      ...tsdbt(['compile']),
      before: () => fs.writeFileSync(edited, original),
      check: (out) => checkReused(out, dir, size),
    },
    {
      ...base,
      key: `tsdbt-compile-edit|${size}`,
      label: 'tsdbt compile, warm, one model edited',
      ...tsdbt(['compile']),
      // A new comment each round: the file differs from the one the cache recorded.
      before: (round) => fs.writeFileSync(edited, `${original}-- edited for round ${round + 1}\n`),
      check: () => checkManifest(dir, size),
    },
    {
      ...base,
      key: `tsdbt-ls|${size}`,
      label: 'tsdbt ls, compound selector, warm',
      args: [TSDBT_BIN, 'ls', '--select', selector, '--output', 'name', '--project-dir', dir],
      display: `cd bench/work/tsdbt-N && node bin/tsdbt.js ls --select '${selector.replace(name, '<first silver model>')}' --output name`,
      before: () => fs.writeFileSync(edited, original),
      check: (out) => checkListed(out),
    },
    { ...base, key: `tsdbt-help|${size}`, label: 'tsdbt --help', args: [TSDBT_BIN, '--help'], display: 'node bin/tsdbt.js --help' },
  ];
}

function checkReused(stdoutFile, dir, size) {
  const out = fs.readFileSync(stdoutFile, 'utf8');
  if (!out.includes('no file changed since the last parse')) throw new Error(`the warm compile parsed again: ${out.trim().slice(-200)}`);
  return checkManifest(dir, size);
}

function checkListed(stdoutFile) {
  const names = fs.readFileSync(stdoutFile, 'utf8').trim().split('\n').filter(Boolean);
  if (names.length === 0) throw new Error('ls listed nothing');
  return { listed: names.length };
}

function checkManifest(dir, size) {
  const file = path.join(dir, 'target', 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} was not written`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = Object.values(manifest.nodes ?? {});
  const models = nodes.filter((n) => n.resource_type === 'model').length;
  const tests = nodes.filter((n) => n.resource_type === 'test').length;
  const edges = nodes.filter((n) => n.resource_type === 'model').reduce((k, n) => k + (n.depends_on?.nodes?.length ?? 0), 0);
  if (models !== size) throw new Error(`manifest has ${models} models, expected ${size}`);
  return { models, tests, dependencyEdges: edges };
}

function checkDataformJson(stdoutFile, size) {
  const graph = JSON.parse(fs.readFileSync(stdoutFile, 'utf8'));
  const tables = graph.tables?.length ?? 0;
  const errors = graph.graphErrors?.compilationErrors?.length ?? 0;
  if (errors) {
    throw new Error(`${errors} compilation errors, first: ${JSON.stringify(graph.graphErrors.compilationErrors[0]).slice(0, 300)}`);
  }
  if (tables !== size) throw new Error(`compiled graph has ${tables} tables, expected ${size}`);
  return { tables, assertions: graph.assertions?.length ?? 0, declarations: graph.declarations?.length ?? 0, dataformCoreVersion: graph.dataformCoreVersion };
}

/** A copy of @dataform/cli whose worker registers its compile handler once instead of twice. */
function prepareNodupCli() {
  const src = path.join(DATAFORM_CLI_DIR, 'worker_bundle.js');
  const text = fs.readFileSync(src, 'utf8');
  const tail = '\nregisterRpcResponseHandler();\nregisterJitCompileHandler();\nlistenForCompileRequest();\n';
  if (!text.includes(tail)) throw new Error('unexpected worker_bundle.js layout; cannot remove duplicate handler');
  fs.rmSync(NODUP_CLI_DIR, { recursive: true, force: true });
  fs.cpSync(DATAFORM_CLI_DIR, NODUP_CLI_DIR, { recursive: true });
  fs.writeFileSync(path.join(NODUP_CLI_DIR, 'worker_bundle.js'), text.replace(tail, '\nregisterRpcResponseHandler();\nregisterJitCompileHandler();\n'));
  return path.join(NODUP_CLI_DIR, 'bundle.js');
}

// ---------------------------------------------------------------------------------------------
// Run overhead

async function seedDatabase(dbFile, seedSqlFile) {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  for (const f of [dbFile, `${dbFile}.wal`]) moveToTrash(f);
  const db = await openDatabase(dbFile);
  await db.conn.run(fs.readFileSync(seedSqlFile, 'utf8'));
  closeDatabase(db);
}

function listFiles(root) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}

/** Builds the direct-execution plan from tsdbt's manifest and compiled SQL. */
function buildPlan(dir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8'));
  const models = new Map(Object.entries(manifest.nodes ?? {}).filter(([, n]) => n.resource_type === 'model'));
  const compiledByName = new Map();
  for (const f of listFiles(path.join(dir, 'target', 'compiled'))) {
    if (f.endsWith('.sql')) compiledByName.set(path.basename(f, '.sql'), f);
  }
  const compiledSql = (n) => {
    if (typeof n.compiled_code === 'string' && n.compiled_code.trim()) return n.compiled_code;
    const candidates = [];
    if (n.compiled_path) {
      candidates.push(
        path.resolve(dir, n.compiled_path),
        path.resolve(dir, 'target', n.compiled_path),
        path.resolve(dir, 'target', 'compiled', n.compiled_path),
      );
    }
    if (compiledByName.has(n.name)) candidates.push(compiledByName.get(n.name));
    const hit = candidates.find((c) => fs.existsSync(c));
    if (!hit) throw new Error(`no compiled SQL found for ${n.unique_id} (compiled_path=${n.compiled_path})`);
    return fs.readFileSync(hit, 'utf8');
  };
  const order = [];
  const state = new Map();
  const visit = (id) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) throw new Error(`cycle at ${id}`);
    state.set(id, 1);
    for (const dep of models.get(id).depends_on?.nodes ?? []) if (models.has(dep)) visit(dep);
    state.set(id, 2);
    order.push(id);
  };
  for (const id of [...models.keys()].sort()) visit(id);
  const schemas = new Set();
  const statements = order.map((id) => {
    const n = models.get(id);
    const schema = n.schema ?? n.config?.schema;
    if (schema) schemas.add(schema);
    const relation = n.relation_name ?? `"${schema}"."${n.alias ?? n.name}"`;
    const kind = (n.config?.materialized ?? 'view') === 'view' ? 'view' : 'table';
    const body = compiledSql(n).trim().replace(/;\s*$/, '');
    return { name: n.name, relation, sql: `create or replace ${kind} ${relation} as\n${body}\n` };
  });
  return { schemas: [...schemas].map((s) => `"${s}"`), statements };
}

async function relationCounts(dbFile, relations) {
  const db = await openDatabase(dbFile);
  const out = {};
  for (const r of relations) {
    try {
      const res = await db.conn.runAndReadAll(`select count(*) as n from ${r}`);
      out[r] = Number(res.getRowObjectsJson()[0].n);
    } catch (e) {
      out[r] = `error: ${e.message.split('\n')[0]}`;
    }
  }
  closeDatabase(db);
  return out;
}

/** `tsdbt run` is measured with one node at a time and with two (the DuckDB default here: one per core). */
const RUN_THREADS = [1, 2];

async function measureRunOverhead(opts) {
  const size = opts.runModels;
  const dir = generate('tsdbt', size, opts.seed);
  const dbFile = path.join(dir, 'target', 'bench.duckdb');
  const directDir = path.join(WORK, `direct-${size}`);
  const directDb = path.join(directDir, 'bench.duckdb');
  const planFile = path.join(WORK, `direct-plan-${size}.json`);
  const res = { size, date: new Date().toISOString(), threads: {}, direct: [], error: null, loadBefore: Number(os.loadavg()[0].toFixed(2)) };
  log(`run overhead @ ${size} models: ${opts.runRuns} alternating round(s) of tsdbt run --threads 1, --threads 2 and the direct execution`);
  let plan = null;
  for (let r = 0; r < opts.runRuns; r++) {
    for (const threads of RUN_THREADS) {
      moveToTrash(path.join(dir, 'target'));
      await seedDatabase(dbFile, path.join(dir, 'seed.sql'));
      const m = await measure(NODE, [TSDBT_BIN, 'run', '--threads', String(threads), '--project-dir', dir], {
        cwd: dir,
        stdoutFile: path.join(WORK, 'logs', 'tsdbt-run.stdout'),
        stderrFile: path.join(WORK, 'logs', 'tsdbt-run.stderr'),
        timeoutMs: 1_800_000,
      });
      if (!m.ok) {
        res.error = `\`tsdbt run --threads ${threads}\` exit ${m.code}${m.timedOut ? ' (timed out)' : ''}: ${m.stderrTail.trim()}`;
        log(`  FAILED: ${res.error}`);
        return res;
      }
      res.threads[threads] ??= [];
      res.threads[threads].push({ wallMs: m.wallMs, peakTreeKB: m.peakTreeKB, userMs: m.userMs, sysMs: m.sysMs });
      log(`  round ${r + 1}: tsdbt run --threads ${threads} ${secs(m.wallMs)} s`);
    }
    if (!plan) {
      try {
        plan = buildPlan(dir);
      } catch (e) {
        res.error = `could not build the direct plan from tsdbt's target/: ${e.message}`;
        log(`  FAILED: ${res.error}`);
        return res;
      }
      fs.writeFileSync(planFile, JSON.stringify(plan));
    }
    await seedDatabase(directDb, path.join(dir, 'seed.sql'));
    const d = await measure(NODE, [path.join(BENCH, 'direct-exec.mjs'), planFile, directDb], {
      cwd: BENCH,
      stdoutFile: path.join(WORK, 'logs', 'direct.stdout'),
      stderrFile: path.join(WORK, 'logs', 'direct.stderr'),
      timeoutMs: 1_800_000,
    });
    if (!d.ok) {
      res.error = `direct execution failed: ${d.stderrTail.trim()}`;
      log(`  FAILED: ${res.error}`);
      return res;
    }
    const inner = JSON.parse(fs.readFileSync(path.join(WORK, 'logs', 'direct.stdout'), 'utf8'));
    res.direct.push({ wallMs: d.wallMs, peakTreeKB: d.peakTreeKB, sqlMs: inner.sqlMs, openMs: inner.openMs, userMs: d.userMs, sysMs: d.sysMs });
    log(`  round ${r + 1}: direct ${secs(d.wallMs)} s (SQL only ${secs(inner.sqlMs)} s)`);
  }
  // Both databases must hold the same relations with the same row counts.
  const relations = plan.statements.map((s) => s.relation);
  const a = await relationCounts(dbFile, relations);
  const b = await relationCounts(directDb, relations);
  const mismatches = relations.filter((r) => a[r] !== b[r]);
  res.check = {
    relations: relations.length,
    mismatches: mismatches.length,
    firstMismatch: mismatches[0] ? `${mismatches[0]}: tsdbt ${a[mismatches[0]]} vs direct ${b[mismatches[0]]}` : null,
    totalRows: Object.values(b).reduce((s, n) => s + (typeof n === 'number' ? n : 0), 0),
  };
  return res;
}

// ---------------------------------------------------------------------------------------------
// Report

function machineInfo() {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

function fmtEntry(e) {
  if (!e) return { wall: 'not run', rss: '', runs: '' };
  if (e.error && !e.runs.length) return { wall: 'FAILED', rss: '', runs: '0' };
  const cpu = median(e.runs.map((r) => (r.userMs ?? NaN) + (r.sysMs ?? NaN)));
  return { wall: secs(e.medianWallMs), cpu: Number.isNaN(cpu) ? '' : secs(cpu), rss: String(mb(e.peakTreeKB)), runs: String(e.runs.length) };
}

// Keeps the sections other scripts maintain (bench/tests-batching.mjs, bench/docs.mjs) when the
// rest of the file is regenerated.
function writeResultsMd(res) {
  const current = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '';
  const kept = [...current.matchAll(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)].map((m) => m[0]).join('\n\n');
  fs.writeFileSync(RESULTS_MD, kept ? `${renderMarkdown(res).trimEnd()}\n\n${kept}\n` : renderMarkdown(res));
}

function renderMarkdown(res) {
  const m = res.machine;
  const L = [];
  L.push('# tsdbt benchmark results', '');
  L.push('Generated by `bench/run.mjs` (see `bench/README.md`). Do not edit by hand.', '');
  L.push(`- Machine: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB RAM, ${m.os}`);
  L.push(`- Node: ${m.node}; @dataform/cli ${res.dataformVersions?.cli ?? '?'} with @dataform/core ` + `${res.dataformVersions?.core ?? '?'}`);
  L.push(`- Date: ${m.date}`);
  L.push('- Commands (latest first):');
  for (const c of res.invocations.slice().reverse().slice(0, 5)) L.push(`  - \`${c.command}\` (${c.date})`);
  L.push('');
  L.push(
    'Project: generated by `bench/generate.mjs` (seed ' +
      (res.seed ?? 42) +
      '): 10 % staging ' +
      'models (each reads one raw table), 45 % silver (2 refs each), 45 % gold (3 refs each); ' +
      '15–30 line SQL with joins, GROUP BY, CASE and window functions; YAML descriptions and ' +
      '`not_null`/`unique` tests (Dataform: `uniqueKey`/`nonNull` assertions). The tsdbt and ' +
      'Dataform projects have the same models, refs and SQL bodies.',
    '',
  );
  L.push(
    'Method: wall time is the median of the runs; memory is the peak of the summed RSS of the ' +
      'whole process tree (sampled from /proc every 25 ms), maximum over the runs; CPU is user and ' +
      'system time summed over the tree. tsdbt is started as `cd DIR && node bin/tsdbt.js <cmd> ' +
      '--project-dir DIR` with the project in `bench/work/`; the tsdbt commands of one size run in ' +
      'turn, round after round (alternating), so they see the same load. "cold" runs get a fresh ' +
      '`target/` every run; the previous one is moved aside and deleted after all runs, because on ' +
      'these VMs creating many small files costs an erratic amount of kernel time, worst right after ' +
      'deleting many (10 000-model compile after `rm -rf target`: 20–30 s, against 5–6 s after moving ' +
      'it aside); compare the sys column. "warm, nothing changed" runs over the cold compile\'s ' +
      '`target/`, whose parse cache (`target/partial_parse.json`) holds; "warm, one model edited" ' +
      'changes one silver model first (a new comment line each round), so the cache does not hold ' +
      'and the project is parsed again over the kept `target/`; `ls` always parses in full. The machine was ' +
      'shared with other work while measuring (see the load averages): where wall time exceeds CPU ' +
      'time the process waited for a core. ' +
      'Dataform runs as `dataform compile DIR --json --timeout=60m` ' +
      '(`node bench/node_modules/@dataform/cli/bundle.js …`, stdout to a file). The stock 3.0.x ' +
      'CLI registers its compile handler twice in its worker and so compiles every project twice; ' +
      '"no-dup" is a copy of the same CLI with the second registration removed.',
    '',
  );

  const sizes = [...new Set(Object.values(res.entries).map((e) => e.size))].sort((a, b) => a - b);
  const tools = [
    ['tsdbt-parse', 'tsdbt parse, cold'],
    ['tsdbt-compile', 'tsdbt compile, cold'],
    ['tsdbt-compile-warm', 'tsdbt compile, warm, nothing changed'],
    ['tsdbt-compile-edit', 'tsdbt compile, warm, one model edited'],
    ['tsdbt-ls', 'tsdbt ls, compound selector, warm'],
    ['tsdbt-help', 'tsdbt --help'],
    ['dataform', 'Dataform compile (stock)'],
    ['dataform-nodup', 'Dataform compile (no-dup)'],
  ].filter(([k]) => Object.keys(res.entries).some((key) => key.startsWith(`${k}|`)));
  L.push('## Parse / compile: side by side', '');
  L.push('Each cell: median wall s (median CPU user+sys s) / peak MB.', '');
  L.push(`| models | ${tools.map(([, l]) => l).join(' | ')} |`);
  L.push(`|---:|${tools.map(() => '---:').join('|')}|`);
  for (const s of sizes) {
    const cells = tools.map(([k]) => {
      const f = fmtEntry(res.entries[`${k}|${s}`]);
      return f.rss ? `${f.wall} s (${f.cpu} s) / ${f.rss} MB` : f.wall;
    });
    L.push(`| ${s.toLocaleString('en-US').replace(/,/g, ' ')} | ${cells.join(' | ')} |`);
  }
  L.push('');
  const ratio = (a, b) => (a && b && a.medianWallMs && b.medianWallMs ? `${(b.medianWallMs / a.medianWallMs).toFixed(1)}×` : '–');
  L.push('Speed-up of `tsdbt compile` over Dataform (wall time ratio):', '');
  L.push('| models | tsdbt compile | vs stock | vs no-dup |', '|---:|---|---:|---:|');
  for (const s of sizes) {
    for (const [k, what] of [
      ['tsdbt-compile', 'cold'],
      ['tsdbt-compile-warm', 'warm, nothing changed'],
      ['tsdbt-compile-edit', 'warm, one model edited'],
    ]) {
      const t = res.entries[`${k}|${s}`];
      if (!t) continue;
      L.push(`| ${s} | ${what} | ${ratio(t, res.entries[`dataform|${s}`])} | ${ratio(t, res.entries[`dataform-nodup|${s}`])} |`);
    }
  }
  L.push('');

  L.push('## Every measurement', '');
  L.push(
    '| models | what | runs | median wall s | min–max s | median CPU user / sys s | peak tree RSS MB | largest process MB | output check | measured (load avg before) |',
  );
  L.push('|---:|---|---:|---:|---:|---:|---:|---:|---|---|');
  for (const s of sizes) {
    for (const [k, label] of tools) {
      const e = res.entries[`${k}|${s}`];
      if (!e) continue;
      if (!e.runs.length) {
        L.push(`| ${s} | ${label} | 0 | FAILED | | | | | ${oneLine(e.error)} | ${e.date.slice(0, 16)} |`);
        continue;
      }
      const walls = e.runs.map((r) => r.wallMs);
      const single = Math.max(...e.runs.map((r) => r.peakSingleKB));
      L.push(
        `| ${s} | ${label} | ${e.runs.length} | ${secs(e.medianWallMs)} | ` +
          `${secs(Math.min(...walls))}–${secs(Math.max(...walls))} | ` +
          `${secs(median(e.runs.map((r) => r.userMs ?? NaN)))} / ${secs(median(e.runs.map((r) => r.sysMs ?? NaN)))} | ` +
          `${mb(e.peakTreeKB)} | ${mb(single)} | ` +
          `${e.error ? `FAILED after ${e.runs.length} run(s): ${oneLine(e.error)}` : oneLine(JSON.stringify(e.check))} | ` +
          `${e.date.slice(0, 16)} (${e.loadBefore ?? '?'}) |`,
      );
    }
  }
  L.push('');
  L.push('Commands measured:', '');
  const seen = new Set();
  for (const e of Object.values(res.entries)) {
    if (!tools.some(([k]) => k === e.key.split('|')[0])) continue;
    if (seen.has(e.key.split('|')[0])) continue;
    seen.add(e.key.split('|')[0]);
    L.push(`- ${e.label}: \`${e.display}\``);
  }
  L.push('');

  L.push('## Goals', '');
  const goal = (key, size, what, seconds, megabytes) => {
    const e = res.entries[`${key}|${size}`];
    if (!e?.runs.length) return L.push(`- ${what}: not measured${e?.error ? ` (failed: ${oneLine(e.error)})` : ''}.`);
    const time = `${secs(e.medianWallMs)} s (goal ≤ ${seconds} s: ${e.medianWallMs <= seconds * 1000 ? 'met' : '**not met**'})`;
    const memory = megabytes ? `, ${mb(e.peakTreeKB)} MB (goal ≤ ${megabytes} MB: ${e.peakTreeKB <= megabytes * 1024 ? 'met' : '**not met**'})` : '';
    L.push(`- ${what}: ${time}${memory}.`);
  };
  goal('tsdbt-compile', 1000, '1 000 models, cold compile', 0.3, 0);
  goal('tsdbt-compile', 10000, '10 000 models, cold compile', 2, 500);
  goal('tsdbt-compile-warm', 10000, '10 000 models, warm compile, nothing changed', 0.5, 0);
  goal('tsdbt-compile-edit', 10000, '10 000 models, warm compile after editing one model', 0.6, 0);
  goal('tsdbt-ls', 10000, '10 000 models, `ls` with a compound selector, warm', 0.5, 0);
  goal('tsdbt-help', 1000, '`tsdbt --help`', 0.15, 0);
  const ro = res.runOverhead;
  for (const threads of RUN_THREADS) {
    const runs = ro?.threads?.[threads];
    if (!runs?.length || !ro.direct.length) continue;
    const ratio = median(runs.map((r) => r.wallMs)) / median(ro.direct.map((r) => r.wallMs));
    L.push(
      `- Run overhead, ${threads} thread${threads === 1 ? '' : 's'}: ${ratio.toFixed(2)}× the direct execution (goal ≤ 1.05×: ${ratio <= 1.05 ? 'met' : '**not met**'}).`,
    );
  }
  const real = realBuild();
  L.push(
    real
      ? `- The real full build (\`tsdbt build --target real --full-refresh\`, from \`bench/incremental.mjs\`, ${real.date}): ${secs(real.wallMs)} s wall (goal ≤ 30 s: ${real.wallMs <= 30_000 ? 'met' : '**not met**'}), ${secs(real.cpuMs)} s CPU (goal ≤ 50 s: ${real.cpuMs <= 50_000 ? 'met' : '**not met**'}), ${mb(real.peakTreeKB)} MB (goal ≤ 1 536 MB: ${real.peakTreeKB <= 1536 * 1024 ? 'met' : '**not met**'}).`
      : '- The real full build: run `node bench/incremental.mjs` (needs ../shared/data).',
  );
  L.push('');

  L.push('## Run overhead', '');
  if (!ro) {
    L.push('Not measured yet.');
  } else if (!Object.keys(ro.threads ?? {}).length || !ro.direct.length) {
    L.push(`Not measured: ${oneLine(ro.error ?? 'no runs')}`);
  } else {
    const dw = median(ro.direct.map((r) => r.wallMs));
    const ds = median(ro.direct.map((r) => r.sqlMs));
    L.push(
      `${ro.size} generated models on DuckDB (${ro.check?.totalRows?.toLocaleString('en-US') ?? '?'} rows in all ` +
        'model relations), raw tables loaded from `seed.sql` into a fresh database before every run ' +
        '(not timed). The baseline executes the SQL that tsdbt compiled (`target/compiled`, DAG order ' +
        'from `target/manifest.json`), each wrapped as `CREATE OR REPLACE TABLE|VIEW relation AS …`, ' +
        'sequentially on one @duckdb/node-api connection (`bench/direct-exec.mjs`). `tsdbt run --threads 1`, ' +
        `\`--threads 2\` and the baseline run in turn, round after round (load average before: ${ro.loadBefore ?? '?'}).`,
      '',
    );
    const cpuOf = (xs) => `${secs(median(xs.map((r) => r.userMs ?? NaN)))} / ${secs(median(xs.map((r) => r.sysMs ?? NaN)))}`;
    const walls = (xs, k = 'wallMs') => `${secs(Math.min(...xs.map((r) => r[k])))}–${secs(Math.max(...xs.map((r) => r[k])))}`;
    L.push('| what | runs | median wall s | min–max s | median CPU user / sys s | peak tree RSS MB | vs direct |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const threads of RUN_THREADS) {
      const runs = ro.threads?.[threads] ?? [];
      if (!runs.length) continue;
      const tr = median(runs.map((r) => r.wallMs));
      L.push(
        `| \`tsdbt run --threads ${threads}\` (whole process) | ${runs.length} | ${secs(tr)} | ${walls(runs)} | ${cpuOf(runs)} | ${mb(Math.max(...runs.map((r) => r.peakTreeKB)))} | ${(tr / dw).toFixed(2)}× |`,
      );
    }
    L.push(
      `| direct execution (whole process: node start, DuckDB open, SQL, close) | ${ro.direct.length} | ${secs(dw)} | ${walls(ro.direct)} | ${cpuOf(ro.direct)} | ${mb(Math.max(...ro.direct.map((r) => r.peakTreeKB)))} | 1.00× |`,
    );
    L.push(`| direct execution (SQL statements only) | ${ro.direct.length} | ${secs(ds)} | ${walls(ro.direct, 'sqlMs')} | | | |`);
    L.push('');
    if (ro.check) {
      L.push(
        '',
        `Check: ${ro.check.relations} relations compared between the two databases, ` +
          `${ro.check.mismatches} row-count mismatches${ro.check.firstMismatch ? ` (first: ${ro.check.firstMismatch})` : ''}.`,
      );
    }
    if (ro.error) L.push('', `Note: ${oneLine(ro.error)}`);
  }
  L.push('');

  L.push('## Reference: Dataform figures from ENGINE-NOTES', '');
  L.push(
    'Measured earlier on the same kind of machine with another generator of the same layered ' +
      'shape (stock CLI, median of 3): 100 models 1.7 s / 272 MB; 1 000: 12.7 s / 635 MB; 5 000: ' +
      '53.5 s / 2 305 MB; 10 000: 115.4 s / 3 542 MB; without the duplicate compile about half ' +
      '(10 000 ≈ 57 s, ≈ 2 GB). The projects generated here are heavier per model (six documented ' +
      'columns and two assertions, so three Dataform actions per model), which is where the higher ' +
      'times above come from.',
    '',
  );
  return L.join('\n');
}

/** The full refresh of the real build, as bench/incremental.mjs last measured it. */
function realBuild() {
  const file = path.join(WORK, 'incremental.json');
  if (!fs.existsSync(file)) return undefined;
  const measured = JSON.parse(fs.readFileSync(file, 'utf8'));
  const full = measured.summary?.['full refresh'];
  if (!full) return undefined;
  return { date: measured.date, wallMs: full.wallS * 1000, cpuMs: full.cpuS * 1000, peakTreeKB: full.peakMB * 1024 };
}

const oneLine = (s) =>
  String(s ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|')
    .slice(0, 400);

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(path.join(WORK, 'logs'), { recursive: true });
  const res = loadResults(opts.fresh);
  if (opts.reportOnly) {
    writeResultsMd(res);
    log(`wrote ${rel(RESULTS_MD)} from ${rel(RESULTS_JSON)}`);
    return;
  }
  res.machine = machineInfo();
  res.seed = opts.seed;
  res.invocations.push({ command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(), date: res.machine.date });
  const store = (e) => {
    res.entries[e.key] = e;
    saveResults(res);
    writeResultsMd(res);
  };

  let dataformOk = !opts.skipDataform;
  if (dataformOk && !fs.existsSync(path.join(DATAFORM_CLI_DIR, 'bundle.js'))) {
    log('bench/node_modules/@dataform/cli is missing: run `cd bench && npm install` (skipping Dataform)');
    dataformOk = false;
  }
  if (dataformOk) {
    const ver = (p) => JSON.parse(fs.readFileSync(path.join(BENCH, 'node_modules', '@dataform', p, 'package.json'), 'utf8')).version;
    res.dataformVersions = { cli: ver('cli'), core: ver('core') };
  }
  let nodupCli = null;
  if (dataformOk && !opts.skipNodup) {
    try {
      nodupCli = prepareNodupCli();
    } catch (e) {
      log(`no-dup Dataform skipped: ${e.message}`);
    }
  }
  const tsdbtProblem = opts.skipTsdbt ? 'skipped' : tsdbtAvailable();
  if (tsdbtProblem && !opts.skipTsdbt) log(`tsdbt not available: ${tsdbtProblem}`);

  for (const [i, size] of opts.sizes.entries()) {
    if (!tsdbtProblem) {
      const dir = generate('tsdbt', size, opts.seed);
      for (const e of await timeAlternating(tsdbtScenarios(dir, size), opts.runs)) store(e);
    }
    if (dataformOk) {
      const dir = generate('dataform', size, opts.seed);
      const runs = opts.dataformRuns[Math.min(i, opts.dataformRuns.length - 1)];
      const variants = [['dataform', 'Dataform compile (stock)', path.join(DATAFORM_CLI_DIR, 'bundle.js')]];
      if (nodupCli) variants.push(['dataform-nodup', 'Dataform compile (no-dup)', nodupCli]);
      for (const [key, label, cli] of variants) {
        const e = await timeCommand({
          key: `${key}|${size}`,
          label,
          size,
          cmd: NODE,
          args: [cli, 'compile', dir, '--json', '--timeout=60m'],
          cwd: BENCH,
          runs,
          display: `dataform compile bench/work/dataform-N --json --timeout=60m${key === 'dataform-nodup' ? ' (CLI copy in bench/work/dataform-cli-nodup)' : ''}`,
          check: (out) => checkDataformJson(out, size),
          timeoutMs: 3_600_000,
        });
        store(e);
      }
    }
  }
  if (!opts.skipRun && !opts.skipTsdbt) {
    if (tsdbtProblem) {
      res.runOverhead = { size: opts.runModels, threads: {}, direct: [], error: `tsdbt not available: ${tsdbtProblem}`, date: new Date().toISOString() };
    } else {
      res.runOverhead = await measureRunOverhead(opts);
    }
  }
  saveResults(res);
  writeResultsMd(res);
  log(`wrote ${rel(RESULTS_MD)} and ${rel(RESULTS_JSON)}`);
  emptyTrash();
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
