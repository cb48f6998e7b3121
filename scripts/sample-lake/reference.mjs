// Reference files, all with invented values in the real formats:
// - INSEE legal populations by region / département (PROVENANCE §7): `;`, UTF-8, LF, no BOM,
//   zero-padded codes, `NA` in NBCAN for Martinique, Guyane and Paris, no Mayotte.
// - School holidays (PROVENANCE §8): the daily zone table (`,`, True/False, LF, no BOM), the
//   ministry's labelled export (UTF-8 BOM, CRLF, local times with offset) and its API export
//   (UTF-8 BOM, LF, UTC times), with one row per académie and holiday, `Enseignants`/`Élèves`
//   rows for the summer, a southern-hemisphere `annee_scolaire` written `YYYY`, and one period
//   whose end is before its start. Metropolitan rows only from school year 2017-2018.
// - ODRE annual regional consumption (PROVENANCE §10): `;`, UTF-8 BOM, LF, quoted GeoJSON with
//   `""` escapes, `lat, lon` in one field, empty gas columns where there is no network.

import { BOM, addDays, days, lastSunday, noise, parisOffsetAtUtc, r, unit, weekday, writeLakeFile } from './common.mjs';

const POP_REGIONS = [
  ['01', 'Guadeloupe', 2, '21', 32, 381000], ['02', 'Martinique', 4, 'NA', 34, 362000], ['03', 'Guyane', 2, 'NA', 22, 283000],
  ['04', 'La Réunion', 4, '25', 24, 858000], ['11', 'Île-de-France', 25, '155', 1268, 12250000],
  ['24', 'Centre-Val de Loire', 20, '105', 1757, 2570000], ['27', 'Bourgogne-Franche-Comté', 23, '122', 3701, 2800000],
  ['28', 'Normandie', 15, '142', 2651, 3320000], ['32', 'Hauts-de-France', 26, '170', 3795, 5990000],
  ['44', 'Grand Est', 38, '200', 5121, 5550000], ['52', 'Pays de la Loire', 17, '110', 1238, 3830000],
  ['53', 'Bretagne', 15, '100', 1208, 3360000], ['75', 'Nouvelle-Aquitaine', 40, '224', 4313, 6000000],
  ['76', 'Occitanie', 39, '231', 4454, 5930000], ['84', 'Auvergne-Rhône-Alpes', 39, '244', 4030, 8050000],
  ['93', "Provence-Alpes-Côte d'Azur", 18, '123', 946, 5060000], ['94', 'Corse', 5, '15', 360, 342000],
];
const POP_DEPARTEMENTS = [
  ['84', 'Auvergne-Rhône-Alpes', '01', 'Ain', 4, '23', 393, 650000], ['11', 'Île-de-France', '75', 'Paris', 1, 'NA', 1, 2150000],
  ['94', 'Corse', '2A', 'Corse-du-Sud', 2, '11', 124, 158000], ['94', 'Corse', '2B', 'Haute-Corse', 3, '15', 236, 182000],
  ['93', "Provence-Alpes-Côte d'Azur", '13', 'Bouches-du-Rhône', 4, '29', 119, 2040000], ['24', 'Centre-Val de Loire', '45', 'Loiret', 3, '21', 325, 685000],
  ['44', 'Grand Est', '67', 'Bas-Rhin', 5, '23', 514, 1130000], ['76', 'Occitanie', '31', 'Haute-Garonne', 3, '27', 586, 1390000],
  ['01', 'Guadeloupe', '971', 'Guadeloupe', 2, '21', 32, 381000], ['02', 'Martinique', '972', 'Martinique', 4, 'NA', 34, 362000],
];

function population() {
  const out = [];
  for (const vintage of ['2019', '2020']) {
    const grow = vintage === '2020' ? 1.003 : 1;
    const lines = ['CODREG;REG;NBARR;NBCAN;NBCOM;PMUN;PTOT'];
    for (const [code, name, arr, can, com, pop] of POP_REGIONS) {
      const pmun = r(pop * grow * (1 + 0.004 * noise(`pop ${code} ${vintage}`)));
      lines.push([code, name, arr, can, com - (vintage === '2020' && code === '27' ? 1 : 0), pmun, r(pmun * 1.022)].join(';'));
    }
    const file = `donnees_regions_PMUN${vintage}.csv`;
    writeLakeFile('population_regions', file, lines.join('\n') + '\n');
    out.push({ folder: 'population_regions', file, rows: lines.length - 1 });
  }
  const lines = ['CODREG;REG;CODDEP;DEP;NBARR;NBCAN;NBCOM;PMUN;PTOT'];
  for (const [reg, regName, dep, depName, arr, can, com, pop] of POP_DEPARTEMENTS) lines.push([reg, regName, dep, depName, arr, can, com, pop, r(pop * 1.02)].join(';'));
  writeLakeFile('population_regions', 'donnees_departements_PMUN2020.csv', lines.join('\n') + '\n');
  out.push({ folder: 'population_regions', file: 'donnees_departements_PMUN2020.csv', rows: lines.length - 1 });
  return out;
}

// ---------------------------------------------------------------------------------------------
// School holidays: invented periods with the real shape (Saturday start, Monday resumption).

const saturdayOnOrAfter = (date) => addDays(date, (6 - weekday(date) + 7) % 7);
const ZONES = ['A', 'B', 'C'];
const ACADEMIES = {
  A: ['Besançon', 'Bordeaux', 'Clermont-Ferrand', 'Dijon', 'Grenoble', 'Limoges', 'Lyon', 'Poitiers'],
  B: ['Aix-Marseille', 'Amiens', 'Lille', 'Nancy-Metz', 'Nantes', 'Nice', 'Normandie', 'Orléans-Tours', 'Reims', 'Rennes', 'Strasbourg'],
  C: ['Créteil', 'Montpellier', 'Paris', 'Toulouse', 'Versailles'],
};

/** Holiday periods of school year y (Sept y → Aug y+1): [label, zone, start, resumption). */
function periods(y) {
  const out = [];
  const both = (label, start, length) => ZONES.forEach((z) => out.push([label, z, start, addDays(start, length)]));
  both('Vacances de la Toussaint', saturdayOnOrAfter(`${y}-10-17`), 16);
  both('Vacances de Noël', saturdayOnOrAfter(`${y}-12-17`), 16);
  const rotation = y % 3;
  ZONES.forEach((z, i) => {
    const shift = 7 * ((i + rotation) % 3);
    out.push(["Vacances d'Hiver", z, addDays(saturdayOnOrAfter(`${y + 1}-02-06`), shift), addDays(saturdayOnOrAfter(`${y + 1}-02-06`), shift + 16)]);
    out.push(['Vacances de Printemps', z, addDays(saturdayOnOrAfter(`${y + 1}-04-03`), shift), addDays(saturdayOnOrAfter(`${y + 1}-04-03`), shift + 16)]);
  });
  const summer = saturdayOnOrAfter(`${y + 1}-07-04`);
  both("Vacances d'Été", summer, 58);
  return out;
}

const DAILY_LABEL = {
  'Vacances de la Toussaint': 'Vacances de la Toussaint', 'Vacances de Noël': 'Vacances de Noël',
  "Vacances d'Hiver": "Vacances d'hiver", 'Vacances de Printemps': 'Vacances de printemps', "Vacances d'Été": "Vacances d'été",
};

function dailyTable() {
  const all = [];
  for (let y = 2012; y <= 2024; y++) all.push(...periods(y));
  const lines = ['date,vacances_zone_a,vacances_zone_b,vacances_zone_c,nom_vacances'];
  for (const date of days('2013-01-01', '2024-12-31')) {
    const on = ZONES.map((z) => all.find(([, zone, start, end]) => zone === z && date >= start && date < end));
    const name = on.find(Boolean)?.[0];
    lines.push([date, ...on.map((p) => (p ? 'True' : 'False')), name ? DAILY_LABEL[name] : ''].join(','));
  }
  writeLakeFile('school_holidays', 'vacances-scolaires-par-zones_data.csv', lines.join('\n') + '\n');
  return { folder: 'school_holidays', file: 'vacances-scolaires-par-zones_data.csv', rows: lines.length - 1 };
}

const localMidnightUtc = (date) => Date.parse(`${date}T00:00:00Z`) - parisOffsetAtUtc(Date.parse(`${date}T00:00:00Z`) - 7200000) * 3600000;
const labelled = (date) => `${date}T00:00:00+0${parisOffsetAtUtc(localMidnightUtc(date))}:00`;
const apiUtc = (date) => `${new Date(localMidnightUtc(date)).toISOString().slice(0, 19)}+00:00`;

function ministry() {
  const rows = []; // [description, population, start, end, location, zones, annee_scolaire]
  for (const y of [2016, 2017, 2023, 2024]) {
    const year = `${y}-${y + 1}`;
    // Corse and an overseas académie every year; metropolitan zones only from 2017-2018.
    rows.push(['Vacances de la Toussaint', '-', saturdayOnOrAfter(`${y}-10-19`), addDays(saturdayOnOrAfter(`${y}-10-19`), 16), 'Corse', 'Corse', year]);
    rows.push(['Vacances de Noël', '-', saturdayOnOrAfter(`${y}-12-17`), addDays(saturdayOnOrAfter(`${y}-12-17`), 16), 'Guadeloupe', 'Guadeloupe', year]);
    if (y < 2017) continue;
    for (const [label, zone, start, end] of periods(y)) {
      // The Normandie académie replaced Caen and Rouen in 2020.
      const academies = ACADEMIES[zone].flatMap((a) => (a === 'Normandie' && y < 2020 ? ['Caen', 'Rouen'] : [a]));
      for (const academie of academies) {
        if (label === "Vacances d'Été") {
          rows.push([label, 'Élèves', start, end, academie, `Zone ${zone}`, year]);
          rows.push([label, 'Enseignants', start, addDays(end, -3), academie, `Zone ${zone}`, year]);
        } else {
          rows.push([label, '-', start, end, academie, `Zone ${zone}`, year]);
        }
      }
    }
  }
  rows.push(['Vacances 1ère période', '-', '2018-04-07', '2018-04-15', 'Nouvelle Calédonie', 'Nouvelle Calédonie', '2018']);
  rows.push(['Vacances après 1ère période', '-', '2019-01-10', '2018-10-29', 'Réunion', 'Réunion', '2018-2019']); // end < start, as in the real file
  rows.push(['Abolition de l’esclavage', '-', '2018-05-22', '2018-05-23', 'Martinique', 'Martinique', '2017-2018']);
  const order = (row, salt) => unit(`${salt} ${row.join('|')}`);
  const lab = [...rows].sort((a, b) => order(a, 'lab') - order(b, 'lab'))
    .map(([d, p, s, e, l, z, a]) => [d, p, labelled(s), labelled(e), l, z, a].join(';'));
  const api = [...rows].sort((a, b) => order(a, 'api') - order(b, 'api'))
    .map(([d, p, s, e, l, z, a]) => [d, p, apiUtc(s), apiUtc(e), l, z, a].join(';'));
  writeLakeFile('school_holidays', 'fr-en-calendrier-scolaire.csv',
    BOM + ['Description;Population;Date de début;Date de fin;Académies;Zones;annee_scolaire', ...lab].join('\r\n') + '\r\n');
  writeLakeFile('school_holidays', 'fr-en-calendrier-scolaire_api-fields-utc.csv',
    BOM + ['description;population;start_date;end_date;location;zones;annee_scolaire', ...api].join('\n') + '\n');
  return [
    { folder: 'school_holidays', file: 'fr-en-calendrier-scolaire.csv', rows: lab.length },
    { folder: 'school_holidays', file: 'fr-en-calendrier-scolaire_api-fields-utc.csv', rows: api.length },
  ];
}

// ---------------------------------------------------------------------------------------------
// Annual regional consumption with GeoJSON shapes (invented squares around invented centres)

function annualRegional() {
  const header = 'Année;Région;Code INSEE région;Consommation brute gaz (GWh PCS 0°C) - NaTran;Statut - NaTran;' +
    'Consommation brute gaz (GWh PCS 0°C) - Teréga;Statut - Teréga;Consommation brute électricité (GWh) - RTE;' +
    'Consommation brute gaz totale (GWh PCS 0°C);Statut - RTE;Consommation brute totale (GWh);Géo-shape région;Géo-point région';
  const regions = POP_REGIONS.filter(([code]) => Number(code) > 10);
  const rows = [];
  for (const year of [2015, 2016]) {
    for (const [code, name, , , , pop] of regions) {
      const lat = 42 + 8 * unit(`lat ${code}`);
      const lon = -3 + 10 * unit(`lon ${code}`);
      const ring = [[lon - 1, lat - 1], [lon + 1, lat - 1], [lon + 1, lat + 1], [lon - 1, lat + 1], [lon - 1, lat - 1]]
        .map(([x, y]) => `[${x.toFixed(9)}, ${y.toFixed(9)}]`).join(', ');
      const shape = `"{""coordinates"": [[${ring}]], ""type"": ""Polygon""}"`;
      const elec = r((pop * 7.1) / 1000 * (1 + 0.02 * noise(`e ${code} ${year}`)));
      const natran = code === '94' ? '' : r((pop * 6.5) / 1000 * (1 + 0.05 * noise(`g ${code} ${year}`)));
      const terega = ['75', '76'].includes(code) ? r((pop * 2.1) / 1000) : '';
      const gasTotal = natran === '' ? '' : natran + (terega === '' ? 0 : terega);
      rows.push({
        order: unit(`annual ${year} ${code}`),
        line: [year, name, code, natran, natran === '' ? '' : 'Définitif', terega, terega === '' ? '' : 'Définitif', elec, gasTotal,
          'Définitif', elec + (gasTotal === '' ? 0 : gasTotal), shape, `${lat.toFixed(7)}, ${lon.toFixed(9)}`].join(';'),
      });
    }
  }
  rows.sort((a, b) => a.order - b.order);
  const file = 'consommation-annuelle-brute-regionale.csv';
  writeLakeFile('extras_regional_annual_consumption', file, BOM + [header, ...rows.map((x) => x.line)].join('\n') + '\n');
  return { folder: 'extras_regional_annual_consumption', file, rows: rows.length };
}

export function generate() {
  return [...population(), dailyTable(), ...ministry(), annualRegional()];
}
