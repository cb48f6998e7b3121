import type { Reporter } from '../reporters/reporter.js';
import type { Flags } from './flags.js';

/** What every command receives besides its flags. */
export interface CommandContext {
  reporter: Required<Reporter>;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

/** A command: parsed flags in, exit code out. */
export type CommandHandler = (flags: Flags, context: CommandContext) => Promise<number>;
