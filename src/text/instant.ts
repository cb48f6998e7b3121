/** Dates and timestamps as users write them (config begin, --event-time-start, --restate). */

/** A begin: a date (midnight UTC) or an ISO instant; without an offset it is read as UTC. */
export function parseInstant(text: string): Date | undefined {
  const trimmed = text.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(trimmed);
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', se = '00', zone] = match;
  const offset = zone && zone !== 'Z' && !zone.includes(':') ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${se}${offset ?? 'Z'}`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** --restate FROM..TO (or one date), checked: undefined when it is not two dates or timestamps. */
export function parseRestate(text: string): { from: string; to: string } | undefined {
  const [from, to = from, extra] = text.split('..').map((part) => part.trim());
  if (extra !== undefined || !from || !to || !parseInstant(from) || !parseInstant(to)) return undefined;
  return { from, to };
}
