// Shared helpers of the sample-lake generator: deterministic noise, calendar arithmetic in
// Europe/Paris (computed, not looked up), and file writing in the real files' byte formats.
// No clock, no Math.random: every run writes the same bytes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LAKE = join(ROOT, 'lake');

/** FNV-1a 32-bit hash of a string, mapped to [0, 1). */
export function unit(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4294967296;
}
/** Centered noise in [-1, 1) for a key. */
export const noise = (key) => unit(key) * 2 - 1;
export const bump = (h, centre, width) => Math.exp(-(((h - centre) / width) ** 2));
export const r = (x) => Math.round(x) + 0; // "+ 0" turns -0 into 0
export const r50 = (x) => Math.round(x / 50) * 50 + 0;
export const fixed = (x, digits) => (Math.round(x * 10 ** digits) / 10 ** digits).toFixed(digits);

export function dayNumber(date) {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86400000);
}
export function addDays(date, n) {
  return new Date((dayNumber(date) + n) * 86400000).toISOString().slice(0, 10);
}
export function* days(first, last) {
  for (let d = first; d <= last; d = addDays(d, 1)) yield d;
}
export function lastSunday(year, month /* 1-12 */) {
  const last = new Date(Date.UTC(year, month, 0));
  return addDays(last.toISOString().slice(0, 10), -last.getUTCDay());
}
export const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** UTC offset (hours) of Europe/Paris at a UTC instant (EU rule since 1996). */
export function parisOffsetAtUtc(ms) {
  const year = new Date(ms).getUTCFullYear();
  const start = Date.parse(`${lastSunday(year, 3)}T01:00:00Z`);
  const end = Date.parse(`${lastSunday(year, 10)}T01:00:00Z`);
  return ms >= start && ms < end ? 2 : 1;
}

/** ISO 8601 with offset, as ODRE writes `Date - Heure`: 2021-12-11T10:00:00+01:00. */
export function isoWithOffset(ms, offsetHours) {
  const local = new Date(ms + offsetHours * 3600000).toISOString().slice(0, 19);
  return `${local}+${String(offsetHours).padStart(2, '0')}:00`;
}

/**
 * UTC instant of a Paris wall-clock time as RTE/ODRE print it. Non-existent spring times take
 * the winter offset; an autumn repeated time takes the summer offset (first occurrence).
 */
export function parisLocalToUtc(date, minute) {
  const naive = Date.parse(`${date}T00:00:00Z`) + minute * 60000;
  const summer = naive - 2 * 3600000;
  if (parisOffsetAtUtc(summer) === 2) return summer;
  return naive - 3600000;
}

export function writeLakeFile(folder, name, text, encoding = 'utf8') {
  const dir = join(LAKE, folder);
  mkdirSync(dir, { recursive: true });
  if (encoding === 'latin1' && /[^\x00-\xff]/.test(text)) throw new Error(`${name}: character outside Latin-1`);
  const bytes = Buffer.from(text, encoding);
  writeFileSync(join(dir, name), bytes);
  return bytes.length;
}

export const BOM = '\ufeff';

/** The RTE liability notice that closes every "xls" download (one field, no TAB). */
export const DISCLAIMER =
  "RTE ne pourra être tenu responsable de l'usage qui pourrait être fait des données mises à " +
  'disposition, ni en cas de prévisions qui se révèleraient imprécises.';

/** A plausible daily mean temperature (°C) for a region and a date, smooth over days. */
export function temperature(code, date) {
  const n = dayNumber(date);
  const doy = (n - dayNumber(`${date.slice(0, 4)}-01-01`)) / 365.25;
  const south = { '93': 3.5, '94': 4, '76': 2.2, '75': 1.4, '84': 0.3, '52': 1, '53': 0.8 }[code] ?? 0;
  const base = 12 + south - 8 * Math.cos(2 * Math.PI * (doy - 0.04));
  const weather = 3 * Math.sin(n / 4.3) + 2 * Math.sin(n / 9.1 + 1) + 1.2 * noise(`t ${date}`) + 0.4 * noise(`t ${code} ${date}`);
  return base + weather;
}

/**
 * Which UTC instant RTE shows on the row of a Paris wall-clock time, as observed in the real
 * files (see docs/energy-project.md, DST rule): a normal time shows its own instant; the
 * non-existent spring-forward hour holds copies (first half-hour: the next hour's value,
 * second half: the previous hour's); the autumn hour printed once shows its first (summer-time)
 * occurrence in its first half-hour and its second (winter-time) occurrence in its second.
 */
export function rteShownInstant(date, minute) {
  const naive = Date.parse(`${date}T00:00:00Z`) + minute * 60000;
  const winter = naive - 3600000;
  const summer = naive - 7200000;
  const isWinter = parisOffsetAtUtc(winter) === 1;
  const isSummer = parisOffsetAtUtc(summer) === 2;
  const firstHalf = minute % 60 < 30;
  if (isWinter && isSummer) return { ms: firstHalf ? summer : winter, kind: 'ambiguous' };
  if (isWinter) return { ms: winter, kind: 'normal' };
  if (isSummer) return { ms: summer, kind: 'normal' };
  return { ms: firstHalf ? naive - 3600000 : naive - 7200000, kind: 'nonexistent' };
}

/** Local (Paris) date and minute of day of a UTC instant. */
export function parisLocal(ms) {
  const local = new Date(ms + parisOffsetAtUtc(ms) * 3600000);
  return { date: local.toISOString().slice(0, 10), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}
