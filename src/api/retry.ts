import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MASK } from '../config/redact.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { BuildCommand } from './build.js';

/** What `tsdbt retry` re-runs: the last invocation's command and arguments, and its unfinished nodes. */
export interface RetryPlan {
  command: BuildCommand;
  /** The last invocation's arguments, as run_results.json recorded them. */
  args: RecordedArgs;
  /** Nodes that errored, failed or were skipped, in the order the last run reported them. */
  nodes: string[];
  /** When the last run finished. */
  generatedAt: string;
}

export interface RecordedArgs {
  select?: string[];
  exclude?: string[];
  target?: string | null;
  threads?: number | null;
  full_refresh?: boolean;
  reuse?: boolean;
  event_time_start?: string;
  event_time_end?: string;
  restate?: string;
  fail_fast?: boolean;
  vars?: Record<string, unknown>;
  state?: string | null;
  defer?: boolean;
  favor_state?: boolean;
}

const RETRIED = new Set(['error', 'fail', 'skipped', 'runtime error', 'partial success']);
const COMMANDS = new Set<string>(['seed', 'snapshot', 'run', 'test', 'build']);

/** Reads target/run_results.json of the last seed/snapshot/run/test/build. */
export function planRetry(targetDir: string): RetryPlan {
  const path = join(targetDir, 'run_results.json');
  if (!existsSync(path)) {
    throw new TsdbtError(`no ${path}: there is no earlier run to retry`, {
      code: 'E_RETRY',
      kind: 'usage',
      hint: 'run tsdbt build (or run, test, seed) first; retry re-runs what it left unfinished',
    });
  }
  let parsed: { metadata?: { generated_at?: string }; args?: RecordedArgs & { which?: string }; results?: Array<{ unique_id: string; status: string }> };
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new TsdbtError(`${path} is not valid JSON: ${(error as Error).message}`, {
      code: 'E_RETRY',
      kind: 'config',
      hint: 'run the command again instead of retrying it',
    });
  }
  const which = parsed.args?.which;
  if (!which || !COMMANDS.has(which)) {
    throw new TsdbtError(`the last run_results.json comes from "${which ?? 'an unknown command'}", which retry cannot repeat`, {
      code: 'E_RETRY',
      kind: 'usage',
      hint: 'retry repeats seed, snapshot, run, test and build',
    });
  }
  const { which: _which, ...args } = parsed.args!;
  return {
    command: which as BuildCommand,
    args,
    nodes: (parsed.results ?? []).filter((r) => RETRIED.has(r.status)).map((r) => r.unique_id),
    generatedAt: parsed.metadata?.generated_at ?? '',
  };
}

/** Recorded --vars with masked values cannot be replayed: the caller must pass --vars again. */
export function hasMaskedValue(value: unknown): boolean {
  if (value === MASK) return true;
  if (Array.isArray(value)) return value.some(hasMaskedValue);
  if (value && typeof value === 'object') return Object.values(value).some(hasMaskedValue);
  return false;
}
