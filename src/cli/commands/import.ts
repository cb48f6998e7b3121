import { relative } from 'node:path';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { importDbtProject } from '../../import/import-dbt.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';

/** `tsdbt import dbt <dbt-project> --out <dir>`: exit 0 when nothing is left to do, 1 otherwise. */
export async function importCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const [kind, from] = flags.args;
  if (kind !== 'dbt' || !from) {
    throw new TsdbtError(kind && kind !== 'dbt' ? `tsdbt imports dbt projects, not "${kind}"` : 'import needs the kind and the folder of the project', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'tsdbt import dbt path/to/dbt-project --out new-folder',
    });
  }
  if (!flags.out)
    throw new TsdbtError('import needs --out <dir>: the folder to write the tsdbt project into', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: `tsdbt import dbt ${from} --out new-folder`,
    });
  const outcome = await importDbtProject(from, flags.out);
  const shown = relative(process.cwd(), outcome.outDir) || '.';
  const { translated, macros, copied } = outcome.counts;
  reporter.onInfo(`Imported ${from} into ${shown}: ${translated} SQL files translated, ${macros} macros and generic tests, ${copied} files copied`);
  for (const pkg of outcome.packages) reporter.onInfo(`  package ${pkg.name}: ${pkg.note}`);
  for (const p of outcome.problems) reporter.onWarning(`${shown}/${p.file}:${p.line}:${p.column}: ${p.construct}: ${p.todo}`);
  const left = outcome.problems.length;
  reporter.onInfo(
    left === 0
      ? `Nothing left to do: cd ${shown} && tsdbt build`
      : `${left} thing${left === 1 ? '' : 's'} left to do, listed in ${relative(process.cwd(), outcome.reportPath)}`,
  );
  return left === 0 ? 0 : 1;
}
