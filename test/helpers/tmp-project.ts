/**
 * End-to-end test helpers: throwaway tsdbt projects in the OS temp folder, the real CLI run as a
 * child process, and a DuckDB reader that releases the database file as soon as it has answered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll } from 'vitest';

/** The CLI entry point of this checkout (bin/tsdbt.js loads dist/, so build first). */
export const CLI = fileURLToPath(new URL('../../bin/tsdbt.js', import.meta.url));

export const DEFAULT_PROJECT_YML = 'name: demo\nprofile: demo\n';

export const DEFAULT_PROFILES_YML = `demo:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/dev.duckdb
      threads: 2
`;

export interface TmpProjectOptions {
  /** Write no default project.yml / profiles.yml (e.g. for `tsdbt init`). */
  bare?: boolean;
  /** Keep the folder after the test file finishes (also: TSDBT_KEEP_TMP=1). */
  keep?: boolean;
}

export interface TmpProject {
  dir: string;
  /** Absolute path of a project-relative path. */
  path(rel: string): string;
  read(rel: string): string;
  json<T = any>(rel: string): T;
  exists(rel: string): boolean;
  /** Writes (or overwrites) a file, creating its folders. */
  write(rel: string, content: string): void;
  remove(rel: string): void;
  /** The project's default DuckDB file (target/dev.duckdb). */
  dbPath: string;
  cleanup(): void;
}

const created = new Set<string>();

// Every project made while a test file runs is removed when that file is done.
afterAll(() => {
  if (process.env.TSDBT_KEEP_TMP === '1') return;
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
});

export function createTmpProject(files: Record<string, string> = {}, options: TmpProjectOptions = {}): TmpProject {
  const dir = mkdtempSync(join(tmpdir(), 'tsdbt-e2e-'));
  const all: Record<string, string> = options.bare ? { ...files } : { 'project.yml': DEFAULT_PROJECT_YML, 'profiles.yml': DEFAULT_PROFILES_YML, ...files };
  const path = (rel: string) => join(dir, rel);
  const write = (rel: string, content: string) => {
    mkdirSync(dirname(path(rel)), { recursive: true });
    writeFileSync(path(rel), content);
  };
  for (const [rel, content] of Object.entries(all)) write(rel, content);
  if (!options.keep) created.add(dir);
  return {
    dir,
    path,
    read: (rel) => readFileSync(path(rel), 'utf8'),
    json: (rel) => JSON.parse(readFileSync(path(rel), 'utf8')),
    exists: (rel) => existsSync(path(rel)),
    write,
    remove: (rel) => rmSync(path(rel), { recursive: true, force: true }),
    dbPath: path('target/dev.duckdb'),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      created.delete(dir);
    },
  };
}

export interface RunOptions {
  /** Added to (and overriding) the inherited environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Kill the CLI (SIGKILL) after this long; the result then has timedOut = true. Default 45 s. */
  timeoutMs?: number;
}

export interface RunResult {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunningTsdbt {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the stream's text so far matches `pattern`; rejects after `timeoutMs` or on exit. */
  waitFor(pattern: RegExp, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<void>;
  /** Sends a signal (Ctrl-C by default) to the CLI process, by its pid. */
  interrupt(signal?: NodeJS.Signals): void;
  result: Promise<RunResult>;
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The developer's own tsdbt settings must not leak into a test project.
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TSDBT_') && key !== 'FORCE_COLOR') env[key] = value;
  }
  env.NO_COLOR = '1';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Starts `node bin/tsdbt.js ...args` in `dir` without waiting for it (no shell involved). */
export function startTsdbt(dir: string, args: string[], options: RunOptions = {}): RunningTsdbt {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 600_000);

  const result = new Promise<RunResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      exited = true;
      notify();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });

  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitFor(pattern, { stream = 'stdout', timeoutMs = 300_000 } = {}) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          const text = stream === 'stdout' ? stdout : stderr;
          if (pattern.test(text)) return finish(resolve);
          if (exited) return finish(() => reject(new Error(`tsdbt exited before ${stream} matched ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
        };
        const timeout = setTimeout(
          () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on ${stream}\nstdout:\n${stdout}\nstderr:\n${stderr}`))),
          timeoutMs,
        );
        const finish = (done: () => void) => {
          clearTimeout(timeout);
          listeners.delete(check);
          done();
        };
        listeners.add(check);
        check();
      });
    },
    interrupt(signal = 'SIGINT') {
      if (child.pid !== undefined) process.kill(child.pid, signal);
    },
    result,
  };
}

/** Runs the real CLI to completion: `{ code, stdout, stderr }` (NO_COLOR=1, cwd = dir). */
export function runTsdbt(dir: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return startTsdbt(dir, args, options).result;
}

/**
 * Runs one query against a DuckDB file and closes the database again, so that the CLI can take
 * its lock afterwards. Values come back JSON-shaped (BIGINT and DECIMAL as strings).
 */
export async function queryDuckdb<T = Record<string, unknown>>(dbPath: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(dbPath);
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as T[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Lines of a table printed by the console reporter or `show` that hold cells (header included). */
export function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No stack frames: user errors print message, location and hint only. */
export const STACK_LINE = /^\s{4}at /m;
