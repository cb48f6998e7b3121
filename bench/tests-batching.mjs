#!/usr/bin/env node
// Data tests, batched vs one query per test: 1 000 column tests over a 1 M-row table.
//
//   node bench/tests-batching.mjs [--rows 1000000] [--tests 1000] [--runs 3]
//
// Builds the table once with `tsdbt run`, then times `tsdbt test` with the default batching and
// with `--no-batch`, reading the number of test queries from the JSON log (`run_finished`).
// Both modes must give the same status and failure count for every test: the script checks it.
// Results go to bench/work/tests-batching.json and the "Data tests" section of RESULTS.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './lib/measure.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH, '..');
const CLI = path.join(REPO, 'bin', 'tsdbt.js');
const WORK = path.join(BENCH, 'work');
const OUT_JSON = path.join(WORK, 'tests-batching.json');
const RESULTS_MD = path.join(BENCH, 'RESULTS.md');

const args = Object.fromEntries(process.argv.slice(2).flatMap((arg, i, all) => (arg.startsWith('--') ? [[arg.slice(2), all[i + 1]]] : [])));
const ROWS = Number(args.rows ?? 1_000_000);
const TESTS = Number(args.tests ?? 1000);
const RUNS = Number(args.runs ?? 3);
const COLUMNS = 50;

// 50 numeric and text columns; deterministic values so every test has a known outcome.
function generate(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'project.yml'), 'name: testbench\nprofile: testbench\n');
  fs.writeFileSync(path.join(dir, 'profiles.yml'), 'testbench:\n  target: dev\n  outputs:\n    dev: {type: duckdb, path: target/bench.duckdb, threads: 2}\n');
  const columns = Array.from({ length: COLUMNS }, (_, i) =>
    i % 2 === 0 ? `  (range * ${i + 7}) % 1000 as n${i}` : `  case (range + ${i}) % 4 when 0 then 'a' when 1 then 'b' when 2 then 'c' else 'd' end as s${i}`,
  );
  fs.writeFileSync(
    path.join(dir, 'models', 'wide.sql'),
    `{{config materialized="table"}}\nselect\n  range as id,\n${columns.join(',\n')}\nfrom range(${ROWS})\n`,
  );
  // Per column, a rotation of tests; 5 % are `unique`, which cannot share a scan.
  const perColumn = Array.from({ length: COLUMNS }, () => []);
  for (let t = 0; t < TESTS; t++) {
    const c = t % COLUMNS;
    const kind = t % 20;
    const numeric = c % 2 === 0;
    let test;
    if (kind === 19) test = 'unique';
    else if (kind % 4 === 0) test = 'not_null';
    else if (numeric && kind % 4 === 1) test = `accepted_range: {min_value: 0, max_value: ${kind === 5 ? 500 : 999}}`;
    else if (!numeric && kind % 4 === 1) test = `accepted_values: {values: [a, b, c${kind === 5 ? '' : ', d'}]}`;
    else if (kind % 4 === 2) test = `not_null_proportion: {at_least: 0.${9 - (kind % 3)}}`;
    else test = numeric ? `expression_is_true: {expression: ">= ${kind === 3 ? 1 : 0}"}` : `accepted_values: {values: [a, b, c, d, e${t}]}`;
    perColumn[c].push(test);
  }
  const yaml = ['version: 2', 'models:', '  - name: wide', '    columns:'];
  for (let c = 0; c < COLUMNS; c++) {
    yaml.push(`      - name: ${c % 2 === 0 ? 'n' : 's'}${c}`, '        data_tests:');
    // A test repeated with the same arguments gets the same name: give each its own.
    perColumn[c].forEach((test, i) => {
      const [head, ...rest] = test.split(': ');
      const body = rest.length ? rest.join(': ').replace(/^\{/, '').replace(/\}$/, '') : '';
      yaml.push(`          - ${head}: {name: t_${c}_${i}${body ? `, ${body}` : ''}}`);
    });
  }
  fs.writeFileSync(path.join(dir, 'models', 'wide.yml'), `${yaml.join('\n')}\n`);
}

function runJson(dir, extra) {
  const log = path.join(dir, `log-${process.hrtime.bigint()}.jsonl`);
  return measure(process.execPath, [CLI, 'test', '--log-format', 'json', ...extra], { cwd: dir, stdoutFile: log }).then((m) => {
    const events = fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    fs.rmSync(log);
    const finished = events.find((e) => e.event === 'run_finished');
    const outcomes = Object.fromEntries(events.filter((e) => e.event === 'node_finished').map((e) => [e.name, e.status]));
    return { wallMs: m.wallMs, peakTreeKB: m.peakTreeKB, queries: finished?.test_queries, counts: finished?.counts, outcomes, code: m.code };
  });
}

const dir = path.join(WORK, 'tests-batching');
generate(dir);
const build = await measure(process.execPath, [CLI, 'run', '-q'], { cwd: dir });
if (build.code !== 0) throw new Error(`tsdbt run failed: ${build.stderrTail}`);
const batched = [];
const single = [];
for (let i = 0; i < RUNS; i++) {
  batched.push(await runJson(dir, []));
  single.push(await runJson(dir, ['--no-batch']));
}
const mismatches = Object.keys(batched[0].outcomes).filter((name) => batched[0].outcomes[name] !== single[0].outcomes[name]);
const result = {
  date: new Date().toISOString(),
  command: `node bench/tests-batching.mjs --rows ${ROWS} --tests ${TESTS} --runs ${RUNS}`,
  rows: ROWS,
  tests: Object.keys(batched[0].outcomes).length,
  counts: batched[0].counts,
  mismatches,
  batched: { wallMs: median(batched.map((r) => r.wallMs)), queries: batched[0].queries, peakMB: Math.max(...batched.map((r) => r.peakTreeKB)) / 1024 },
  single: { wallMs: median(single.map((r) => r.wallMs)), queries: single[0].queries, peakMB: Math.max(...single.map((r) => r.peakTreeKB)) / 1024 },
  load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
};
fs.writeFileSync(OUT_JSON, `${JSON.stringify(result, null, 2)}\n`);
writeSection(result);
console.log(JSON.stringify(result, null, 2));

function writeSection(r) {
  const s = (ms) => (ms / 1000).toFixed(2);
  const section = [
    '<!-- tests-batching:start -->',
    '## Data tests: shared scans (up to 200 tests per query) vs one query per test',
    '',
    `${r.tests} column tests (not_null, accepted_values, accepted_range, not_null_proportion, expression_is_true; 5 % unique, which cannot share a scan) on one ${r.rows.toLocaleString('en-US')}-row, 51-column DuckDB table; \`tsdbt test\` wall time for the whole process (median of ${RUNS}), statuses ${JSON.stringify(r.counts)}. Command: \`${r.command}\` (${r.date}, load average ${r.load}).`,
    '',
    '| mode | queries issued | median wall s | peak RSS MB |',
    '|---|---:|---:|---:|',
    `| batched (default) | ${r.batched.queries} | ${s(r.batched.wallMs)} | ${r.batched.peakMB.toFixed(0)} |`,
    `| \`--no-batch\` (one query per test) | ${r.single.queries} | ${s(r.single.wallMs)} | ${r.single.peakMB.toFixed(0)} |`,
    '',
    `Speed-up: ${(r.single.wallMs / r.batched.wallMs).toFixed(1)}×. Every test got the same status in both modes${r.mismatches.length ? ` except ${r.mismatches.join(', ')}` : ''}.`,
    '<!-- tests-batching:end -->',
  ].join('\n');
  const current = fs.existsSync(RESULTS_MD) ? fs.readFileSync(RESULTS_MD, 'utf8') : '';
  const pattern = /<!-- tests-batching:start -->[\s\S]*<!-- tests-batching:end -->/;
  fs.writeFileSync(RESULTS_MD, pattern.test(current) ? current.replace(pattern, section) : `${current.trimEnd()}\n\n${section}\n`);
}
