import { runOperation } from '../../api/run-operation.js';
import { parseCliMapping } from '../../config/vars.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';
import { rowsTable } from '../rows-table.js';

/** `tsdbt run-operation <macro> [--args '{…}']`: runs the SQL a macro renders and prints its rows. */
export async function runOperationCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const [macro, ...rest] = flags.args;
  if (!macro || rest.length > 0) {
    throw new TsdbtError('run-operation takes one macro name', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: "e.g. tsdbt run-operation grant_select --args '{role: reporter}'",
    });
  }
  const args = parseCliMapping(flags.operationArgs, '--args');
  const opened = await openFromFlags(flags);
  const outcome = await runOperation(opened, macro, args);
  if (outcome.sql === '') {
    reporter.onInfo(`${macro} rendered no SQL: nothing ran`);
    return 0;
  }
  if (flags.output === 'json' || flags.logFormat === 'json') {
    reporter.onOutput(JSON.stringify({ operation: macro, rows: outcome.rows }), { operation: macro, rows: outcome.rows });
    return 0;
  }
  reporter.onInfo(`Ran ${macro} (${outcome.rows.length} row${outcome.rows.length === 1 ? '' : 's'})`);
  if (outcome.columns.length > 0) reporter.onOutput(rowsTable(outcome));
  return 0;
}
