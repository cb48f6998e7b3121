import { basename, resolve } from 'node:path';
import { z } from 'zod';
import type { ProfileOutput } from '../../config/profiles.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ResolvedSettings } from '../adapter.js';
import { parseOutput, profileInteger } from '../settings-schema.js';

/** A `type: duckdb` output of profiles.yml, validated once at load. */
export interface DuckdbSettings {
  /** Absolute database file, or `:memory:`. */
  readonly databasePath: string;
  /** The path as written, for messages. */
  readonly path: string;
  /** DuckDB options set with `SET GLOBAL` when the database opens. */
  readonly options: Readonly<Record<string, string | number | boolean>>;
  /** Extensions loaded when the database opens (they must be built in or already installed). */
  readonly extensions: readonly string[];
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const SHAPE = {
  type: z.literal('duckdb'),
  path: z.string().optional(),
  schema: z.string().min(1).optional(),
  threads: profileInteger.optional(),
  lake: z.string().optional(),
  settings: z.record(z.string(), scalar).optional(),
  extensions: z.array(z.string().min(1)).optional(),
};

// dbt-duckdb output keys: known, so a dbt user's profile gets a precise answer, not "unknown key".
const UNSUPPORTED = {
  database: 'the database name follows from path; remove database:',
  attach: 'attach other databases from a model instead (ATTACH in an on-run-start hook)',
  filesystems: 'fsspec filesystems are a Python feature; read local lake files through lake:',
  external_root: 'external materializations are not supported; use table or incremental',
  plugins: 'dbt-duckdb plugins are Python modules; tsdbt has none',
  module_paths: 'dbt-duckdb plugins are Python modules; tsdbt has none',
  secrets: 'create secrets with CREATE SECRET in an on-run-start hook',
  disable_transactions: 'tsdbt always builds in a transaction, so a failed model keeps the previous table',
  keep_open: 'tsdbt keeps the database open for the whole run',
  retries: 'DuckDB runs locally: there is nothing to retry',
  use_credential_provider: 'credential providers need the httpfs extension, which is not available offline',
} as const;

export function resolveDuckdbSettings(output: ProfileOutput, projectDir: string): ResolvedSettings<DuckdbSettings> {
  const parsed = parseOutput(output, SHAPE, UNSUPPORTED);
  const path = parsed.path ?? ':memory:';
  if (path.trim() === '') {
    throw new TsdbtError(`target "${output.name}": path is empty`, {
      code: 'E_TARGET_KEY',
      kind: 'config',
      location: output.locate('path'),
      hint: 'give a database file (path: target/dev.duckdb) or :memory:',
    });
  }
  const databasePath = path === ':memory:' ? path : resolve(projectDir, path);
  return {
    settings: { databasePath, path, options: parsed.settings ?? {}, extensions: parsed.extensions ?? [] },
    schema: parsed.schema ?? 'main',
    lakeRoot: !parsed.lake ? projectDir : /^[a-z][a-z0-9+.-]*:\/\//.test(parsed.lake) ? parsed.lake : resolve(projectDir, parsed.lake),
    database: databasePath === ':memory:' ? undefined : databasePath,
    // DuckDB names a database after its file: target/dev.duckdb is the catalog "dev".
    catalog: databasePath === ':memory:' ? 'memory' : basename(databasePath).replace(/\.[^.]*$/, ''),
  };
}
