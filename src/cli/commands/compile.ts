import { type ParseReport, parseWithCache, type ProjectCounts } from '../../api/parse.js';
import type { Flags } from '../flags.js';
import type { CommandContext } from '../command.js';

export async function parseCommand(flags: Flags, context: CommandContext): Promise<number> {
  const started = performance.now();
  const report = await parseFromFlags('parse', flags, context);
  context.reporter.onInfo(`${summary(report.counts)} parsed ${parsedHow(report, started)} → ${report.manifestPath}`);
  return 0;
}

export async function compileCommand(flags: Flags, context: CommandContext): Promise<number> {
  const started = performance.now();
  if (flags.inline !== undefined) {
    const { openFromFlags } = await import('../invocation.js');
    const { project } = await openFromFlags(flags);
    context.reporter.onOutput(project.renderAdHoc(flags.inline, '--inline'));
    return 0;
  }
  const report = await parseFromFlags('compile', flags, context);
  context.reporter.onInfo(`${summary(report.counts)}; ${report.compiled} compiled ${parsedHow(report, started)} → ${report.targetPath}/compiled/`);
  return 0;
}

async function parseFromFlags(command: 'parse' | 'compile', flags: Flags, { reporter }: CommandContext): Promise<ParseReport> {
  const report = await parseWithCache({
    command,
    projectDir: flags.projectDir,
    profilesDir: flags.profilesDir,
    target: flags.target,
    threads: flags.threads,
    vars: flags.vars,
    partialParse: flags.partialParse,
    ...(command === 'compile'
      ? { select: flags.select, exclude: flags.exclude, state: flags.state, selection: { selector: flags.selector, indirect: flags.indirectSelection } }
      : {}),
  });
  if (report.cacheProblem) reporter.onWarning(report.cacheProblem);
  report.warnings.forEach((w) => reporter.onWarning(w));
  return report;
}

/** "in 0.21s", and why it was that quick when nothing had changed. */
function parsedHow(report: ParseReport, started: number): string {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  return report.reused ? `in ${seconds}s (no file changed since the last parse: ${report.targetPath}/ kept)` : `in ${seconds}s`;
}

function summary(counts: ProjectCounts): string {
  const snapshots = counts.snapshot ? `${counts.snapshot} snapshots, ` : '';
  return `${counts.model} models, ${counts.seed} seeds, ${snapshots}${counts.source} sources, ${counts.exposure} exposures, ${counts.macro} macros`;
}
