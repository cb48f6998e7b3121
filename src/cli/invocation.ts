import { type OpenedProject, openProject } from '../api/open-project.js';
import { redactSecrets } from '../config/redact.js';
import { parseCliVars } from '../config/vars.js';
import type { Flags } from './flags.js';

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
