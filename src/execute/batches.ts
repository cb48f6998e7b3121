import type { BatchSize, MicrobatchConfig } from '../compile/node-config.js';
import { parseInstant } from '../text/instant.js';

/** One time batch of a microbatch model: [start, end), instants. */
export interface BatchWindow {
  start: Date;
  end: Date;
}

/** A batch the state table says was built. */
export interface BuiltInterval {
  start: Date;
  end: Date;
  /** Checksum of the model's compiled SQL when the batch was built. */
  checksum: string;
  loadedAt: Date;
}

/**
 * The window a run considers, as typed: --event-time-start / --event-time-end, or --restate. A date
 * alone (2024-03-31) is midnight in each model's batch_timezone; a timestamp without an offset is UTC.
 */
export interface BatchSelection {
  /** Inclusive; default: the model's begin. */
  eventTimeStart?: string;
  /** Exclusive; default: now. */
  eventTimeEnd?: string;
  /** --restate FROM..TO: the batches starting from FROM to TO (inclusive) are rebuilt, and only they. */
  restate?: { from: string; to: string };
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A flag's date or timestamp as an instant, or undefined when it is neither. */
export function flagInstant(text: string, zone: string): Date | undefined {
  const date = DATE_ONLY.exec(text.trim());
  if (date && parseInstant(text)) return new Date(fromWallClock(Number(date[1]), Number(date[2]), Number(date[3]), zone));
  return parseInstant(text);
}

export interface BatchPlan {
  /** Every batch of the window, in order. */
  window: BatchWindow[];
  /** The batches this run builds, in order. */
  toRun: BatchWindow[];
  /** Batches of the window the state does not hold (or holds for other SQL), before this run. */
  missing: BatchWindow[];
  /** Why: "3 missing + 1 lookback", "full refresh", "restate". */
  reason: string;
}

const HOUR = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall clock of an instant in a zone. */
function wallClock(instant: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(
    formatterOf(zone)
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (Europe/Paris in summer: +2 h). */
export function zoneOffset(instant: number, zone: string): number {
  const w = wallClock(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant of a wall-clock time in a zone (a time in a DST gap moves forward, as DuckDB does). */
function fromWallClock(year: number, month: number, day: number, zone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - zoneOffset(guess, zone);
  const second = guess - zoneOffset(first, zone);
  return second;
}

/** The start of the batch holding an instant. */
export function batchStart(instant: Date, size: BatchSize, zone: string): Date {
  const t = instant.getTime();
  if (size === 'hour') {
    const offset = zoneOffset(t, zone);
    return new Date(Math.floor((t + offset) / HOUR) * HOUR - offset);
  }
  const w = wallClock(t, zone);
  if (size === 'day') return new Date(fromWallClock(w.year, w.month, w.day, zone));
  if (size === 'month') return new Date(fromWallClock(w.year, w.month, 1, zone));
  return new Date(fromWallClock(w.year, 1, 1, zone));
}

/** The start of the batch after the one starting at `start`. */
export function nextBatchStart(start: Date, size: BatchSize, zone: string): Date {
  const t = start.getTime();
  if (size === 'hour') return new Date(t + HOUR);
  const w = wallClock(t, zone);
  // Date.UTC normalises day 32 and month 13: the wall clock of the next batch, then its instant.
  const next =
    size === 'day'
      ? new Date(Date.UTC(w.year, w.month - 1, w.day + 1))
      : size === 'month'
        ? new Date(Date.UTC(w.year, w.month, 1))
        : new Date(Date.UTC(w.year + 1, 0, 1));
  return new Date(fromWallClock(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), zone));
}

/** Every batch whose start is in [from, to): the first one starts at the batch holding `from`. */
export function batchesBetween(from: Date, to: Date, size: BatchSize, zone: string): BatchWindow[] {
  const out: BatchWindow[] = [];
  let start = batchStart(from, size, zone);
  while (start.getTime() < to.getTime()) {
    const end = nextBatchStart(start, size, zone);
    out.push({ start, end });
    start = end;
    if (out.length > 1_000_000) throw new Error('more than a million batches: narrow the window (--event-time-start / --event-time-end)');
  }
  return out;
}

const key = (w: { start: Date }) => w.start.getTime();

/**
 * Which batches a run builds: every batch of the window on a full refresh (or when the table is
 * missing); the listed ones with --restate; else the missing ones (gaps included: never built,
 * built for other SQL, or loaded before the batch had ended), plus `lookback` batches before
 * the first missing one.
 */
export function planBatches(
  config: MicrobatchConfig,
  built: readonly BuiltInterval[],
  selection: BatchSelection,
  options: { fullRefresh: boolean; checksum: string; now: Date },
): BatchPlan {
  const zone = config.timezone;
  const at = (text: string) => {
    const instant = flagInstant(text, zone);
    if (!instant) throw new Error(`not a date or timestamp: ${text}`);
    return instant;
  };
  if (selection.restate) {
    const window = batchesBetween(at(selection.restate.from), new Date(at(selection.restate.to).getTime() + 1), config.batchSize, zone);
    return { window, toRun: window, missing: [], reason: `--restate: ${window.length} batch${window.length === 1 ? '' : 'es'}` };
  }
  const from = at(selection.eventTimeStart ?? config.begin);
  const to = selection.eventTimeEnd === undefined ? options.now : at(selection.eventTimeEnd);
  const window = batchesBetween(from, to, config.batchSize, zone);
  if (options.fullRefresh) return { window, toRun: window, missing: window, reason: 'full refresh' };
  const complete = new Map<number, BuiltInterval>();
  for (const interval of built) {
    if (interval.checksum === options.checksum && interval.loadedAt.getTime() >= interval.end.getTime()) complete.set(interval.start.getTime(), interval);
  }
  const missing = window.filter((w) => !complete.has(key(w)));
  if (missing.length === 0) return { window, toRun: [], missing, reason: 'up to date' };
  const changed = built.length > 0 && built.every((interval) => interval.checksum !== options.checksum);
  const first = window.findIndex((w) => key(w) === key(missing[0]!));
  const lookback = window.slice(Math.max(0, first - config.lookback), first);
  const toRun = [...lookback, ...missing].sort((a, b) => key(a) - key(b));
  return {
    window,
    toRun,
    missing,
    reason: changed ? 'the model changed: every batch again' : `${missing.length} missing${lookback.length ? ` + ${lookback.length} lookback` : ''}`,
  };
}

/** "2024-03-31T00:00:00+01:00"-free form used everywhere: ISO in UTC. */
export const isoOf = (date: Date) => date.toISOString();
