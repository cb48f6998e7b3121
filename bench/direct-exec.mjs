#!/usr/bin/env node
// Baseline for the run-overhead measurement: executes a list of already-compiled model
// statements, in the given (DAG) order, on one DuckDB connection, with nothing else around it.
//
//   node bench/direct-exec.mjs PLAN.json DB_FILE
//
// PLAN.json: { "schemas": ["staging", ...], "statements": [{ "name", "sql" }, ...] }
// Prints one JSON line: { statements, openMs, sqlMs }.

import fs from 'node:fs';
import { openDatabase, closeDatabase } from './lib/duck.mjs';

const [planFile, dbFile] = process.argv.slice(2);
if (!planFile || !dbFile) {
  process.stderr.write('usage: node bench/direct-exec.mjs PLAN.json DB_FILE\n');
  process.exit(2);
}
const plan = JSON.parse(fs.readFileSync(planFile, 'utf8'));
const t0 = performance.now();
const db = await openDatabase(dbFile);
const t1 = performance.now();
for (const s of plan.schemas) await db.conn.run(`create schema if not exists ${s}`);
for (const st of plan.statements) {
  try {
    await db.conn.run(st.sql);
  } catch (e) {
    process.stderr.write(`direct-exec: ${st.name} failed: ${e.message}\n`);
    process.exit(1);
  }
}
const t2 = performance.now();
closeDatabase(db);
process.stdout.write(`${JSON.stringify({ statements: plan.statements.length, openMs: t1 - t0, sqlMs: t2 - t1 })}\n`);
