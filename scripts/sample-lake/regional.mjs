// Regional éCO2mix files (PROVENANCE §3 and §4).
//
// RTE regional "xls" downloads (definitive, consolidated, real time): TAB-separated ISO-8859-1,
// LF, no BOM, no quoting, a 13-field header and 14 fields on every data row (trailing TAB), 96
// rows per local day, the disclaimer line and an empty line at the end. Region names in RTE's
// spelling in file names (UTF-8, `ô`/`é` included) and in `Périmètre`. Definitive and
// consolidated files are half-hourly (:15/:45 rows present but blank), `-` fills a column that
// does not apply (Nucléaire in PACA, Pompage in Centre-Val de Loire) and marks a one-day Eolien
// gap (CVL 2013-12-27 00:30 → 12-28 00:00), the first row of a 2013 file is ND in all 9
// measures, spring-forward copies and the autumn hour printed once, the 2016-02-29 pre-reform
// `Périmètre` names. Real-time files are 15-minute, with `-` for missing values and blank future
// rows at the end.
//
// ODRE regional real-time CSV: `;`, UTF-8 without BOM, LF, 66 fields, the last header named
// `Column 64` and always empty, rows not sorted, `-` = not applicable (flows with regions the
// region does not border), blank = missing (including whole missing quarter-hours), some columns
// entirely empty.

import { unit, noise, bump, r, fixed, days, hhmm, temperature, rteShownInstant, parisLocal, parisOffsetAtUtc,
  parisLocalToUtc, isoWithOffset, DISCLAIMER, writeLakeFile } from './common.mjs';

const HEADER = ['Périmètre', 'Nature', 'Date', 'Heures', 'Consommation', 'Thermique', 'Nucléaire', 'Eolien',
  'Solaire', 'Hydraulique', 'Pompage', 'Bioénergies', 'Ech. physiques'];

// Region physics: consumption scale (MW), heating gradient (share per °C under 15 °C), nuclear
// (MW, 0 = none), wind, solar, hydro, pumping (MW, null = not applicable), thermal, bio.
const REGIONS = {
  '24': { cons: 2300, heat: 0.035, nuc: 9200, wind: 900, sun: 350, hydro: 30, pump: null, therm: 150, bio: 60 },
  '44': { cons: 5200, heat: 0.03, nuc: 8100, wind: 2600, sun: 500, hydro: 1500, pump: 400, therm: 900, bio: 130 },
  '76': { cons: 4400, heat: 0.032, nuc: 3400, wind: 1200, sun: 1600, hydro: 2100, pump: 250, therm: 120, bio: 90 },
  '84': { cons: 7300, heat: 0.028, nuc: 11500, wind: 400, sun: 900, hydro: 5200, pump: 800, therm: 600, bio: 160 },
  '93': { cons: 4600, heat: 0.025, nuc: 0, wind: 60, sun: 1100, hydro: 1500, pump: 150, therm: 1000, bio: 110 },
};
const PERIMETRE = { '24': 'Centre-Val de Loire', '44': 'Grand-Est', '76': 'Occitanie', '84': 'Auvergne-Rhône-Alpes', '93': 'PACA' };

/** Mean power of every measure over the interval starting at a UTC instant. */
function values(code, ms) {
  const p = REGIONS[code];
  const { date, minute } = parisLocal(ms);
  const h = minute / 60;
  const t = ms / 3600000;
  const key = `${code} ${ms}`;
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  const week = dow === 0 ? 0.86 : dow === 6 ? 0.92 : 1;
  const heating = 1 + p.heat * Math.max(0, 15 - temperature(code, date));
  const shape = 0.78 + 0.14 * bump(h, 11, 3.2) + 0.2 * bump(h, 19.5, 1.9) + 0.06 * bump(h, 0.5, 1.3);
  const consommation = r(p.cons * shape * week * heating + 0.01 * p.cons * noise(`c ${key}`));
  const month = Number(date.slice(5, 7));
  const daylight = (h - (month >= 4 && month <= 9 ? 7 : 8.3)) / (month >= 4 && month <= 9 ? 13.5 : 9.5);
  const solaire = daylight > 0 && daylight < 1 ? r(p.sun * (0.55 + 0.45 * unit(`sky ${date}`)) * Math.sin(Math.PI * daylight) ** 1.5) : 0;
  const eolien = Math.max(0, r(p.wind * (0.45 + 0.35 * Math.sin(t / 17 + Number(code)) + 0.1 * Math.sin(t / 4.1)) + 0.02 * p.wind * noise(`w ${key}`)));
  const nucleaire = p.nuc === 0 ? 0 : r(p.nuc * (0.82 + 0.06 * Math.sin(t / 90)) + 40 * noise(`n ${key}`));
  const peak = Math.max(0, Math.min(1, (shape - 0.86) / 0.12));
  const hydraulique = r(p.hydro * (0.45 + 0.45 * peak) + 0.02 * p.hydro * noise(`h ${key}`));
  const thermique = r(p.therm * (0.5 + 0.5 * peak) + 0.03 * p.therm * noise(`th ${key}`));
  const pompage = p.pump === null ? null : peak > 0.5 ? 0 : r(-p.pump * (0.6 + 0.4 * unit(`p ${key}`)));
  const bioenergies = r(p.bio + 0.05 * p.bio * noise(`b ${key}`));
  const production = thermique + nucleaire + eolien + solaire + hydraulique + bioenergies;
  const ech_physiques = r(consommation - production - (pompage ?? 0));
  return { consommation, thermique, nucleaire, eolien, solaire, hydraulique, pompage, bioenergies, ech_physiques };
}

const MEASURES = ['consommation', 'thermique', 'nucleaire', 'eolien', 'solaire', 'hydraulique', 'pompage', 'bioenergies', 'ech_physiques'];

/** One RTE regional xls file. spec: {folder, name, code, nature, step (30|15), ranges, ...quirks} */
function xlsFile(spec) {
  const lines = [HEADER.join('\t')];
  let dataRows = 0;
  for (const [first, last] of spec.ranges) {
    for (const date of days(first, last)) {
      for (let minute = 0; minute < 1440; minute += 15) {
        const lead = [spec.perimetre?.(date) ?? PERIMETRE[spec.code], spec.nature, date, hhmm(minute)];
        const local = `${date} ${hhmm(minute)}`;
        let cells;
        if (spec.step === 30 && minute % 30 !== 0) {
          cells = Array(9).fill(''); // half-hourly file: the :15/:45 rows exist but are blank
        } else if (spec.futureFrom && local >= spec.futureFrom) {
          cells = Array(9).fill(''); // after the download time
        } else {
          const v = values(spec.code, rteShownInstant(date, minute).ms);
          cells = MEASURES.map((m) => {
            if (m === 'nucleaire' && REGIONS[spec.code].nuc === 0) return '-';
            if (m === 'pompage' && v.pompage === null) return '-';
            return String(v[m]);
          });
          if (spec.ndFirstRow && date === spec.ranges[0][0] && minute === 0) cells = Array(9).fill('ND');
          if (spec.eolienGap && local > spec.eolienGap[0] && local <= spec.eolienGap[1]) cells[3] = '-';
          if (spec.missing?.includes(local)) {
            for (const i of [0, 1, 5, 7]) cells[i] = '-'; // consommation, thermique, hydraulique, bioénergies
            cells[8] = '-';
          }
        }
        lines.push([...lead, ...cells].join('\t') + '\t');
        dataRows++;
      }
    }
  }
  lines.push(DISCLAIMER, '');
  writeLakeFile(spec.folder, spec.name, lines.join('\n') + '\n', 'latin1');
  return { folder: spec.folder, file: spec.name, rows: dataRows };
}

const DEF = 'eco2mix_regional_annual_definitif';
const CONS = 'eco2mix_regional_consolide';
const TR = 'eco2mix_regional_tr_xls';
const DEFINITIVE = 'Données définitives';
const CONSOLIDATED = 'Données consolidées';
const REAL_TIME = 'Données temps réel';

const FILES = [
  {
    folder: DEF, name: 'eCO2mix_RTE_Centre-Val-de-Loire_Annuel-Definitif_2013.xls', code: '24', nature: DEFINITIVE, step: 30,
    ranges: [['2013-01-01', '2013-01-02'], ['2013-03-30', '2013-04-01'], ['2013-12-26', '2013-12-28']],
    ndFirstRow: true, eolienGap: ['2013-12-27 00:00', '2013-12-28 00:00'],
  },
  {
    folder: DEF, name: 'eCO2mix_RTE_PACA_Annuel-Definitif_2015.xls', code: '93', nature: DEFINITIVE, step: 30,
    ranges: [['2015-01-05', '2015-01-07'], ['2015-03-28', '2015-03-30'], ['2015-10-24', '2015-10-26']],
  },
  {
    folder: DEF, name: 'eCO2mix_RTE_Auvergne-Rhône-Alpes_Annuel-Definitif_2015.xls', code: '84', nature: DEFINITIVE, step: 30,
    ranges: [['2015-01-05', '2015-01-07'], ['2015-03-28', '2015-03-30'], ['2015-10-24', '2015-10-26']],
  },
  {
    folder: CONS, name: 'eCO2mix_RTE_Grand-Est_En-cours-Consolide.xls', code: '44', nature: CONSOLIDATED, step: 30,
    ranges: [['2016-01-04', '2016-01-24'], ['2016-02-28', '2016-03-01'], ['2016-03-26', '2016-03-28']],
    perimetre: (date) => (date === '2016-02-29' ? 'Alsace, Champagne-Ardenne et Lorraine' : 'Grand-Est'),
  },
  {
    folder: CONS, name: 'eCO2mix_RTE_Occitanie_En-cours-Consolide.xls', code: '76', nature: CONSOLIDATED, step: 30,
    ranges: [['2016-01-04', '2016-01-24'], ['2016-02-28', '2016-03-01'], ['2016-03-26', '2016-03-28']],
    perimetre: (date) => (date === '2016-02-29' ? 'Languedoc-Roussillon et Midi-Pyrénées' : 'Occitanie'),
  },
  {
    folder: CONS, name: 'eCO2mix_RTE_Centre-Val-de-Loire_En-cours-Consolide.xls', code: '24', nature: CONSOLIDATED, step: 30,
    ranges: [['2017-09-01', '2017-09-02']],
  },
  {
    folder: TR, name: 'eCO2mix_RTE_Centre-Val-de-Loire_En-cours-TR.xls', code: '24', nature: REAL_TIME, step: 15,
    ranges: [['2017-09-01', '2017-09-03']], futureFrom: '2017-09-03 14:00', missing: ['2017-09-02 23:45'],
  },
  {
    folder: TR, name: 'eCO2mix_RTE_PACA_En-cours-TR.xls', code: '93', nature: REAL_TIME, step: 15,
    ranges: [['2017-09-01', '2017-09-03']], futureFrom: '2017-09-03 14:00', missing: ['2017-09-01 23:45', '2017-09-02 00:00'],
  },
];

// ---------------------------------------------------------------------------------------------
// ODRE regional real-time CSV (one region: PACA)

const NEIGHBOURS = ['Grand-Est', 'Auvergne-Rhône-Alpes', 'Nouvelle-Aquitaine', 'Bourgogne-Franche-Comté', 'Bretagne',
  'Centre-Val de Loire', 'Ile-de-France', 'Occitanie', 'Hauts-de-France', 'Normandie', 'Pays-de-la-Loire', 'PACA',
  'Espagne', 'Suisse', 'Royaume-Uni', 'Italie', 'Allemagne', 'Belgique', 'Luxembourg'];
// For PACA: flows with these carry numbers, these columns are entirely empty, the rest are `-`.
const FLOWS = new Set(['Auvergne-Rhône-Alpes', 'Occitanie', 'Italie']);
const EMPTY = new Set(['Bourgogne-Franche-Comté', 'Ile-de-France', 'Suisse', 'Allemagne', 'Belgique', 'Luxembourg']);
const RATES = ['Thermique', 'Nucléaire', 'Eolien', 'Solaire', 'Hydraulique', 'Bioénergies'];

const ODRE_HEADER = [
  'Code INSEE région', 'Région', 'Nature', 'Date', 'Heure', 'Date - Heure', 'Consommation (MW)', 'Thermique (MW)',
  'Nucléaire (MW)', 'Eolien (MW)', 'Solaire (MW)', 'Hydraulique (MW)', 'Pompage (MW)', 'Bioénergies (MW)',
  'Ech. physiques (MW)', ...NEIGHBOURS.map((n) => `Import ${n}`), ...NEIGHBOURS.map((n) => `Export ${n}`),
  ...RATES.flatMap((s) => [`TCO ${s} (%)`, `TCH ${s} (%)`]), 'Column 64',
];

function odreRegional() {
  const rows = [];
  for (const date of days('2020-05-01', '2020-05-02')) {
    for (let minute = 0; minute < 1440; minute += 15) {
      const utc = parisLocalToUtc(date, minute);
      const lead = ['93', "Provence-Alpes-Côte d'Azur", REAL_TIME, date, hhmm(minute), isoWithOffset(utc, parisOffsetAtUtc(utc))];
      const local = `${date} ${hhmm(minute)}`;
      let cells;
      if (local === '2020-05-01 04:15' || local === '2020-05-02 13:30') {
        cells = Array(ODRE_HEADER.length - lead.length).fill(''); // a missing quarter-hour
      } else {
        const v = values('93', utc);
        const flow = (n, sign) => {
          if (EMPTY.has(n)) return '';
          if (!FLOWS.has(n)) return '-';
          const x = r((n === 'Italie' ? 900 : 1400) * (0.6 + 0.4 * Math.sin(utc / 3.6e6 / 7 + n.length)) + 50 * noise(`${n} ${sign} ${utc}`));
          return String(sign === 'import' ? Math.max(0, x) : Math.min(0, -Math.round(x / 4)));
        };
        const production = v.thermique + v.eolien + v.solaire + v.hydraulique + v.bioenergies;
        const rate = (s) => {
          const x = { Thermique: v.thermique, Eolien: v.eolien, Solaire: v.solaire, Hydraulique: v.hydraulique, Bioénergies: v.bioenergies }[s];
          if (s === 'Nucléaire') return ['', ''];
          return [fixed((100 * x) / (s === 'Thermique' ? 2000 : s === 'Eolien' ? 70 : s === 'Solaire' ? 1500 : s === 'Hydraulique' ? 3200 : 200), 2), fixed((100 * x) / production, 2)];
        };
        cells = [
          v.consommation, v.thermique, '', v.eolien, v.solaire, v.hydraulique, v.pompage, v.bioenergies, v.ech_physiques,
          ...NEIGHBOURS.map((n) => flow(n, 'import')), ...NEIGHBOURS.map((n) => flow(n, 'export')),
          ...RATES.flatMap(rate), '',
        ].map(String);
        if (local === '2020-05-01 18:00') cells[0] = ''; // one missing consumption value
      }
      const fields = [...lead, ...cells];
      if (fields.length !== ODRE_HEADER.length) throw new Error(`bad ODRE regional width ${fields.length}`);
      rows.push({ order: unit(`odre regional ${local}`), line: fields.join(';') });
    }
  }
  rows.sort((a, b) => a.order - b.order);
  const text = [ODRE_HEADER.join(';'), ...rows.map((x) => x.line)].join('\n') + '\n';
  writeLakeFile('eco2mix_regional_tr', 'eco2mix-regional-tr.csv', text);
  return { folder: 'eco2mix_regional_tr', file: 'eco2mix-regional-tr.csv', rows: rows.length };
}

export function generate() {
  return [...FILES.map(xlsFile), odreRegional()];
}
