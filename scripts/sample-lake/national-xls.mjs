// éCO2mix national real-time downloads ("En-cours-TR", PROVENANCE §1): TAB-separated
// ISO-8859-1 text with an .xls extension, LF, no BOM, no quoting; a 36-field header (with the
// literal "?" in "Fil de l?eau"), 37 fields on every data row (trailing TAB), 96 quarter-hour
// rows per local day including DST days (spring-forward: the non-existent 02:00-02:45 slots hold
// copies of neighbouring slots; autumn: the repeated hour appears once), Ech. comm.* empty at
// :15 and :45, blank rows after the download time except forecasts and Ech. comm.*, ND on the
// last (future) day, a one-field disclaimer line and an empty line at the end.

import { unit, noise, bump, r, r50, dayNumber, addDays, lastSunday, hhmm, DISCLAIMER, writeLakeFile } from './common.mjs';

export const FOLDER = 'eco2mix_national_tr_xls';

export const HEADER = [
  'Périmètre', 'Nature', 'Date', 'Heures', 'Consommation', 'Prévision J-1', 'Prévision J',
  'Fioul', 'Charbon', 'Gaz', 'Nucléaire', 'Eolien', 'Solaire', 'Hydraulique', 'Pompage',
  'Bioénergies', 'Ech. physiques', 'Taux de Co2', 'Ech. comm. Angleterre', 'Ech. comm. Espagne',
  'Ech. comm. Italie', 'Ech. comm. Suisse', 'Ech. comm. Allemagne-Belgique', 'Fioul - TAC',
  'Fioul - Cogén.', 'Fioul - Autres', 'Gaz - TAC', 'Gaz - Cogén.', 'Gaz - CCG', 'Gaz - Autres',
  'Hydraulique - Fil de l?eau + éclusée', 'Hydraulique - Lacs', 'Hydraulique - STEP turbinage',
  'Bioénergies - Déchets', 'Bioénergies - Biomasse', 'Bioénergies - Biogaz',
];

// Three downloads. `first`..`last` are local dates (inclusive); `last` is the future day that
// carries ND; slots at or after `cutoff` (local) are "future" rows. The 2024-04 download
// overlaps the 2024-03 one on 2024-03-31 and 2024-04-01, and revises four quarter-hours, so the
// silver model's de-duplication has something to decide. `tokens` overwrites single cells.
const FILES = [
  { name: 'eCO2mix_RTE_En-cours-TR_2024-03.xls', first: '2024-03-29', last: '2024-04-01', cutoff: '2024-03-31 10:00' },
  {
    name: 'eCO2mix_RTE_En-cours-TR_2024-04.xls', first: '2024-03-31', last: '2024-04-03', cutoff: '2024-04-02 09:30',
    revise: { from: '2024-03-31 09:00', to: '2024-03-31 09:45', consommation: 37 },
  },
  {
    name: 'eCO2mix_RTE_En-cours-TR_2024-10.xls', first: '2024-10-26', last: '2024-10-29', cutoff: '2024-10-28 08:00',
    // A stray ND in a past row, as RTE's 2017 download has in Pompage.
    tokens: { '2024-10-26 05:45': { Pompage: 'ND' } },
  },
];

// ---------------------------------------------------------------------------------------------
// Synthetic physics: every measure is a pure function of (local date, minute of day), so two
// downloads covering the same quarter-hour agree unless a revision is applied on purpose.

function season(date) {
  const month = Number(date.slice(5, 7));
  return month >= 3 && month <= 5
    ? { cons: 57000, nuc: 41000, wind: 6500, sun: 7200, rise: 8.0, set: 20.0, gas: 1800, cogen: 1500 }
    : { cons: 51000, nuc: 35500, wind: 5200, sun: 4800, rise: 8.4, set: 18.8, gas: 2600, cogen: 900 };
}

export function measures(date, minute) {
  const s = season(date);
  const key = `${date} ${minute}`;
  const h = minute / 60;
  const t = dayNumber(date) * 24 + h; // continuous hours, shared by all files
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  const holiday = date.endsWith('-04-01') ? 0.9 : 1; // 2024-04-01 is Easter Monday
  const weekFactor = (dow === 0 ? 0.88 : dow === 6 ? 0.93 : 1) * holiday;

  const shape = 0.8 + 0.13 * bump(h, 11, 3.2) + 0.17 * bump(h, 19.7, 1.8) + 0.05 * bump(h, 0, 1.4) + 0.05 * bump(h, 24, 1.4);
  const consommation = r(s.cons * shape * weekFactor + 250 * noise(`c ${key}`));
  const peak = Math.max(0, Math.min(1, (shape - 0.86) / 0.12)); // 0 at night, 1 at evening peak

  const nucleaire = r(s.nuc + 0.3 * (consommation - s.cons * 0.9) + 900 * Math.sin(t / 57) + 120 * noise(`n ${key}`));
  const eolien = r(s.wind * (1 + 0.55 * Math.sin(t / 19 + 1.3) + 0.15 * Math.sin(t / 5.3)) + 90 * noise(`w ${key}`));
  const daylight = (h - s.rise) / (s.set - s.rise);
  const clouds = 0.6 + 0.4 * unit(`sky ${date}`);
  const solaire = daylight > 0 && daylight < 1 ? r(s.sun * clouds * Math.sin(Math.PI * daylight) ** 1.5) : 0;

  const hydraulique_fil = r(4700 + 350 * Math.sin(t / 40) + 60 * noise(`hf ${key}`));
  const hydraulique_lacs = r(1300 + 2600 * peak + 80 * noise(`hl ${key}`));
  const hydraulique_step = peak > 0.45 ? r(2400 * (peak - 0.45) / 0.55) : 0;

  const bio_dechets = r(205 + 8 * noise(`bd ${key}`));
  const bio_biomasse = r(390 + 25 * noise(`bb ${key}`));
  const bio_biogaz = r(295 + 6 * noise(`bg ${key}`));

  const gaz_tac = peak > 0.8 ? r(180 * peak) : 0;
  const gaz_cogen = r(s.cogen + 40 * noise(`gc ${key}`));
  const gaz_ccg = r(s.gas + 3600 * peak + 150 * noise(`gg ${key}`));
  const gaz_autres = 1;

  const fioul_tac = r(3.5 * noise(`ft ${key}`));
  const fioul_cogen = r(41 + 2 * noise(`fc ${key}`));
  const fioul_autres = r(82 + 6 * noise(`fa ${key}`));
  // Idle coal units draw auxiliary power: net output slightly negative off-peak, as in RTE's data.
  const charbon = peak > 0.6 ? r(240 + 40 * noise(`ch ${key}`)) : r(-1.5 + 1.5 * noise(`ch ${key}`));

  const pompage = peak > 0.55 ? 0 : r(-(600 + 1700 * (1 - peak)) * (0.8 + 0.4 * unit(`p ${key}`)));

  const fioul = fioul_tac + fioul_cogen + fioul_autres;
  const gaz = gaz_tac + gaz_cogen + gaz_ccg + gaz_autres;
  const hydraulique = hydraulique_fil + hydraulique_lacs + hydraulique_step;
  const bioenergies = bio_dechets + bio_biomasse + bio_biogaz;
  const production = fioul + charbon + gaz + nucleaire + eolien + solaire + hydraulique + bioenergies;
  // Consumption = production + pumping + physical exchanges (imports > 0, exports < 0),
  // up to a small metering residue.
  const ech_physiques = r(consommation - production - pompage + 25 * noise(`e ${key}`));
  const co2 = r((gaz * 429 + fioul * 777 + charbon * 986 + bioenergies * 494) / production);

  return {
    consommation,
    prevision_j1: r50(consommation * (1 + 0.018 * noise(`j1 ${key}`))),
    prevision_j: r50(consommation * (1 + 0.007 * noise(`j ${key}`))),
    fioul, charbon, gaz, nucleaire, eolien, solaire, hydraulique, pompage, bioenergies,
    ech_physiques, co2,
    fioul_tac, fioul_cogen, fioul_autres, gaz_tac, gaz_cogen, gaz_ccg, gaz_autres,
    hydraulique_fil, hydraulique_lacs, hydraulique_step, bio_dechets, bio_biomasse, bio_biogaz,
  };
}

/** Scheduled commercial exchanges, half-hourly (MW, exports negative). */
export function commercial(date, minute) {
  const key = `${date} ${minute - (minute % 30)}`;
  const t = dayNumber(date) * 24 + minute / 60;
  return [
    r(-(2000 + 700 * Math.sin(t / 9)) + 100 * noise(`xa ${key}`)),
    r(-(1600 + 800 * Math.sin(t / 13 + 2)) + 100 * noise(`xe ${key}`)),
    r(-(2400 + 500 * Math.sin(t / 7 + 1)) + 80 * noise(`xi ${key}`)),
    r(-(1400 + 1000 * Math.sin(t / 11 + 4)) + 120 * noise(`xs ${key}`)),
    r(-900 + 2600 * Math.sin(t / 15 + 0.5) + 150 * noise(`xg ${key}`)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Rows

/**
 * Which generated slot a file row shows. RTE keeps 96 rows on the spring-forward day: the
 * non-existent 02:00-02:45 slots hold copies (first half of the hour copies the next hour,
 * second half the previous one, as seen in RTE's regional downloads).
 */
function sourceMinute(date, minute) {
  if (date === lastSunday(Number(date.slice(0, 4)), 3) && minute >= 120 && minute < 180) {
    return minute < 150 ? minute + 60 : minute - 60;
  }
  return minute;
}

function row(file, date, minute) {
  const local = `${date} ${hhmm(minute)}`;
  const halfHour = minute % 30 === 0;
  const src = sourceMinute(date, minute);
  const m = measures(date, src);
  const comm = halfHour ? commercial(date, src) : ['', '', '', '', ''];
  const lead = ['France', 'Données temps réel', date, hhmm(minute)];
  const blanks = (n) => Array(n).fill('');

  if (date === file.last) {
    // The future day: forecasts are "ND", except the J-1 forecast of the first quarter-hour;
    // Ech. comm.* are ND at 00:00 only.
    const first = minute === 0;
    return [
      ...lead, '', first ? m.prevision_j1 : 'ND', 'ND', ...blanks(11),
      ...(first ? Array(5).fill('ND') : blanks(5)), ...blanks(13),
    ];
  }
  if (local >= file.cutoff) {
    // After the download time: only forecasts and scheduled exchanges.
    return [...lead, '', m.prevision_j1, m.prevision_j, ...blanks(11), ...comm, ...blanks(13)];
  }
  let { consommation, ech_physiques } = m;
  if (file.revise && local >= file.revise.from && local <= file.revise.to) {
    consommation += file.revise.consommation;
    ech_physiques += file.revise.consommation;
  }
  return [
    ...lead, consommation, m.prevision_j1, m.prevision_j, m.fioul, m.charbon, m.gaz, m.nucleaire,
    m.eolien, m.solaire, m.hydraulique, m.pompage, m.bioenergies, ech_physiques, m.co2, ...comm,
    m.fioul_tac, m.fioul_cogen, m.fioul_autres, m.gaz_tac, m.gaz_cogen, m.gaz_ccg, m.gaz_autres,
    m.hydraulique_fil, m.hydraulique_lacs, m.hydraulique_step, m.bio_dechets, m.bio_biomasse,
    m.bio_biogaz,
  ];
}

function fileText(file) {
  const lines = [HEADER.join('\t')];
  for (let date = file.first; date <= file.last; date = addDays(date, 1)) {
    for (let minute = 0; minute < 1440; minute += 15) {
      const fields = row(file, date, minute).map(String);
      for (const [column, token] of Object.entries(file.tokens?.[`${date} ${hhmm(minute)}`] ?? {})) {
        fields[HEADER.indexOf(column)] = token;
      }
      if (fields.length !== HEADER.length) throw new Error(`bad row width ${fields.length} at ${date} ${minute}`);
      lines.push(fields.join('\t') + '\t'); // the extra trailing TAB: 37 fields
    }
  }
  lines.push(DISCLAIMER, '');
  return lines.join('\n') + '\n';
}


/** Writes the files; returns [{folder, file, rows}] (data rows = quarter-hour lines). */
export function generate() {
  return FILES.map((file) => {
    const text = fileText(file);
    writeLakeFile(FOLDER, file.name, text, 'latin1');
    return { folder: FOLDER, file: file.name, rows: text.split('\n').length - 4 };
  });
}
