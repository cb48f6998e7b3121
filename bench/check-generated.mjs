#!/usr/bin/env node
// Checks a generated tsdbt-flavor project without tsdbt: renders the Handlebars helpers with
// plain substitution ({{ref}} -> layer.name, {{source}} -> raw.table, {{var}} -> its default,
// {{config}} dropped), loads seed.sql into a fresh DuckDB database, builds every model in
// dependency order and verifies the id column is unique and non-null in each.
//
//   node bench/check-generated.mjs DIR [--db FILE]

import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, closeDatabase } from './lib/duck.mjs';

const MATERIALIZED = { staging: 'view', silver: 'table', gold: 'table' };

async function main() {
  const args = process.argv.slice(2);
  const dir = args.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: node bench/check-generated.mjs DIR [--db FILE]\n');
    process.exit(2);
  }
  const dbIdx = args.indexOf('--db');
  const dbFile = dbIdx >= 0 ? args[dbIdx + 1] : ':memory:';

  const models = new Map();
  for (const layer of Object.keys(MATERIALIZED)) {
    const folder = path.join(dir, 'models', layer);
    for (const f of fs.readdirSync(folder)) {
      if (!f.endsWith('.sql')) continue;
      const name = f.slice(0, -4);
      const text = fs.readFileSync(path.join(folder, f), 'utf8');
      const cfg = /\{\{config ([^}]*)\}\}/.exec(text);
      const mat = cfg && /materialized="(\w+)"/.exec(cfg[1]);
      models.set(name, {
        name,
        layer,
        text,
        materialized: mat ? mat[1] : MATERIALIZED[layer],
        refs: [...text.matchAll(/\{\{ref "([^"]+)"\}\}/g)].map((m) => m[1]),
      });
    }
  }
  const render = (m) =>
    m.text
      .replace(/\{\{config [^}]*\}\}\n?/g, '')
      .replace(/\{\{ref "([^"]+)"\}\}/g, (_, n) => {
        const target = models.get(n);
        if (!target) throw new Error(`${m.name}: unknown ref ${n}`);
        return `${target.layer}.${n}`;
      })
      .replace(/\{\{source "([^"]+)" "([^"]+)"\}\}/g, (_, s, t) => `${s}.${t}`)
      .replace(/\{\{var "([^"]+)" ([^}]+)\}\}/g, (_, _n, d) => d.trim());

  // Topological order (Kahn).
  const order = [];
  const state = new Map();
  const visit = (n) => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) throw new Error(`cycle at ${n}`);
    state.set(n, 1);
    for (const r of models.get(n).refs) visit(r);
    state.set(n, 2);
    order.push(n);
  };
  for (const n of models.keys()) visit(n);

  const db = await openDatabase(dbFile);
  const t0 = performance.now();
  await db.conn.run(fs.readFileSync(path.join(dir, 'seed.sql'), 'utf8'));
  const tSeed = performance.now();
  for (const s of Object.keys(MATERIALIZED)) await db.conn.run(`create schema if not exists ${s}`);
  let failures = 0;
  for (const n of order) {
    const m = models.get(n);
    const kind = m.materialized === 'view' ? 'view' : 'table';
    try {
      await db.conn.run(`create or replace ${kind} ${m.layer}.${n} as\n${render(m)}`);
    } catch (e) {
      failures++;
      process.stderr.write(`FAIL ${n}: ${e.message.split('\n')[0]}\n`);
    }
  }
  const tBuild = performance.now();
  let minRows = Infinity;
  let maxRows = 0;
  let testFailures = 0;
  for (const n of order) {
    const m = models.get(n);
    const r = await db.conn.runAndReadAll(`select count(*) as n, count(distinct id) as d, count(id) as nn, count(k) as nk from ${m.layer}.${n}`);
    const [row] = r.getRowObjectsJson();
    const [cnt, distinct, nonNull, nonNullK] = [row.n, row.d, row.nn, row.nk].map(Number);
    minRows = Math.min(minRows, cnt);
    maxRows = Math.max(maxRows, cnt);
    if (distinct !== cnt || nonNull !== cnt || nonNullK !== cnt) {
      testFailures++;
      process.stderr.write(`TEST FAIL ${n}: rows=${cnt} distinct ids=${distinct} non-null ids=${nonNull} non-null k=${nonNullK}\n`);
    }
  }
  closeDatabase(db);
  process.stdout.write(
    `${order.length} models built in ${((tBuild - tSeed) / 1000).toFixed(2)} s ` +
      `(seed ${((tSeed - t0) / 1000).toFixed(2)} s); rows per model ${minRows}..${maxRows}; ` +
      `${failures} build failures, ${testFailures} test failures\n`,
  );
  process.exit(failures || testFailures ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
