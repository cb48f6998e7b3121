import { type BuildCommand, build } from '../../api/build.js';
import type { Flags } from '../flags.js';
import { argsRecord, batchSelectionOf, openFromFlags } from '../invocation.js';
import type { CommandContext } from '../command.js';

export const seedCommand = (flags: Flags, context: CommandContext) => buildCommandOf('seed', flags, context);
export const snapshotCommand = (flags: Flags, context: CommandContext) => buildCommandOf('snapshot', flags, context);
export const runCommand = (flags: Flags, context: CommandContext) => buildCommandOf('run', flags, context);
export const testCommand = (flags: Flags, context: CommandContext) => buildCommandOf('test', flags, context);
export const buildCommand = (flags: Flags, context: CommandContext) => buildCommandOf('build', flags, context);

/** The flags of seed/run/test/build → build(), reported by the console or JSON reporter. */
async function buildCommandOf(command: BuildCommand, flags: Flags, { reporter, signal }: CommandContext): Promise<number> {
  const opened = await openFromFlags(flags);
  const outcome = await build(opened, {
    command,
    select: flags.select,
    exclude: flags.exclude,
    selection: { selector: flags.selector, indirect: flags.indirectSelection },
    state: flags.state,
    defer: flags.defer,
    favorState: flags.favorState,
    fullRefresh: flags.fullRefresh,
    reuse: flags.reuse,
    batches: batchSelectionOf(flags),
    failFast: flags.failFast,
    batchTests: flags.batch,
    dryRun: flags.dryRun,
    empty: flags.empty,
    junitPath: flags.junit,
    listeners: [reporter],
    signal,
    args: argsRecord(command, flags),
  });
  return outcome.exitCode;
}
