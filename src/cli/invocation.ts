import { randomUUID } from 'node:crypto';
import type { InvocationInfo } from '../artifacts/schema-versions.js';
import type { OpenedProject } from '../open-project.js';
import { openProject } from '../open-project.js';
import type { Flags } from './flags.js';

export function invocationFor(opened: OpenedProject): InvocationInfo {
  return { invocationId: randomUUID(), generatedAt: new Date().toISOString(), adapterType: opened.target.type, targetName: opened.target.name };
}

export function openFromFlags(flags: Flags): Promise<OpenedProject> {
  return openProject({ projectDir: flags.projectDir, profilesDir: flags.profilesDir, target: flags.target, threads: flags.threads, vars: flags.vars });
}

/** The invocation's arguments as run_results.json records them (no secrets: flags only). */
export function argsRecord(command: string, flags: Flags): Record<string, unknown> {
  return {
    which: command,
    select: flags.select ?? [],
    exclude: flags.exclude ?? [],
    target: flags.target ?? null,
    threads: flags.threads ?? null,
    full_refresh: flags.fullRefresh,
    fail_fast: flags.failFast,
    vars: flags.vars ?? '{}',
    project_dir: flags.projectDir ?? '.',
    log_format: flags.logFormat,
  };
}
