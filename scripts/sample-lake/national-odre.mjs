// ODRE export of éCO2mix national real time (`eco2mix-national-tr.csv`, PROVENANCE §2):
// `;`-separated UTF-8 without BOM, CRLF, no quoting, 37 fields with units in the header,
// `Date - Heure` in ISO 8601 with offset, the 5 `Ech. comm.*` columns empty at :15 and :45,
// rows in ODRE's export order (not chronological), no ND/`-` tokens.

import { measures, commercial } from './national-xls.mjs';
import { days, hhmm, unit, parisLocalToUtc, parisOffsetAtUtc, isoWithOffset, writeLakeFile } from './common.mjs';

export const FOLDER = 'eco2mix_national_tr_odre';
const FILE = 'eco2mix-national-tr.csv';

const HEADER = [
  'Périmètre', 'Nature', 'Date', 'Heure', 'Date - Heure', 'Consommation (MW)', 'Prévision J-1 (MW)',
  'Prévision J (MW)', 'Fioul (MW)', 'Charbon (MW)', 'Gaz (MW)', 'Nucléaire (MW)', 'Eolien (MW)',
  'Solaire (MW)', 'Hydraulique (MW)', 'Pompage (MW)', 'Bioénergies (MW)', 'Ech. physiques (MW)',
  'Taux de CO2 (g/kWh)', 'Ech. comm. Angleterre (MW)', 'Ech. comm. Espagne (MW)',
  'Ech. comm. Italie (MW)', 'Ech. comm. Suisse (MW)', 'Ech. comm. Allemagne-Belgique (MW)',
  'Fioul - TAC (MW)', 'Fioul - Cogénération (MW)', 'Fioul - Autres (MW)', 'Gaz - TAC (MW)',
  'Gaz - Cogénération (MW)', 'Gaz - CCG (MW)', 'Gaz - Autres (MW)',
  "Hydraulique - Fil de l'eau + éclusée (MW)", 'Hydraulique - Lacs (MW)',
  'Hydraulique - STEP turbinage (MW)', 'Bioénergies - Déchets (MW)', 'Bioénergies - Biomasse (MW)',
  'Bioénergies - Biogaz (MW)',
];

export function generate() {
  const rows = [];
  for (const date of days('2024-12-01', '2024-12-03')) {
    for (let minute = 0; minute < 1440; minute += 15) {
      const m = measures(date, minute);
      const utc = parisLocalToUtc(date, minute);
      const comm = minute % 30 === 0 ? commercial(date, minute) : ['', '', '', '', ''];
      const fields = [
        'France', 'Données temps réel', date, hhmm(minute), isoWithOffset(utc, parisOffsetAtUtc(utc)),
        m.consommation, m.prevision_j1, m.prevision_j, m.fioul, m.charbon, m.gaz, m.nucleaire,
        m.eolien, m.solaire, m.hydraulique, m.pompage, m.bioenergies, m.ech_physiques, m.co2, ...comm,
        m.fioul_tac, m.fioul_cogen, m.fioul_autres, m.gaz_tac, m.gaz_cogen, m.gaz_ccg, m.gaz_autres,
        m.hydraulique_fil, m.hydraulique_lacs, m.hydraulique_step, m.bio_dechets, m.bio_biomasse,
        m.bio_biogaz,
      ];
      if (fields.length !== HEADER.length) throw new Error('bad ODRE national row width');
      rows.push({ order: unit(`odre national ${date} ${minute}`), line: fields.join(';') });
    }
  }
  rows.sort((a, b) => a.order - b.order); // ODRE export order, not chronological
  const text = [HEADER.join(';'), ...rows.map((x) => x.line)].join('\r\n') + '\r\n';
  writeLakeFile(FOLDER, FILE, text);
  return [{ folder: FOLDER, file: FILE, rows: rows.length }];
}
