// ODRE daily regional temperatures (PROVENANCE §5): `;`, UTF-8 with BOM, CRLF, labelled export
// header, ID `<date>T00:00:00-<code>`, 13 metropolitan regions with INSEE names, rows not
// sorted, dates missing for all regions on some month ends, `-0.0` cells.
// ODRE daily gas storage (PROVENANCE §6): `;`, UTF-8 without BOM, CRLF, API field names, 6
// series (Storengy sites and Teréga), rows not sorted, Teréga ending earlier.

import { BOM, days, fixed, noise, temperature, unit, writeLakeFile } from './common.mjs';

const REGIONS = [
  ['11', 'Île-de-France'], ['24', 'Centre-Val de Loire'], ['27', 'Bourgogne-Franche-Comté'], ['28', 'Normandie'],
  ['32', 'Hauts-de-France'], ['44', 'Grand Est'], ['52', 'Pays de la Loire'], ['53', 'Bretagne'],
  ['75', 'Nouvelle-Aquitaine'], ['76', 'Occitanie'], ['84', 'Auvergne-Rhône-Alpes'],
  ['93', "Provence-Alpes-Côte d'Azur"], ['94', 'Corse'],
];
const TEMPERATURE_DAYS = [['2016-01-01', '2016-04-30'], ['2017-09-01', '2017-09-03'], ['2020-05-01', '2020-05-02']];
const MISSING_DAYS = new Set(['2016-01-31', '2016-03-31']); // month ends missing for every region

/** ODRE prints decimals with at least one digit: 5.0, 8.98, and -0.0 for a negative zero. */
function odreNumber(x) {
  const rounded = Math.round(x * 100) / 100;
  if (rounded === 0 && x < 0) return '-0.0';
  const text = String(rounded + 0);
  return text.includes('.') ? text : `${text}.0`;
}

function temperatures() {
  const rows = [];
  for (const [first, last] of TEMPERATURE_DAYS) {
    for (const date of days(first, last)) {
      if (MISSING_DAYS.has(date)) continue;
      for (const [code, name] of REGIONS) {
        const tmoy = temperature(code, date);
        const spread = 3.5 + 2.5 * unit(`spread ${code} ${date}`);
        const tmin = tmoy - spread + 0.3 * noise(`n ${code} ${date}`);
        const tmax = tmoy + spread;
        const cells = [odreNumber(tmin), odreNumber(tmax), odreNumber((tmin + tmax) / 2)];
        if (code === '94' && date === '2016-02-10') cells[0] = '-0.0';
        rows.push({ order: unit(`temp ${date} ${code}`) + (date < '2016-02-01' ? 0.5 : 0), line: [`${date}T00:00:00-${code}`, date, code, name, ...cells].join(';') });
      }
    }
  }
  rows.sort((a, b) => a.order - b.order); // ODRE order: starts mid-range, dates interleaved
  const header = 'ID;Date;Code INSEE région;Région;TMin (°C);TMax (°C);TMoy (°C)';
  const file = 'temperature-quotidienne-regionale.csv';
  writeLakeFile('temperature_regional', file, BOM + [header, ...rows.map((x) => x.line)].join('\r\n') + '\r\n');
  return { folder: 'temperature_regional', file, rows: rows.length };
}

const SITES = [
  ['Storengy', 'Centre', 52000, 0.34], ['Storengy', 'Saline', 9500, 0.06], ['Storengy', 'Sediane', 19000, 0.13],
  ['Storengy', 'Sediane B', 4200, 0.03], ['Storengy', 'Serene', 33000, 0.22], ['Teréga', 'Teréga', 30000, 0.22],
];

function gasStorage() {
  const rows = [];
  for (const [source, pits, capacity, share] of SITES) {
    let stock = capacity * 0.62;
    const last = source === 'Teréga' ? '2016-04-25' : '2016-04-30';
    for (const date of days('2016-01-01', last)) {
      const national = REGIONS.reduce((s, [code]) => s + temperature(code, date), 0) / REGIONS.length;
      const month = Number(date.slice(5, 7));
      const withdrawal = month <= 3 ? share * (550 + 95 * Math.max(0, 16 - national)) : -share * (300 + 20 * noise(`inj ${date}`));
      stock = Math.max(0, stock - withdrawal + 15 * noise(`${pits} ${date}`));
      rows.push({ order: unit(`gas ${pits} ${date}`), line: [date, String(Number(stock.toFixed(6))), source, pits].join(';') });
    }
  }
  rows.sort((a, b) => a.order - b.order);
  const file = 'stock-quotidien-stockages-gaz.csv';
  writeLakeFile('gas_storage', file, ['date;stock_fin_de_journee;source;pits', ...rows.map((x) => x.line)].join('\r\n') + '\r\n');
  return { folder: 'gas_storage', file, rows: rows.length };
}

export function generate() {
  return [temperatures(), gasStorage()];
}
