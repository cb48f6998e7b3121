import { join } from 'node:path';
import { build } from '../../api/build.js';
import { hasMaskedValue, planRetry } from '../../api/retry.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { argsRecord, batchSelectionOf, openFromFlags } from '../invocation.js';

/**
 * `tsdbt retry`: the nodes the last seed/snapshot/run/test/build left errored, failed or skipped, run again
 * with that invocation's arguments (flags given to retry win), and nothing else.
 */
export async function retryCommand(flags: Flags, { reporter, signal }: CommandContext): Promise<number> {
  const config = loadProjectConfig(flags.projectDir ?? process.cwd());
  const plan = planRetry(config.targetPath);
  if (plan.nodes.length === 0) {
    reporter.onInfo(`Nothing to retry: every node of the last tsdbt ${plan.command} (${plan.generatedAt}) succeeded`);
    return 0;
  }
  const recorded = plan.args;
  if (flags.vars === undefined && hasMaskedValue(recorded.vars)) {
    throw new TsdbtError('the last invocation passed --vars with secret values, masked in run_results.json: retry cannot replay them', {
      code: 'E_RETRY',
      kind: 'usage',
      location: { file: join(config.targetPath, 'run_results.json') },
      hint: "pass the same --vars to retry: tsdbt retry --vars '{…}'",
    });
  }
  const replayed: Flags = {
    ...flags,
    target: flags.target ?? recorded.target ?? undefined,
    threads: flags.threads ?? recorded.threads ?? undefined,
    vars: flags.vars ?? (recorded.vars && Object.keys(recorded.vars).length > 0 ? JSON.stringify(recorded.vars) : undefined),
    fullRefresh: flags.fullRefresh || Boolean(recorded.full_refresh),
    reuse: flags.reuse && recorded.reuse !== false,
    // A microbatch model's failed batches are missing in the state: the same window builds them again.
    eventTimeStart: flags.eventTimeStart ?? recorded.event_time_start,
    eventTimeEnd: flags.eventTimeEnd ?? recorded.event_time_end,
    restate: flags.restate ?? recorded.restate,
    failFast: flags.failFast || Boolean(recorded.fail_fast),
    state: flags.state ?? recorded.state ?? undefined,
    defer: flags.defer || Boolean(recorded.defer),
    favorState: flags.favorState || Boolean(recorded.favor_state),
    select: recorded.select,
    exclude: recorded.exclude,
  };
  const opened = await openFromFlags(replayed);
  const { project } = opened;
  const known = plan.nodes.filter((id) => project.nodes.has(id) || project.tests.has(id) || project.unitTests.has(id));
  const gone = plan.nodes.filter((id) => !known.includes(id));
  if (gone.length > 0) reporter.onWarning(`not retried, no longer in the project: ${gone.join(', ')}`);
  reporter.onInfo(`Retrying ${known.length} node${known.length === 1 ? '' : 's'} the last tsdbt ${plan.command} left unfinished`);
  const outcome = await build(opened, {
    command: plan.command,
    nodes: new Set(known),
    state: replayed.state,
    defer: replayed.defer,
    favorState: replayed.favorState,
    fullRefresh: replayed.fullRefresh,
    reuse: replayed.reuse,
    batches: batchSelectionOf(replayed),
    failFast: replayed.failFast,
    batchTests: flags.batch,
    junitPath: flags.junit,
    listeners: [reporter],
    signal,
    // Recorded as the command it repeats, so that a retry can be retried.
    args: argsRecord(plan.command, replayed),
  });
  return outcome.exitCode;
}
