import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import {
  QueryError,
  type AdapterCapabilities,
  type ResolvedTarget,
  type Adapter,
  type MaterializeResult,
  type ModelToMaterialize,
  type QueryResult,
  type SeedToLoad,
} from '../adapter.js';
import { duckdbDialect, duckdbLiteral, quoteDuckdbIdentifier } from './dialect.js';
import { incrementalStatements, type ExistingRelation } from './incremental.js';
import type { DuckdbSettings } from './settings.js';
import { sqlBody } from '../../compile/sql-text.js';
import { fullRefreshOf } from '../../compile/node-config.js';

const DEFER_CATALOG = 'tsdbt_state';

/** Embedded DuckDB: one instance per database file, one connection per thread. */
export function createDuckdbAdapter(target: ResolvedTarget<DuckdbSettings>, capabilities: AdapterCapabilities): Adapter {
  const { databasePath, path: rawPath } = target.settings;
  let instance: DuckDBInstance | undefined;
  const idle: DuckDBConnection[] = [];
  const busy = new Set<DuckDBConnection>();
  const waiting: Array<(c: DuckDBConnection) => void> = [];
  let opened = 0;
  const knownSchemas = new Set<string>();
  // Set by cancelAll: interrupting covers the statement in flight, this covers the next one.
  let cancelled = false;
  const guard = () => {
    if (cancelled) throw new QueryError('cancelled (interrupted)', undefined, undefined, true);
  };

  async function acquire(): Promise<DuckDBConnection> {
    guard();
    const free = idle.pop();
    if (free) return mark(free);
    if (opened < target.threads) {
      opened++;
      return mark(await instance!.connect());
    }
    return new Promise((resolveWaiter) => waiting.push((c) => resolveWaiter(mark(c))));
  }
  function mark(connection: DuckDBConnection): DuckDBConnection {
    busy.add(connection);
    return connection;
  }
  function release(connection: DuckDBConnection): void {
    busy.delete(connection);
    const next = waiting.shift();
    if (next) next(connection);
    else idle.push(connection);
  }
  async function withConnection<T>(work: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await acquire();
    try {
      return await work(connection);
    } finally {
      release(connection);
    }
  }

  /** Runs statements in one transaction; on any failure nothing of it remains. */
  async function transaction(connection: DuckDBConnection, statements: string[], modelSqlOffset: Map<number, number>): Promise<void> {
    await connection.run('BEGIN TRANSACTION');
    for (let i = 0; i < statements.length; i++) {
      try {
        guard();
        await connection.run(statements[i]!);
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw toQueryError(error, modelSqlOffset.get(i));
      }
    }
    await connection.run('COMMIT');
  }

  // The catalog is read once at open: this process holds the file lock, so only it changes it.
  const relations = new Map<string, ExistingRelation>();
  const relationKey = (schema: string, identifier: string) => `${schema}\u0000${identifier}`;
  const relationKind = (schema: string, identifier: string): ExistingRelation => relations.get(relationKey(schema, identifier)) ?? 'none';

  async function columnsOf(connection: DuckDBConnection, relation: string): Promise<Array<{ name: string; type: string }>> {
    const reader = await connection.runAndReadAll(`DESCRIBE ${relation}`);
    return reader.getRowObjectsJson().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  }

  async function countRows(connection: DuckDBConnection, relation: string): Promise<number> {
    const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${relation}`);
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  function ensureSchema(statements: string[], schema: string): void {
    if (!knownSchemas.has(schema)) statements.push(`CREATE SCHEMA IF NOT EXISTS ${quoteDuckdbIdentifier(schema)}`);
  }

  // The model's SELECT goes on its own lines after a one-line header so DuckDB's
  // "LINE n" maps straight back to the compiled file.
  const wrap = (header: string, sql: string) => `${header}\n${sqlBody(sql)}\n)`;

  return {
    type: 'duckdb',
    dialect: duckdbDialect,
    capabilities,

    // Lake sources render inline as read_csv(...): nothing to create.
    async prepareSources() {},

    async dryRun() {
      throw new TsdbtError('--dry-run needs an engine with dry runs (BigQuery); DuckDB runs the statements for real', {
        code: 'E_DRY_RUN',
        kind: 'usage',
        hint: 'drop --dry-run, or use a BigQuery target',
      });
    },

    async open() {
      if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
      try {
        instance = await DuckDBInstance.create(databasePath, {
          autoinstall_known_extensions: 'false',
          autoload_known_extensions: 'false',
        });
      } catch (error) {
        const message = (error as Error).message;
        if (/Could not set lock|Conflicting lock/i.test(message)) {
          const pid = /PID (\d+)/.exec(message)?.[1];
          throw new TsdbtError(`database ${rawPath} is in use by another tsdbt run${pid ? ` (process ${pid})` : ''}`, {
            code: 'E_DATABASE_LOCKED',
            kind: 'config',
            location: target.locate('path'),
            hint: 'DuckDB allows one writer per file: wait for the other run to finish, or use another target/path',
          });
        }
        throw new TsdbtError(`cannot open DuckDB database ${rawPath}: ${message}`, {
          code: 'E_CONNECT',
          kind: 'config',
          location: target.locate('path'),
          hint: 'check the path in profiles.yml',
        });
      }
      const connection = await acquire();
      try {
        for (const extension of target.settings.extensions) {
          await connection.run(`LOAD ${quoteDuckdbIdentifier(extension)}`).catch((error: Error) => {
            throw new TsdbtError(`cannot load the DuckDB extension "${extension}": ${error.message.split('\n')[0]}`, {
              code: 'E_SETTING',
              kind: 'config',
              location: target.locate('extensions'),
              hint: 'extensions must be built in (parquet, json, icu) or already installed: tsdbt never downloads one',
            });
          });
        }
        for (const [key, value] of Object.entries(target.settings.options)) {
          const literal = typeof value === 'string' ? duckdbLiteral(value) : String(value);
          await connection.run(`SET GLOBAL ${key} = ${literal}`).catch((error: Error) => {
            throw new TsdbtError(`invalid DuckDB setting ${key}: ${error.message}`, {
              code: 'E_SETTING',
              kind: 'config',
              location: target.locate('settings'),
              hint: "see DuckDB's configuration reference",
            });
          });
        }
        const reader = await connection.runAndReadAll('SELECT schema_name FROM information_schema.schemata');
        for (const row of reader.getRows()) knownSchemas.add(String(row[0]));
        const tables = await connection.runAndReadAll(
          `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_catalog = current_database()`,
        );
        for (const [schema, name, type] of tables.getRows()) relations.set(relationKey(String(schema), String(name)), type === 'VIEW' ? 'view' : 'table');
      } finally {
        release(connection);
      }
    },

    async prepareSchemas(schemas: string[]) {
      const missing = [...new Set(schemas)].filter((schema) => !knownSchemas.has(schema));
      if (missing.length === 0) return;
      await withConnection(async (connection) => {
        for (const schema of missing) {
          await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteDuckdbIdentifier(schema)}`);
          knownSchemas.add(schema);
        }
      });
    },

    describe: () => `duckdb ${rawPath === ':memory:' ? '(in memory)' : rawPath}, ${target.threads} thread${target.threads === 1 ? '' : 's'}`,

    materialize(model: ModelToMaterialize, options): Promise<MaterializeResult> {
      return withConnection(async (connection) => {
        const relation = model.relationName;
        const existing = relationKind(model.schema, model.identifier);
        const statements: string[] = [];
        const offsets = new Map<number, number>();
        ensureSchema(statements, model.schema);
        const dropOther = (kind: 'table' | 'view') => {
          if (existing === kind) statements.push(`DROP ${kind.toUpperCase()} ${relation}`);
        };
        let executedSql = model.compiledSql;
        let verb: string;
        if (model.materialized === 'view') {
          dropOther('table');
          offsets.set(statements.length, 1);
          statements.push(wrap(`CREATE OR REPLACE VIEW ${relation} AS (`, executedSql));
          verb = 'CREATE VIEW';
        } else if (model.config.materialized === 'incremental' && existing === 'table' && !fullRefreshOf(model.config, options.fullRefresh)) {
          executedSql = model.renderIncremental().text;
          const staged = `${quoteDuckdbIdentifier(`__tsdbt_new_${model.identifier}`)}`;
          // Stage the new rows first to learn their columns for on_schema_change.
          guard();
          await connection.run(wrap(`CREATE OR REPLACE TEMP TABLE ${staged} AS (`, executedSql)).catch((error) => {
            throw toQueryError(error, 1);
          });
          try {
            const plan = incrementalStatements({
              model,
              staged,
              config: model.config.incremental,
              targetColumns: await columnsOf(connection, relation),
              stagedColumns: await columnsOf(connection, staged),
            });
            statements.push(...plan.statements);
            verb = plan.verb;
            const before = await countRows(connection, relation);
            await transaction(connection, statements, offsets);
            relations.set(relationKey(model.schema, model.identifier), 'table');
            const after = await countRows(connection, relation);
            const newRows = await countRows(connection, staged);
            knownSchemas.add(model.schema);
            return {
              rowsAffected: newRows,
              message: `${verb} (${newRows} new rows, ${after - before >= 0 ? '+' : ''}${after - before} net)`,
              statements: [`CREATE TEMP TABLE ${staged} AS (\n${executedSql}\n)`, ...statements],
              executedSql,
            };
          } finally {
            await connection.run(`DROP TABLE IF EXISTS ${staged}`).catch(() => undefined);
          }
        } else {
          dropOther('view');
          offsets.set(statements.length, 1);
          statements.push(wrap(`CREATE OR REPLACE TABLE ${relation} AS (`, executedSql));
          verb = 'CREATE TABLE';
        }
        await transaction(connection, statements, offsets);
        knownSchemas.add(model.schema);
        relations.set(relationKey(model.schema, model.identifier), model.materialized === 'view' ? 'view' : 'table');
        const rows = model.materialized === 'view' ? undefined : await countRows(connection, relation);
        return { rowsAffected: rows, message: rows === undefined ? verb : `${verb} (${rows} rows)`, statements, executedSql };
      });
    },

    loadSeed(seed: SeedToLoad): Promise<MaterializeResult> {
      return withConnection(async (connection) => {
        const statements: string[] = [];
        ensureSchema(statements, seed.schema);
        const existing = relationKind(seed.schema, seed.identifier);
        if (existing === 'view') statements.push(`DROP VIEW ${seed.relationName}`);
        const args = [duckdbLiteral(seed.csvPath), 'header = true', 'auto_detect = true'];
        const { columnTypes } = seed.config;
        if (Object.keys(columnTypes).length > 0) {
          args.push(
            `types = {${Object.entries(columnTypes)
              .map(([c, t]) => `${duckdbLiteral(c)}: ${duckdbLiteral(t)}`)
              .join(', ')}}`,
          );
        }
        if (seed.config.delimiter) args.push(`delim = ${duckdbLiteral(seed.config.delimiter)}`);
        statements.push(`CREATE OR REPLACE TABLE ${seed.relationName} AS SELECT * FROM read_csv(${args.join(', ')})`);
        await transaction(connection, statements, new Map());
        knownSchemas.add(seed.schema);
        relations.set(relationKey(seed.schema, seed.identifier), 'table');
        const rows = await countRows(connection, seed.relationName);
        return { rowsAffected: rows, message: `INSERT ${rows}`, statements };
      });
    },

    query(sql: string, limit?: number): Promise<QueryResult> {
      return withConnection(async (connection) => {
        const body = sqlBody(sql);
        const text = limit === undefined ? body : `SELECT * FROM (\n${body}\n) AS __tsdbt_preview LIMIT ${limit}`;
        try {
          const reader = await connection.runAndReadAll(text);
          return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Array<Record<string, unknown>> };
        } catch (error) {
          throw toQueryError(error, limit === undefined ? 0 : 1);
        }
      });
    },

    async attachForDeferral(location: string) {
      if (databasePath !== ':memory:' && resolve(location) === databasePath) return '';
      await withConnection(async (connection) => {
        await connection.run(`ATTACH IF NOT EXISTS ${duckdbLiteral(location)} AS ${DEFER_CATALOG} (READ_ONLY)`).catch((error: Error) => {
          throw new TsdbtError(`cannot open the --state database ${location}: ${error.message.split('\n')[0]}`, {
            code: 'E_DEFER',
            kind: 'config',
            hint: 'the state target must be a DuckDB file that exists and is not being written',
          });
        });
      });
      return `${DEFER_CATALOG}.`;
    },

    async cancelAll() {
      cancelled = true;
      for (const connection of busy) connection.interrupt();
    },

    async close() {
      for (const connection of [...idle, ...busy]) connection.closeSync();
      idle.length = 0;
      busy.clear();
      instance?.closeSync();
      instance = undefined;
    },
  };
}

/** DuckDB error → QueryError with the line inside the model SQL (DuckDB counts from 1). */
function toQueryError(error: unknown, headerLines: number | undefined): QueryError {
  const message = String((error as Error).message ?? error);
  const line = /LINE (\d+):/.exec(message);
  const sqlLine = line && headerLines !== undefined ? Number(line[1]) - headerLines : undefined;
  const cancelled = /INTERRUPT|interrupted/i.test(message);
  const reason = /^(\w+ Error):/.exec(message)?.[1];
  // The excerpt after "LINE n:" repeats the SQL with a caret; the line number is kept as sqlLine.
  return new QueryError(message.split('\n\nLINE')[0]!.trim(), sqlLine !== undefined && sqlLine > 0 ? sqlLine : undefined, reason, cancelled);
}
