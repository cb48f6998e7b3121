import { randomUUID } from 'node:crypto';
import type { InvocationInfo } from '../artifacts/schema-versions.js';
import type { OpenedProject } from '../open-project.js';
import { openProject } from '../open-project.js';
import { buildManifest } from '../artifacts/manifest.js';
import { compareWithState, readStateManifest, type ManifestLike, type StateComparison } from '../graph/state.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Dialect } from '../compile/dialect.js';
import type { Flags } from './flags.js';

export function invocationFor(opened: OpenedProject): InvocationInfo {
  return {
    invocationId: randomUUID(),
    generatedAt: new Date().toISOString(),
    adapterType: opened.target.type,
    targetName: opened.target.name,
    database: opened.target.database,
  };
}

export function openFromFlags(flags: Flags, relationOverrides?: ReadonlyMap<string, string>, dialect?: Dialect): Promise<OpenedProject> {
  return openProject({
    projectDir: flags.projectDir,
    profilesDir: flags.profilesDir,
    target: flags.target,
    threads: flags.threads,
    vars: flags.vars,
    relationOverrides,
    dialect,
  });
}

/** --state: the project compared with an earlier manifest, for state: selectors and --defer. */
export function stateFromFlags(flags: Flags, opened: OpenedProject, invocation: InvocationInfo): StateComparison | undefined {
  if (flags.defer && !flags.state) {
    throw new TsdbtError('--defer needs --state <dir> (the artifacts of the run to defer to)', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'e.g. --defer --state prod-artifacts/',
    });
  }
  if (!flags.state) return undefined;
  return compareWithState(buildManifest(opened.project, invocation) as ManifestLike, readStateManifest(flags.state));
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
    state: flags.state ?? null,
    defer: flags.defer,
  };
}
