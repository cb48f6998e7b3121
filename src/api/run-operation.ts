import { QueryError, type QueryResult } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/registry.js';
import { didYouMean } from '../errors/suggest.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { OpenedProject } from './open-project.js';

export interface OperationOutcome extends QueryResult {
  /** The SQL the macro rendered, as it ran. */
  sql: string;
}

/**
 * `tsdbt run-operation <macro> --args '{…}'`: the macro rendered with the arguments (a SQL
 * macro's by name, a JS helper's in order) and its SQL run on the target; the last statement's
 * rows come back.
 */
export async function runOperation(opened: OpenedProject, macro: string, args: Record<string, unknown>): Promise<OperationOutcome> {
  const { project } = opened;
  // A SQL macro takes its declared params by name; a JS helper its arguments in --args order.
  const sqlMacro = project.macros.some(
    (m) => m.originalFilePath.endsWith('.sql') && (m.packageName === project.name ? m.name : `${m.packageName}.${m.name}`) === macro,
  );
  const call = `{{${macro}${Object.entries(args)
    .map(([key, value]) => ` ${sqlMacro ? `${key}=` : ''}${handlebarsLiteral(value, key)}`)
    .join('')}}}`;
  const sql = renderCall(opened, macro, call);
  if (sql === '') return { sql, columns: [], rows: [] };
  const { connection } = await createAdapter(opened.target);
  await connection.open();
  try {
    return { sql, ...(await connection.query(sql)) };
  } catch (error) {
    if (error instanceof QueryError) {
      throw new TsdbtError(`run-operation ${macro} failed: ${error.message}`, {
        code: 'E_QUERY',
        kind: 'runtime',
        hint: `the macro rendered:\n${sql}`,
      });
    }
    throw error;
  } finally {
    await connection.close();
  }
}

/** The macro's SQL; a name that is no SQL macro nor JS helper gets the project's macro names. */
function renderCall(opened: OpenedProject, macro: string, call: string): string {
  const { project } = opened;
  try {
    return project.renderAdHoc(call, `run-operation ${macro}`).trim();
  } catch (error) {
    if (!(error instanceof TsdbtError) || !['E_TEMPLATE_UNKNOWN_HELPER', 'E_TEMPLATE_UNKNOWN_NAME'].includes(error.code)) throw error;
    const names = project.macros.map((m) => (m.packageName === project.name ? m.name : `${m.packageName}.${m.name}`));
    throw new TsdbtError(`no macro named "${macro}"`, {
      code: 'E_USAGE',
      kind: 'usage',
      hint: didYouMean(macro, names) ?? 'run-operation takes a SQL macro of macros/ (file name) or a function a macros/*.mjs file exports',
    });
  }
}

/** An --args value as a Handlebars argument: literals, lists as (list …), mappings as (dict …). */
function handlebarsLiteral(value: unknown, key: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    if (!value.includes('"')) return `"${value}"`;
    if (!value.includes("'")) return `'${value}'`;
    throw new TsdbtError(`--args ${key}: a text holding both kinds of quote cannot be passed to a macro`, {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'use one kind of quote in the value',
    });
  }
  if (Array.isArray(value)) return `(list${value.map((v) => ` ${handlebarsLiteral(v, key)}`).join('')})`;
  if (value instanceof Date) return `"${value.toISOString().slice(0, 10)}"`;
  return `(dict${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => ` "${k}" ${handlebarsLiteral(v, `${key}.${k}`)}`)
    .join('')})`;
}
