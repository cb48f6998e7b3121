/**
 * GoogleSQL analysis offline: Google's ZetaSQL reference analyzer (the npm package
 * @fivetrandevelopers/zetasql ships it as a local gRPC server binary, started by
 * src/adapters/bigquery/zetasql-service.ts). A statement is parsed AND
 * resolved against a catalog of tables, so unknown columns, functions and type errors are caught
 * as well as syntax errors, with line:column.
 */
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto.js';
import { startZetaSqlService, zetasqlPackage } from '../../src/adapters/bigquery/zetasql-service.js';

const zetasql = zetasqlPackage()!;

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

export async function startAnalyzer(): Promise<Analyzer> {
  const service = await startZetaSqlService();
  const { client, languageOptions } = service;
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
      service.release();
    },
  };
}
