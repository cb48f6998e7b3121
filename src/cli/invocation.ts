import { type OpenedProject, openProject } from '../api/open-project.js';
import { redactSecrets } from '../config/redact.js';
import { parseCliVars } from '../config/vars.js';
import type { BatchSelection } from '../execute/batches.js';
import { parseRestate } from '../text/instant.js';
import type { Flags } from './flags.js';

/** The microbatch window of the flags, for build(). */
export function batchSelectionOf(flags: Flags): BatchSelection {
  return {
    eventTimeStart: flags.eventTimeStart,
    eventTimeEnd: flags.eventTimeEnd,
    restate: flags.restate === undefined ? undefined : parseRestate(flags.restate),
  };
}

export function openFromFlags(flags: Flags): Promise<OpenedProject> {
  return openProject({ projectDir: flags.projectDir, profilesDir: flags.profilesDir, target: flags.target, threads: flags.threads, vars: flags.vars });
}

/** The invocation's arguments as run_results.json records them (flags only, secret-looking vars masked). */
export function argsRecord(command: string, flags: Flags): Record<string, unknown> {
  return {
    which: command,
    select: flags.select ?? [],
    exclude: flags.exclude ?? [],
    target: flags.target ?? null,
    threads: flags.threads ?? null,
    full_refresh: flags.fullRefresh,
    ...(flags.reuse ? {} : { reuse: false }),
    // dbt's names for the microbatch window; restate is tsdbt's own.
    ...(flags.eventTimeStart !== undefined ? { event_time_start: flags.eventTimeStart } : {}),
    ...(flags.eventTimeEnd !== undefined ? { event_time_end: flags.eventTimeEnd } : {}),
    ...(flags.restate !== undefined ? { restate: flags.restate } : {}),
    fail_fast: flags.failFast,
    // A mapping, as dbt writes it, with secret-looking values masked (--vars '{api_token: …}').
    vars: redactSecrets(parseCliVars(flags.vars)),
    project_dir: flags.projectDir ?? '.',
    log_format: flags.logFormat,
    state: flags.state ?? null,
    defer: flags.defer,
    favor_state: flags.favorState,
  };
}
