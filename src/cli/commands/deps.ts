import { installPackages } from '../../api/deps.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';

/** `tsdbt deps`: installs the packages of packages.yml (or project.yml packages:) with npm. */
export async function depsCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const outcome = installPackages(flags.projectDir ?? process.cwd());
  for (const pkg of outcome.installed) reporter.onInfo(`installed ${pkg.npm}: its macros and tests are ${pkg.namespace}.<name>`);
  for (const pkg of outcome.skipped) reporter.onInfo(`${pkg.name}: ${pkg.why}`);
  if (outcome.installed.length === 0 && outcome.skipped.length === 0)
    reporter.onInfo('no packages to install: list them in packages.yml (- npm: name, version: range; or - local: folder)');
  return 0;
}
