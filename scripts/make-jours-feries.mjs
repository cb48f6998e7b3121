#!/usr/bin/env node
// Writes seeds/jours_feries.csv: French national public holidays (jours fériés, Code du travail
// art. L3133-1) for the years the lake covers, computed - not copied - from the calendar rules:
// fixed dates plus Easter Monday, Ascension Thursday and Whit Monday from the Gregorian
// computus (Meeus/Jones/Butcher). Alsace-Moselle's two extra days (Good Friday, 26 December)
// are regional and not listed (see docs/energy-project.md, data caveats).
//
//   node scripts/make-jours-feries.mjs            # deterministic: same bytes every run

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIRST_YEAR = 2010;
const LAST_YEAR = 2027;

function easterSunday(year) {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86400000;

const rows = [];
for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
  const easter = easterSunday(year);
  const fixed = (month, day) => Date.UTC(year, month - 1, day);
  rows.push(
    [fixed(1, 1), "Jour de l'an"],
    [easter + DAY, 'Lundi de Pâques'],
    [fixed(5, 1), 'Fête du Travail'],
    [fixed(5, 8), 'Victoire 1945'],
    [easter + 39 * DAY, 'Ascension'],
    [easter + 50 * DAY, 'Lundi de Pentecôte'],
    [fixed(7, 14), 'Fête nationale'],
    [fixed(8, 15), 'Assomption'],
    [fixed(11, 1), 'Toussaint'],
    [fixed(11, 11), 'Armistice 1918'],
    [fixed(12, 25), 'Noël'],
  );
}
rows.sort((a, b) => a[0] - b[0]);
const csv = `${['date,nom', ...rows.map(([ms, name]) => `${iso(ms)},${name}`)].join('\n')}\n`;
writeFileSync(join(ROOT, 'seeds', 'jours_feries.csv'), csv);
console.log(`seeds/jours_feries.csv: ${rows.length} public holidays ${FIRST_YEAR}-${LAST_YEAR}`);
