import { cleanProject } from '../../api/clean.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';

/** `tsdbt clean`: removes the clean-targets of project.yml (default: target/). */
export async function cleanCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const outcome = cleanProject(flags.projectDir ?? process.cwd());
  for (const folder of outcome.removed) reporter.onInfo(`Removed ${folder}/`);
  if (outcome.removed.length === 0)
    reporter.onInfo(`Nothing to clean: ${outcome.absent.map((f) => `${f}/`).join(', ')} ${outcome.absent.length === 1 ? 'does' : 'do'} not exist`);
  return 0;
}
