import { join } from 'node:path';
import { createAdapter } from '../../adapters/registry.js';
import { writeCompiledFiles, writeManifest } from '../../artifacts/manifest.js';
import { writeRunResults } from '../../artifacts/run-results.js';
import { runProject } from '../../execute/run-project.js';
import type { ResourceType } from '../../project/types.js';
import type { CommandContext } from '../main.js';
import type { Flags } from '../flags.js';
import { argsRecord, invocationFor, openFromFlags } from '../invocation.js';
import { selectIds } from '../selection.js';

export const seedCommand = (flags: Flags, context: CommandContext) => execute('seed', new Set(['seed']), flags, context);
export const runCommand = (flags: Flags, context: CommandContext) => execute('run', new Set(['model']), flags, context);
export const buildCommand = (flags: Flags, context: CommandContext) => execute('build', new Set(['seed', 'model']), flags, context);

/** load → compile → select → execute → report, for every command that builds relations. */
async function execute(command: string, types: Set<ResourceType>, flags: Flags, { reporter, signal }: CommandContext): Promise<number> {
  const opened = await openFromFlags(flags);
  const { project, target } = opened;
  project.warnings.forEach((w) => reporter.onWarning(w));
  const selected = selectIds(project, flags.select, flags.exclude, types);
  const invocation = invocationFor(opened);
  writeCompiledFiles(project);
  writeManifest(project, invocation);
  if (selected.size === 0) {
    reporter.onWarning(`nothing to ${command}: the selection matched no ${[...types].join(' or ')}`);
    return 0;
  }
  const adapter = await createAdapter(target, opened.config.projectDir);
  await adapter.open();
  try {
    const outcome = await runProject({
      project,
      adapter,
      selected,
      threads: target.threads,
      fullRefresh: flags.fullRefresh,
      failFast: flags.failFast,
      reporter,
      signal,
      command,
      targetName: target.name,
    });
    writeRunResults(join(project.projectDir, project.targetPath), outcome.results, outcome.elapsed, argsRecord(command, flags), invocation);
    if (outcome.interrupted) return 130;
    return outcome.results.some((r) => r.status === 'error' || r.status === 'fail') ? 1 : 0;
  } finally {
    await adapter.close();
  }
}
