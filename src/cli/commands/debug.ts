import { createAdapter } from '../../adapters/registry.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../main.js';
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
  const adapter = await createAdapter(target);
  try {
    await adapter.open();
    const result = await adapter.query('SELECT 1 AS ok');
    if (Number(result.rows[0]?.ok) !== 1) throw new Error('the test query returned an unexpected result');
    reporter.onInfo(`  connection:   OK (${adapter.describe()})`);
  } catch (error) {
    if (error instanceof TsdbtError) throw error;
    throw new TsdbtError(`connection test failed: ${(error as Error).message.split('\n')[0]}`, {
      code: 'E_CONNECT',
      kind: 'config',
      location: target.locate(),
      hint: 'check the target in profiles.yml, network access and credentials',
    });
  } finally {
    await adapter.close();
  }
  reporter.onInfo('All checks passed!');
  return 0;
}
