/**
 * GoogleSQL analysis offline: Google's ZetaSQL reference analyzer (the npm package
 * @fivetrandevelopers/zetasql ships it as a local gRPC server binary). A statement is parsed AND
 * resolved against a catalog of tables, so unknown columns, functions and type errors are caught
 * as well as syntax errors, with line:column.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js';

const require = createRequire(import.meta.url);
// CommonJS package: loaded with require so its singletons are shared.
const zetasql = require('@fivetrandevelopers/zetasql') as typeof import('@fivetrandevelopers/zetasql');

export interface CatalogColumn {
  name: string;
  /** A TypeProto as the analyzer returns it, or a GoogleSQL type name (STRING, INT64, ...). */
  type: unknown;
  pseudo?: boolean;
}

export interface CatalogTable {
  /** Full name as the SQL writes it inside backticks: project.dataset.table */
  name: string;
  columns: CatalogColumn[];
}

export type Analysis = { ok: true; columns: CatalogColumn[]; statementKind: string } | { ok: false; message: string; line?: number; column?: number };

/** The name of a TypeProto's kind (the analyzer answers with enum numbers). */
export function typeKindName(type: unknown): string {
  const kind = (type as { typeKind?: unknown } | undefined)?.typeKind;
  if (typeof kind === 'string') return kind;
  const entry = Object.entries(zetasql.TypeKind).find(([, n]) => n === kind);
  return entry ? entry[0] : String(kind);
}

export interface Analyzer {
  analyze(sql: string, tables: CatalogTable[]): Promise<Analysis>;
  /** Syntax only (no catalog): for statements over relations whose columns cannot be known offline. */
  parse(sql: string): Promise<Analysis>;
  close(): void;
}

const SIMPLE_TYPES: Record<string, string> = {
  STRING: 'TYPE_STRING',
  INT64: 'TYPE_INT64',
  FLOAT64: 'TYPE_DOUBLE',
  NUMERIC: 'TYPE_NUMERIC',
  BIGNUMERIC: 'TYPE_BIGNUMERIC',
  BOOL: 'TYPE_BOOL',
  DATE: 'TYPE_DATE',
  DATETIME: 'TYPE_DATETIME',
  TIMESTAMP: 'TYPE_TIMESTAMP',
  TIME: 'TYPE_TIME',
  BYTES: 'TYPE_BYTES',
  JSON: 'TYPE_JSON',
  INTERVAL: 'TYPE_INTERVAL',
  GEOGRAPHY: 'TYPE_GEOGRAPHY',
};

/** A type name (`INT64`) as ZetaSQL's TypeProto; a TypeProto (from an earlier analysis) as it is. */
function typeProto(type: unknown): TypeProto {
  if (typeof type !== 'string') return type as TypeProto;
  const kind = SIMPLE_TYPES[type.toUpperCase()];
  if (!kind) throw new Error(`no ZetaSQL type for ${type}`);
  return { typeKind: kind } as TypeProto;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The server binary for this machine, or undefined where the package ships none (Windows). */
export function analyzerBinary(): string | undefined {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return undefined;
  const lib = dirname(require.resolve('@fivetrandevelopers/zetasql'));
  const arch = process.arch.startsWith('arm') ? '_arm' : '';
  return join(lib, 'zetasql', `remote_server${arch}${process.platform === 'darwin' ? '' : '.so'}`);
}

export async function startAnalyzer(): Promise<Analyzer> {
  const binary = analyzerBinary();
  if (!binary) throw new Error(`the ZetaSQL analyzer has no binary for ${process.platform}`);
  const port = await freePort();
  // The server listens on localhost only; its output is not needed.
  const child: ChildProcess = spawn(binary, ['localhost', String(port)], { stdio: 'ignore' });
  // Never outlive the test process, even when it dies without running afterAll.
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  zetasql.ZetaSQLClient.init(port);
  const client = zetasql.ZetaSQLClient.getInstance();
  if (!(await client.testConnection())) {
    child.kill('SIGKILL');
    throw new Error('the ZetaSQL analyzer server did not start');
  }
  const language = await new zetasql.LanguageOptions().enableMaximumLanguageFeatures();
  // BigQuery has INTERVAL arithmetic (date/datetime/timestamp + INTERVAL n unit).
  language.enableLanguageFeature('FEATURE_INTERVAL_TYPE');
  // BigQuery: ALTER VIEW … ALTER COLUMN … SET OPTIONS (column descriptions of views).
  language.enableLanguageFeature('FEATURE_ALTER_VIEWS_ALTER_COLUMN_SET_OPTIONS');
  const languageOptions = language.serialize();
  let serial = 1;
  return {
    async analyze(sql, tables) {
      const catalog = {
        name: 'bigquery',
        table: tables.map((t) => ({
          name: t.name,
          serializationId: serial++,
          column: t.columns.map((c) => ({ name: c.name, type: typeProto(c.type), isPseudoColumn: c.pseudo ?? false })),
        })),
        builtinFunctionOptions: { languageOptions },
      };
      try {
        const response = await client.analyze({
          sqlStatement: sql,
          simpleCatalog: catalog,
          options: { languageOptions, errorMessageMode: 'ERROR_MESSAGE_ONE_LINE' },
        });
        const statement = (response?.resolvedStatement ?? {}) as Record<
          string,
          { outputColumnList?: Array<{ name: string; column: { type: unknown } }> } | undefined
        >;
        const kind = Object.keys(statement).find((k) => statement[k]) ?? 'unknown';
        const query = statement.resolvedQueryStmtNode;
        return { ok: true, statementKind: kind, columns: (query?.outputColumnList ?? []).map((c) => ({ name: c.name, type: c.column.type })) };
      } catch (error) {
        const message = String((error as { details?: string }).details ?? (error as Error).message);
        const at = /\[at (\d+):(\d+)\]/.exec(message);
        return { ok: false, message, line: at ? Number(at[1]) : undefined, column: at ? Number(at[2]) : undefined };
      }
    },
    async parse(sql) {
      try {
        await client.formatSql({ sql });
        return { ok: true, statementKind: 'parsed', columns: [] };
      } catch (error) {
        const message = String((error as { details?: string }).details ?? (error as Error).message);
        const at = /\[at (\d+):(\d+)\]/.exec(message);
        return { ok: false, message, line: at ? Number(at[1]) : undefined, column: at ? Number(at[2]) : undefined };
      }
    },
    close() {
      process.off('exit', kill);
      kill();
    },
  };
}
