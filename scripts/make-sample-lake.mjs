#!/usr/bin/env node
// Generates the small synthetic sample lake committed in lake/, and the expected row count of
// every lake file (sample and real) in seeds/fichiers_lac_attendus.csv.
//
//   node scripts/make-sample-lake.mjs
//
// Every value written in lake/ is invented by the formulas in scripts/sample-lake/*.mjs; no real
// row is copied. What is reproduced is the *format* of each real file described in
// ../shared/data/PROVENANCE.md (encodings, BOMs, delimiters, line endings, headers, trailing
// TABs and disclaimer lines, `ND`/`-`/blank tokens, DST days, unsorted rows, quoted GeoJSON),
// with the same folder and file names so the same models read both lakes.
//
// The script is deterministic (no clock, no Math.random) and has no dependencies: running it
// twice produces identical bytes.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sample-lake/common.mjs';
import * as nationalXls from './sample-lake/national-xls.mjs';
import * as nationalOdre from './sample-lake/national-odre.mjs';
import * as regional from './sample-lake/regional.mjs';
import * as halfHourly from './sample-lake/national-halfhourly.mjs';
import * as weatherGas from './sample-lake/weather-gas.mjs';
import * as reference from './sample-lake/reference.mjs';

// Data rows of every real file, from ../shared/data/PROVENANCE.md ("data rows" excludes the
// header, and for RTE .xls files the disclaimer line and the final empty line).
const REGIONS_XLS = [
  'Auvergne-Rhône-Alpes',
  'Bourgogne-Franche-Comté',
  'Bretagne',
  'Centre-Val-de-Loire',
  'Grand-Est',
  'Hauts-de-France',
  'Ile-de-France',
  'Normandie',
  'Nouvelle-Aquitaine',
  'Occitanie',
  'PACA',
  'Pays-de-la-Loire',
];
const CONSOLIDATED_ROWS = {
  Bretagne: 58464,
  'Centre-Val-de-Loire': 32064,
  'Grand-Est': 58464,
  'Hauts-de-France': 32064,
  'Ile-de-France': 58464,
  Normandie: 58464,
  'Nouvelle-Aquitaine': 32064,
  Occitanie: 58464,
  PACA: 58464,
  'Pays-de-la-Loire': 32064,
};
const REAL = [
  ['eco2mix_national_tr_xls', 'eCO2mix_RTE_En-cours-TR_2016-06.xls', 2496],
  ['eco2mix_national_tr_xls', 'eCO2mix_RTE_En-cours-TR_2017-09.xls', 4224],
  ['eco2mix_national_tr_odre', 'eco2mix-national-tr.csv', 2976],
  ['eco2mix_regional_tr', 'eco2mix-regional-tr.csv', 3456],
  ...REGIONS_XLS.flatMap((region) =>
    [2013, 2014, 2015].map((year) => ['eco2mix_regional_annual_definitif', `eCO2mix_RTE_${region}_Annuel-Definitif_${year}.xls`, 35040]),
  ),
  ...Object.entries(CONSOLIDATED_ROWS).map(([region, rows]) => ['eco2mix_regional_consolide', `eCO2mix_RTE_${region}_En-cours-Consolide.xls`, rows]),
  ...REGIONS_XLS.map((region) => ['eco2mix_regional_tr_xls', `eCO2mix_RTE_${region}_En-cours-TR.xls`, 4128]),
  ['temperature_regional', 'temperature-quotidienne-regionale.csv', 34346],
  ['gas_storage', 'stock-quotidien-stockages-gaz.csv', 28272],
  ['population_regions', 'donnees_regions_PMUN2019.csv', 17],
  ['population_regions', 'donnees_regions_PMUN2020.csv', 17],
  ['population_regions', 'donnees_departements_PMUN2020.csv', 100],
  ['school_holidays', 'fr-en-calendrier-scolaire.csv', 2081],
  ['school_holidays', 'fr-en-calendrier-scolaire_api-fields-utc.csv', 2306],
  ['school_holidays', 'vacances-scolaires-par-zones_data.csv', 13514],
  ['national_consumption_halfhourly_odre', 'consommation-quotidienne-brute.csv', 242544],
  ['extras_regional_annual_consumption', 'consommation-annuelle-brute-regionale.csv', 156],
];

const written = [nationalXls, nationalOdre, regional, halfHourly, weatherGas, reference].flatMap((m) => m.generate());
const bytes = 0;
for (const { folder, file, rows } of written) console.log(`lake/${folder}/${file}: ${rows} data rows`);

const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const lines = [
  'cible,dossier,fichier,lignes_donnees',
  ...written.map(({ folder, file, rows }) => ['dev', folder, file, rows]),
  ...REAL.map(([folder, file, rows]) => ['real', folder, file, rows]),
].map((row) => (Array.isArray(row) ? row.map((x) => csvField(String(x))).join(',') : row));
writeFileSync(join(ROOT, 'seeds', 'fichiers_lac_attendus.csv'), `${lines.join('\n')}\n`);
console.log(`seeds/fichiers_lac_attendus.csv: ${written.length} sample files, ${REAL.length} real files`);
void bytes;
