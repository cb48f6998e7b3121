import { preview } from '../../api/show.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';
import { rowsTable } from '../rows-table.js';
import type { CommandContext } from '../command.js';

/** Prints the first rows of a model's compiled SELECT (or inline SQL). */
export async function showCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const opened = await openFromFlags(flags);
  const result = await preview(opened, { select: flags.select, inline: flags.inline, limit: flags.limit });
  if (flags.output === 'json' || flags.logFormat === 'json') {
    reporter.onOutput(JSON.stringify({ show: result.label, rows: result.rows }), { show: result.label, rows: result.rows });
    return 0;
  }
  reporter.onInfo(`Previewing ${result.label} (${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, limit ${flags.limit}):`);
  reporter.onOutput(rowsTable(result));
  return 0;
}
