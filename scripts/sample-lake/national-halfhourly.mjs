// ODRE national half-hourly gas + electricity consumption (`consommation-quotidienne-brute.csv`,
// PROVENANCE §9): `;`, UTF-8 with BOM, CRLF; `Date - Heure` in UTC (+00:00) while `Date`
// (DD/MM/YYYY) and `Heure` are local; rows newest first; electricity half-hourly, gas hourly
// (gas, total and gas statuses empty on :30 rows); spring-forward rows 02:00/02:30 exist with the
// UTC of 03:00/03:30 (copies); the autumn 02:00/02:30 rows carry winter-time UTC; one duplicated
// local (Date, Heure) pair at midnight, with the gas values shifted to the :30 rows for that day.

import { measures } from './national-xls.mjs';
import { BOM, days, hhmm, noise, r, rteShownInstant, writeLakeFile } from './common.mjs';

export const FOLDER = 'national_consumption_halfhourly_odre';
const FILE = 'consommation-quotidienne-brute.csv';
const HEADER = 'Date - Heure;Date;Heure;Consommation brute gaz (MW PCS 0°C) - NaTran;Statut - NaTran;' +
  'Consommation brute gaz (MW PCS 0°C) - Teréga;Statut - Teréga;Consommation brute gaz totale (MW PCS 0°C);' +
  'Consommation brute électricité (MW) - RTE;Statut - RTE;Consommation brute totale (MW);flag_ignore';
const SHIFTED_DAY = '2024-10-20';

const utcText = (ms) => `${new Date(ms).toISOString().slice(0, 19)}+00:00`;
const frDate = (date) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

function gas(date, minute) {
  const month = Number(date.slice(5, 7));
  const winter = month <= 3 || month >= 11 ? 1.6 : month === 10 || month === 4 ? 1.2 : 0.7;
  const natran = r(38000 * winter * (0.9 + 0.1 * Math.cos((2 * Math.PI * (minute / 60 - 7)) / 24)) + 900 * noise(`gn ${date} ${minute}`));
  const terega = r(2600 * winter + 120 * noise(`gt ${date} ${minute}`));
  return { natran, terega };
}

export function generate() {
  const rows = [];
  for (const [first, last] of [['2024-03-01', '2024-04-07'], ['2024-10-12', '2024-11-03']]) {
    for (const date of days(first, last)) {
      for (let minute = 0; minute < 1440; minute += 30) {
        const shown = rteShownInstant(date, minute);
        // ODRE's UTC: non-existent spring times and the autumn hour both get the winter offset.
        const naive = Date.parse(`${date}T00:00:00Z`) + minute * 60000;
        const utc = shown.kind === 'normal' ? shown.ms : naive - 3600000;
        const source = shown.kind === 'nonexistent' ? (minute % 60 < 30 ? minute + 60 : minute - 60) : minute;
        const elec = measures(date, source).consommation;
        const status = date < '2024-06-01' ? 'Définitif' : 'Consolidé';
        const onHour = minute % 60 === 0;
        const shifted = date === SHIFTED_DAY;
        const hasGas = shifted ? !onHour : onHour;
        const g = gas(date, minute - (shifted && !onHour ? 30 : 0));
        const gasCells = hasGas
          ? [g.natran, 'Définitif', g.terega, 'Définitif', g.natran + g.terega]
          : ['', '', '', shifted ? 'Définitif' : '', ''];
        const total = hasGas ? g.natran + g.terega + elec : '';
        rows.push({ utc, date, minute, line: [utcText(utc), frDate(date), hhmm(minute), ...gasCells, elec, status, total, 'non'].join(';') });
        if (shifted && minute === 0) {
          // The duplicated local pair: a second 00:00 row, same UTC, another electricity value.
          const other = elec + r(1800 + 300 * noise('dup'));
          const g0 = gas(date, 0);
          rows.push({ utc, date, minute, line: [utcText(utc), frDate(date), '00:00', g0.natran, 'Définitif', g0.terega, 'Définitif', g0.natran + g0.terega, other, status, g0.natran + g0.terega + other, 'non'].join(';') });
        }
      }
    }
  }
  // Newest first, by local date and time as ODRE sorts.
  rows.sort((a, b) => (a.date === b.date ? b.minute - a.minute : a.date < b.date ? 1 : -1));
  const text = BOM + [HEADER, ...rows.map((x) => x.line)].join('\r\n') + '\r\n';
  writeLakeFile(FOLDER, FILE, text);
  return [{ folder: FOLDER, file: FILE, rows: rows.length }];
}
