import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../main.js';
import type { Flags } from '../flags.js';

/** `tsdbt lake ls|push`: local lake ↔ GCS (arrives with the BigQuery adapter). */
export async function lakeCommand(flags: Flags, _context: CommandContext): Promise<number> {
  throw new TsdbtError(`tsdbt lake ${flags.args[0] ?? ''} is not available yet`, { code: 'E_USAGE', kind: 'usage', hint: 'it arrives with the BigQuery adapter' });
}
