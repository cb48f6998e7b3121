// Thin helpers around @duckdb/node-api, loaded from the main project's node_modules (the bench
// package does not depend on DuckDB itself).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function loadDuckDB() {
  const require = createRequire(path.join(REPO_ROOT, 'package.json'));
  const entry = require.resolve('@duckdb/node-api');
  return import(pathToFileURL(entry).href);
}

/** Opens (creating) a database file with extension autoloading off (offline machine). */
export async function openDatabase(file) {
  const duck = await loadDuckDB();
  const instance = await duck.DuckDBInstance.create(file, {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const conn = await instance.connect();
  return { duck, instance, conn };
}

export function closeDatabase({ instance, conn }) {
  conn.closeSync?.();
  instance.closeSync?.();
}
