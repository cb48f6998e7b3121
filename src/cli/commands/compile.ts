import { writeCompileArtifacts, writeParseArtifacts } from '../../api/compile.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';
import type { CommandContext } from '../command.js';

export async function parseCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const started = performance.now();
  const opened = await openFromFlags(flags);
  opened.project.warnings.forEach((w) => reporter.onWarning(w));
  const { manifestPath } = writeParseArtifacts(opened);
  reporter.onInfo(`${summary(opened.project)} parsed in ${((performance.now() - started) / 1000).toFixed(2)}s → ${manifestPath}`);
  return 0;
}

export async function compileCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const started = performance.now();
  const opened = await openFromFlags(flags);
  const { project } = opened;
  if (flags.inline !== undefined) {
    reporter.onOutput(project.renderAdHoc(flags.inline, '--inline'));
    return 0;
  }
  project.warnings.forEach((w) => reporter.onWarning(w));
  const { compiled: count } = writeCompileArtifacts(opened, {
    select: flags.select,
    exclude: flags.exclude,
    state: flags.state,
    selection: { selector: flags.selector, indirect: flags.indirectSelection },
  });
  reporter.onInfo(`${summary(project)}; ${count} compiled in ${((performance.now() - started) / 1000).toFixed(2)}s → ${project.targetPath}/compiled/`);
  return 0;
}

function summary(project: {
  nodes: Map<string, { resourceType: string }>;
  sources: Map<string, unknown>;
  exposures: Map<string, unknown>;
  macros: unknown[];
}): string {
  const count = { model: 0, seed: 0, snapshot: 0 } as Record<string, number>;
  for (const node of project.nodes.values()) count[node.resourceType] = (count[node.resourceType] ?? 0) + 1;
  const snapshots = count.snapshot ? `${count.snapshot} snapshots, ` : '';
  return `${count.model} models, ${count.seed} seeds, ${snapshots}${project.sources.size} sources, ${project.exposures.size} exposures, ${project.macros.length} macros`;
}
