import { join } from 'node:path';
import type { Adapter } from '../../adapters/adapter.js';
import { createAdapter } from '../../adapters/registry.js';
import type { CompiledProject } from '../../compile/types.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
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
  const cancel = () => void adapter.cancelAll();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    if (signal.aborted) return 130;
    await runHooks(opened.config.onRunStart, 'on-run-start', opened.project, adapter);
    if (signal.aborted) return 130;
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
    await runHooks(opened.config.onRunEnd, 'on-run-end', opened.project, adapter);
    return outcome.results.some((r) => r.status === 'error' || r.status === 'fail') ? 1 : 0;
  } finally {
    signal.removeEventListener('abort', cancel);
    await adapter.close();
  }
}

/** project.yml on-run-start / on-run-end: templated SQL statements around the run. */
async function runHooks(hooks: string[], label: string, project: CompiledProject, adapter: Adapter): Promise<void> {
  for (const [index, hook] of hooks.entries()) {
    const sql = project.renderAdHoc(hook, `project.yml ${label}[${index}]`);
    try {
      await adapter.query(sql);
    } catch (error) {
      throw new TsdbtError(`${label} hook ${index + 1} failed: ${(error as Error).message.split('\n\nLINE')[0]}`, {
        code: 'E_HOOK', kind: 'runtime', location: { file: 'project.yml' }, hint: `fix the ${label} statement in project.yml`,
      });
    }
  }
}
