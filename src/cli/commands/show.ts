import Table from 'cli-table3';
import { createAdapter } from '../../adapters/registry.js';
import { QueryError } from '../../adapters/adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../main.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';
import { selectIds } from '../selection.js';

/** Runs a model's compiled SELECT (or inline SQL) and prints the first rows. */
export async function showCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  if ((flags.inline === undefined) === (flags.select === undefined)) {
    throw new TsdbtError('show needs exactly one of --select <model> or --inline "<sql>"', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'e.g. tsdbt show --select my_model --limit 20',
    });
  }
  const opened = await openFromFlags(flags);
  const { project } = opened;
  let sql: string;
  let label: string;
  let file = '--inline';
  if (flags.inline !== undefined) {
    sql = project.renderAdHoc(flags.inline, '--inline');
    label = 'inline query';
  } else {
    const ids = [...selectIds(project, flags.select, undefined, new Set(['model', 'seed']))];
    if (ids.length !== 1) {
      throw new TsdbtError(`show --select must match exactly one model or seed, matched ${ids.length}`, {
        code: 'E_USAGE',
        kind: 'usage',
        hint: 'name a single model, e.g. --select my_model',
      });
    }
    const node = project.nodes.get(ids[0]!)!;
    sql = node.resourceType === 'seed' ? `SELECT * FROM ${node.relationName}` : node.compiledCode;
    label = node.name;
    file = node.originalFilePath;
  }
  const adapter = await createAdapter(opened.target);
  await adapter.open();
  try {
    const result = await adapter.query(sql, flags.limit);
    if (flags.output === 'json' || flags.logFormat === 'json') {
      reporter.onOutput(JSON.stringify({ show: label, rows: result.rows }), { show: label, rows: result.rows });
      return 0;
    }
    const table = new Table({ head: result.columns, style: { head: [], border: [], compact: true } });
    for (const row of result.rows) table.push(result.columns.map((c) => formatCell(row[c])));
    reporter.onInfo(`Previewing ${label} (${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, limit ${flags.limit}):`);
    reporter.onOutput(table.toString());
    return 0;
  } catch (error) {
    if (error instanceof QueryError) {
      throw new TsdbtError(error.message, { code: 'E_QUERY', kind: 'runtime', location: { file }, hint: 'fix the SQL and try again' });
    }
    throw error;
  } finally {
    await adapter.close();
  }
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
