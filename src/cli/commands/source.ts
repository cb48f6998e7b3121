import { sourceFreshness } from '../../api/freshness.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';
import type { CommandContext } from '../command.js';

/** `tsdbt source freshness`. */
export async function sourceCommand(flags: Flags, { reporter, signal }: CommandContext): Promise<number> {
  if (flags.args[0] !== 'freshness') {
    throw new TsdbtError(`unknown source action "${flags.args[0] ?? ''}"`, { code: 'E_USAGE', kind: 'usage', hint: 'run tsdbt source freshness' });
  }
  const outcome = await sourceFreshness(await openFromFlags(flags), {
    select: flags.select,
    exclude: flags.exclude,
    selection: { selector: flags.selector, indirect: flags.indirectSelection },
    listeners: [reporter],
    signal,
  });
  return outcome.exitCode;
}
