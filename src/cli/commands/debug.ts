import { testConnection } from '../../api/debug.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';

/** Validates the configuration and proves the connection works, printing what it resolved. */
export async function debugCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const opened = await openFromFlags(flags);
  const { config, target, project } = opened;
  reporter.onInfo(`tsdbt debug`);
  reporter.onInfo(`  project:      ${config.name} (${config.file.path} in ${config.projectDir})`);
  reporter.onInfo(`  profiles.yml: ${target.profilesFile}, profile ${target.profileName}`);
  reporter.onInfo(`  target:       ${target.name} (${target.type})`);
  for (const [key, value] of Object.entries(target.display)) {
    reporter.onInfo(`    ${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  reporter.onInfo(
    `  resources:    ${project.nodes.size} models and seeds, ${project.sources.size} sources, ${project.exposures.size} exposures: all parsed and compiled`,
  );
  reporter.onInfo(`  connection:   OK (${await testConnection(opened)})`);
  reporter.onInfo('All checks passed!');
  return 0;
}
