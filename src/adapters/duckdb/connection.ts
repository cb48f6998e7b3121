import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { sqlBody } from '../../compile/sql-text.js';
import { MASK } from '../../config/redact.js';
import { onFile } from '../../errors/file-system.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import {
  type CatalogRelation,
  type Column,
  type Connection,
  type ExecutionReport,
  type ExistingRelation,
  QueryError,
  type ResolvedTarget,
  type Statement,
} from '../adapter.js';
import { duckdbLiteral, lakeLocation, quoteDuckdbIdentifier } from './dialect.js';
import { localLakeFile } from './lake-files.js';
import type { DuckdbSettings } from './settings.js';

const DEFER_CATALOG = 'tsdbt_state';

/** Embedded DuckDB: one instance per database file, one connection per thread. */
export function createDuckdbConnection(target: ResolvedTarget<DuckdbSettings>): Connection {
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
    if (cancelled) throw new QueryError('cancelled (interrupted)', { cancelled: true });
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

  /**
   * Runs statements in one transaction; on any failure nothing of it remains. Returns each
   * statement's row count (rows changed, or the count a CREATE … AS reports).
   */
  async function transaction(connection: DuckDBConnection, statements: readonly Statement[]): Promise<number[]> {
    const counts: number[] = [];
    // Statements marked outside the transaction (hooks with transaction: false) run on their own:
    // those at the start before it begins, those at the end after it commits.
    let begin = 0;
    while (begin < statements.length && statements[begin]!.outsideTransaction) begin++;
    let end = statements.length;
    while (end > begin && statements[end - 1]!.outsideTransaction) end--;
    const run = async (index: number) => {
      guard();
      const result = await connection.run(statements[index]!.sql);
      // CREATE … AS reports its rows in a Count column, DML in rowsChanged.
      const count = result.columnNames()[0] === 'Count' ? (await result.getRows())[0]?.[0] : undefined;
      counts.push(Number(count ?? result.rowsChanged));
    };
    const alone = async (index: number) => {
      try {
        await run(index);
      } catch (error) {
        throw toQueryError(error, index);
      }
    };
    for (let index = 0; index < begin; index++) await alone(index);
    if (end > begin) {
      await connection.run('BEGIN TRANSACTION');
      for (let index = begin; index < end; index++) {
        try {
          if (statements[index]!.outsideTransaction) throw new Error(`statement ${index + 1} must run outside the transaction, between statements inside it`);
          await run(index);
        } catch (error) {
          await connection.run('ROLLBACK').catch(() => undefined);
          throw toQueryError(error, index);
        }
      }
      await connection.run('COMMIT');
    }
    for (let index = end; index < statements.length; index++) await alone(index);
    return counts;
  }

  return {
    async open() {
      if (databasePath !== ':memory:') onFile(dirname(databasePath), () => mkdirSync(dirname(databasePath), { recursive: true }), 'create');
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
      await withConnection(async (connection) => {
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
            // DuckDB may quote the value it refused: a secret must not reach the console.
            throw new TsdbtError(`invalid DuckDB setting ${key}: ${error.message.split(String(value)).join(MASK)}`, {
              code: 'E_SETTING',
              kind: 'config',
              location: target.locate('settings'),
              hint: "see DuckDB's configuration reference",
            });
          });
        }
        const reader = await connection.runAndReadAll('SELECT schema_name FROM information_schema.schemata');
        for (const row of reader.getRows()) knownSchemas.add(String(row[0]));
      });
    },

    describe: () => `duckdb ${rawPath === ':memory:' ? '(in memory)' : rawPath}, ${target.threads} thread${target.threads === 1 ? '' : 's'}`,

    async prepareSchemas(schemas) {
      const missing = [...new Set(schemas)].filter((schema) => !knownSchemas.has(schema));
      if (missing.length === 0) return;
      await withConnection(async (connection) => {
        for (const schema of missing) {
          await connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteDuckdbIdentifier(schema)}`);
          knownSchemas.add(schema);
        }
      });
    },

    async prepareSources(plans) {
      if (plans.length === 0) return;
      await withConnection(async (connection) => {
        for (const { plan } of plans) await transaction(connection, plan.statements);
      });
    },

    describeRelation(relation, want) {
      return withConnection(async (connection): Promise<ExistingRelation | undefined> => {
        const found = await connection.runAndReadAll(
          `SELECT table_type FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = ${duckdbLiteral(relation.schema)} AND table_name = ${duckdbLiteral(relation.identifier)}`,
        );
        const type = found.getRows()[0]?.[0];
        if (type === undefined) return undefined;
        const existing: ExistingRelation = { kind: type === 'VIEW' ? 'view' : 'table' };
        if (want.columns) existing.columns = await columnsOf(connection, `DESCRIBE ${relation.relationName}`);
        if (want.rows && existing.kind === 'table') {
          const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${relation.relationName}`);
          existing.rows = Number(counted.getRows()[0]?.[0] ?? 0);
        }
        return existing;
      });
    },

    relationKinds(relations) {
      const wanted = new Map(relations.map((r) => [`${r.schema}\u0000${r.identifier}`, r.relationName]));
      const schemas = [...new Set(relations.map((r) => r.schema))];
      if (schemas.length === 0) return Promise.resolve(new Map());
      const inSchemas = `IN (${schemas.map(duckdbLiteral).join(', ')})`;
      return withConnection(async (connection) => {
        const rows = await connection.runAndReadAll(
          `SELECT schema_name, table_name, 'table' FROM duckdb_tables() WHERE database_name = current_database() AND schema_name ${inSchemas}
           UNION ALL SELECT schema_name, view_name, 'view' FROM duckdb_views() WHERE database_name = current_database() AND schema_name ${inSchemas} AND NOT internal`,
        );
        const kinds = new Map<string, ExistingRelation['kind']>();
        for (const [schema, name, kind] of rows.getRows()) {
          const relationName = wanted.get(`${schema}\u0000${name}`);
          if (relationName !== undefined) kinds.set(relationName, kind === 'view' ? 'view' : 'table');
        }
        return kinds;
      });
    },

    catalog(relations) {
      const wanted = new Map(relations.map((r) => [`${r.schema}\u0000${r.identifier}`, r.relationName]));
      const schemas = [...new Set(relations.map((r) => r.schema))];
      if (schemas.length === 0) return Promise.resolve(new Map());
      const inSchemas = `IN (${schemas.map(duckdbLiteral).join(', ')})`;
      return withConnection(async (connection) => {
        const found = new Map<string, CatalogRelation>();
        // duckdb_tables() keeps each table's exact row count (estimated_size) without a scan; DuckDB
        // keeps no per-table size on disk.
        const relationRows = await connection.runAndReadAll(
          `SELECT schema_name, table_name, 'table' AS kind, estimated_size, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name ${inSchemas}
           UNION ALL SELECT schema_name, view_name, 'view', NULL, comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name ${inSchemas} AND NOT internal`,
        );
        for (const [schema, name, kind, rows, comment] of relationRows.getRows()) {
          const relationName = wanted.get(`${schema}\u0000${name}`);
          if (relationName === undefined) continue;
          found.set(relationName, {
            kind: kind === 'view' ? 'view' : 'table',
            columns: [],
            ...(rows === null ? {} : { rows: Number(rows) }),
            ...(comment ? { comment: String(comment) } : {}),
          });
        }
        const columnRows = await connection.runAndReadAll(
          `SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema ${inSchemas} ORDER BY table_schema, table_name, ordinal_position`,
        );
        for (const [schema, name, column, type] of columnRows.getRows()) {
          const relationName = wanted.get(`${schema}\u0000${name}`);
          if (relationName !== undefined) found.get(relationName)?.columns.push({ name: String(column), type: String(type) });
        }
        return found;
      });
    },

    queryColumns(statement) {
      return withConnection(async (connection) => {
        try {
          return await columnsOf(connection, `DESCRIBE SELECT * FROM (\n${sqlBody(statement.sql)}\n) AS __tsdbt_columns`);
        } catch (error) {
          throw toQueryError(error, 0, 1);
        }
      });
    },

    execute(plan) {
      return withConnection(async (connection): Promise<ExecutionReport> => {
        const counts = await transaction(connection, plan.statements);
        return { newRows: plan.countsNewRows === undefined ? undefined : counts[plan.countsNewRows] };
      });
    },

    async dryRun() {
      throw new TsdbtError('--dry-run needs an engine with dry runs (BigQuery); DuckDB runs the statements for real', {
        code: 'E_DRY_RUN',
        kind: 'usage',
        hint: 'drop --dry-run, or use a BigQuery target',
      });
    },

    async lakeFiles(source, lakeRoot) {
      // DuckDB's own glob: exactly the files its reader would read, named as the reader names them.
      const listed = await this.query(`SELECT file FROM glob(${duckdbLiteral(lakeLocation(source, lakeRoot))}) ORDER BY file`);
      return Promise.all(listed.rows.map((row) => localLakeFile(String(row.file))));
    },

    query(sql, limit) {
      return withConnection(async (connection) => {
        const body = sqlBody(sql);
        const text = limit === undefined ? body : `SELECT * FROM (\n${body}\n) AS __tsdbt_preview LIMIT ${limit}`;
        try {
          const reader = await connection.runAndReadAll(text);
          return { columns: reader.columnNames(), rows: reader.getRowObjectsJson() as Array<Record<string, unknown>> };
        } catch (error) {
          throw toQueryError(error, 0, limit === undefined ? 0 : 1);
        }
      });
    },

    async attachForDeferral(recorded, stateDir) {
      // The path the state recorded, or the same file name beside the state's manifest (a state
      // downloaded from CI artifacts carries its database along).
      const candidates = [...(stateDir ? [join(resolve(stateDir), basename(recorded))] : []), resolve(recorded)];
      const location = candidates.find((candidate) => existsSync(candidate));
      if (!location) {
        throw new TsdbtError(`the --state database is missing: ${candidates.join(' and ')} do not exist`, {
          code: 'E_DEFER',
          kind: 'config',
          hint: `copy the state run's database file (${basename(recorded)}) beside its manifest.json in ${stateDir ?? 'the --state folder'}, or drop --defer`,
        });
      }
      if (databasePath !== ':memory:' && location === databasePath) return '';
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

async function columnsOf(connection: DuckDBConnection, describe: string): Promise<Column[]> {
  const reader = await connection.runAndReadAll(describe);
  return reader.getRowObjectsJson().map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
}

/**
 * DuckDB error → QueryError: the failing statement, and DuckDB's "LINE n" within it (minus the
 * lines tsdbt put before the SQL it was given, for queries it wrapped).
 */
function toQueryError(error: unknown, statement: number, wrapperLines = 0): QueryError {
  const message = String((error as Error).message ?? error);
  const line = /LINE (\d+):/.exec(message);
  const cancelled = /INTERRUPT|interrupted/i.test(message);
  const reason = /^(\w+ Error):/.exec(message)?.[1];
  const at = line ? Number(line[1]) - wrapperLines : undefined;
  // The excerpt after "LINE n:" repeats the SQL with a caret; the line number is kept.
  return new QueryError(message.split('\n\nLINE')[0]!.trim(), { reason, cancelled, statement, line: at !== undefined && at > 0 ? at : undefined });
}
