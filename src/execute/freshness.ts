import { QueryError, type Adapter } from '../adapters/adapter.js';
import type { SourceTable } from '../project/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { timingSince } from './timing.js';
import type { NodeResult, NodeStatus } from './types.js';

interface Threshold {
  count: number;
  period: 'minute' | 'hour' | 'day';
}

export interface FreshnessRule {
  warnAfter?: Threshold;
  errorAfter?: Threshold;
  filter?: string;
}

const SECONDS: Record<Threshold['period'], number> = { minute: 60, hour: 3600, day: 86400 };

/** The source's freshness rule, or undefined when it has none (dbt: `freshness: null` disables). */
export function freshnessRule(source: SourceTable): FreshnessRule | undefined {
  const raw = source.freshness as Record<string, unknown> | null | undefined;
  if (!raw || !source.loadedAtField) return undefined;
  const threshold = (key: string): Threshold | undefined => {
    const value = raw[key] as { count?: unknown; period?: unknown } | undefined;
    if (!value) return undefined;
    const count = Number(value.count);
    const period = String(value.period);
    if (!Number.isFinite(count) || count <= 0 || !(period in SECONDS)) {
      throw new TsdbtError(`source ${source.sourceName}.${source.name}: freshness ${key} needs a positive count and a period of minute, hour or day`, {
        code: 'E_FRESHNESS',
        kind: 'project',
        location: source.location,
        hint: `write ${key}: {count: 12, period: hour}`,
      });
    }
    return { count, period: period as Threshold['period'] };
  };
  const rule = { warnAfter: threshold('warn_after'), errorAfter: threshold('error_after'), filter: raw.filter ? String(raw.filter) : undefined };
  return rule.warnAfter || rule.errorAfter ? rule : undefined;
}

export interface FreshnessResult extends NodeResult {
  maxLoadedAt: string | null;
  snapshottedAt: string;
  ageSeconds: number | null;
  criteria: FreshnessRule;
}

/** max(loaded_at_field) against the warn/error thresholds. */
export async function checkFreshness(source: SourceTable, rule: FreshnessRule, adapter: Adapter, lakeRoot: string): Promise<FreshnessResult> {
  const started = new Date();
  const sql = adapter.planner.freshness(source, lakeRoot, source.loadedAtField!, rule.filter);
  const field = source.loadedAtField!;
  const base = {
    uniqueId: source.uniqueId,
    name: `${source.sourceName}.${source.name}`,
    resourceType: 'source',
    threadId: 'Thread-1',
    criteria: rule,
  };
  const finish = (status: NodeStatus, message: string, row?: Record<string, unknown>): FreshnessResult => ({
    ...base,
    status,
    message,
    maxLoadedAt: row?.max_loaded_at === undefined || row.max_loaded_at === null ? null : String(row.max_loaded_at),
    snapshottedAt: row?.snapshotted_at ? String(row.snapshotted_at) : new Date().toISOString(),
    ageSeconds: row?.age_seconds === undefined || row.age_seconds === null ? null : Number(row.age_seconds),
    ...timingSince(started),
  });
  let row: Record<string, unknown> | undefined;
  try {
    row = (await adapter.connection.query(sql)).rows[0];
  } catch (error) {
    return finish('error', error instanceof QueryError ? error.message : (error as Error).message);
  }
  if (!row || row.age_seconds === null || row.age_seconds === undefined) return finish('error', `no rows: max(${field}) is NULL`, row);
  const age = Number(row.age_seconds);
  const over = (t?: Threshold) => t !== undefined && age > t.count * SECONDS[t.period];
  const ago = describeAge(age);
  if (over(rule.errorAfter))
    return finish('error', `last loaded ${ago} ago, more than error_after ${rule.errorAfter!.count} ${rule.errorAfter!.period}(s)`, row);
  if (over(rule.warnAfter)) return finish('warn', `last loaded ${ago} ago, more than warn_after ${rule.warnAfter!.count} ${rule.warnAfter!.period}(s)`, row);
  return finish('pass', `last loaded ${ago} ago`, row);
}

function describeAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} days`;
}
