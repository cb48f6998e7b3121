#!/usr/bin/env node
// Regenerates docs/analysis.md from the gold tables of target `real`.
//
//   npx tsdbt build --target real        # builds target/real.duckdb from ../shared/data
//   node scripts/generate-analysis.mjs   # reads it, writes docs/analysis.md
//
// Every figure in the document comes from a query below on a gold table; nothing is typed by
// hand. The output depends only on the database content (no clock), so rerunning on the same
// data gives the same bytes. Options: --db <path> (default target/real.duckdb), --out <path>.
//
// It also draws the document's charts as SVG files in docs/charts/ (beside --out), with the
// compiled charts module of tsdbt (dist/docs/charts.js: Vega-Lite rendered offline to SVG;
// `npm run build` first). They are as deterministic as the text: same data, same bytes.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const DB = arg('--db', join(ROOT, 'target', 'real.duckdb'));
const OUT = arg('--out', join(ROOT, 'docs', 'analysis.md'));
const CHARTS = join(dirname(OUT), 'charts');

const chartsModule = join(ROOT, 'dist', 'docs', 'charts.js');
if (!existsSync(chartsModule)) {
  console.error(`${relative(process.cwd(), chartsModule)} is missing: run \`npm run build\` first.`);
  process.exit(2);
}
const { renderSvg } = await import(pathToFileURL(chartsModule).href);

const instance = await DuckDBInstance.create(DB, { access_mode: 'READ_ONLY' });
const connection = await instance.connect();
async function rows(sql) {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson();
}
const one = async (sql) => (await rows(sql))[0];

const fr = (x, digits = 1) =>
  x === null || x === undefined ? '—' : Number(x).toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const int = (x) => (x === null || x === undefined ? '—' : Number(x).toLocaleString('en-GB', { maximumFractionDigits: 0 }));
/** A Markdown table; the first column is left-aligned, the others (figures) right-aligned. */
const table = (header, lines) =>
  [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');

// ---------------------------------------------------------------------------------------------
// Queries (one block per section)

const periode = await one(`
  select min(date_locale)::varchar as debut, max(date_locale)::varchar as fin,
         count(*) as jours, count(*) filter (where journee_complete) as complets
  from gold.mix_energetique_quotidien`);
const periodes = await rows(`
  select strftime(date_locale, '%Y-%m') as mois, count(*) filter (where journee_complete) as jours
  from gold.mix_energetique_quotidien group by 1 having count(*) filter (where journee_complete) > 0 order by 1`);
const mix = await one(`
  select
    sum(production_totale_mwh) / 1e6 as production_twh,
    100 * sum(nucleaire_mwh) / sum(production_totale_mwh) as nucleaire,
    100 * sum(hydraulique_mwh) / sum(production_totale_mwh) as hydraulique,
    100 * sum(eolien_mwh) / sum(production_totale_mwh) as eolien,
    100 * sum(solaire_mwh) / sum(production_totale_mwh) as solaire,
    100 * sum(bioenergies_mwh) / sum(production_totale_mwh) as bioenergies,
    100 * sum(gaz_mwh) / sum(production_totale_mwh) as gaz,
    100 * sum(charbon_mwh) / sum(production_totale_mwh) as charbon,
    100 * sum(fioul_mwh) / sum(production_totale_mwh) as fioul,
    100 * sum(renouvelables_mwh) / sum(production_totale_mwh) as renouvelables,
    100 * sum(fossiles_mwh) / sum(production_totale_mwh) as fossiles,
    min(part_renouvelables_pct) as renouvelables_min, max(part_renouvelables_pct) as renouvelables_max
  from gold.mix_energetique_quotidien where journee_complete`);
const mixParMois = await rows(`
  select strftime(date_locale, '%Y-%m') as mois,
    100 * sum(nucleaire_mwh) / sum(production_totale_mwh) as nucleaire,
    100 * sum(renouvelables_mwh) / sum(production_totale_mwh) as renouvelables,
    100 * sum(fossiles_mwh) / sum(production_totale_mwh) as fossiles
  from gold.mix_energetique_quotidien where journee_complete group by 1 order by 1`);

const co2Heures = await rows(`
  select heure, avg(taux_co2_g_kwh) as taux, avg(part_bas_carbone_pct) as bas_carbone,
         avg(rang_proprete_jour) as rang
  from gold.empreinte_carbone where nb_quarts_heure = 4 group by heure order by taux`);
const co2 = await one(`
  select sum(co2_tonnes) / sum(production_totale_mwh) * 1000 as taux_pondere,
         min(taux_co2_g_kwh) as taux_min, max(taux_co2_g_kwh) as taux_max
  from gold.empreinte_carbone where nb_quarts_heure = 4`);

const baseline = await one(`select * from gold.prevision_baseline_mape where perimetre = 'avec_prevision_j1'`);
const baselineAnnees = await one(`
  select min(mape_naive_pct) as mini, max(mape_naive_pct) as maxi, min(annee) as premiere, max(annee) as derniere,
         sum(nb_demi_heures * mape_naive_pct) / sum(nb_demi_heures) as moyenne
  from gold.prevision_baseline_mape where perimetre = 'serie_complete'`);
const mapeHeures = await rows(`select heure, mape_j1_pct, mape_j_pct, biais_j1_mw from gold.consommation_previsions_mape_horaire order by mape_j1_pct desc`);

const thermo = await rows(`
  select region, saison_chauffe, nb_jours, thermosensibilite_mw_par_degre as mw, r2, gradient_pct_par_degre as pct
  from gold.thermosensibilite_regionale
  where ajustement_fiable
  order by saison_chauffe, mw desc`);
const thermoSaisons = [...new Set(thermo.map((t) => t.saison_chauffe))];

const gaz = await rows(`
  select saison_gaziere, any_value(correlation_variation_temperature_saison) as corr_variation,
         any_value(correlation_stock_temperature_saison) as corr_stock,
         any_value(nb_jours_temperature_saison) as jours,
         avg(variation_gwh) as variation_moyenne
  from gold.stock_gaz_temperature
  where temperature_france_c is not null
  group by saison_gaziere
  having any_value(nb_jours_temperature_saison) >= 60
  order by min(date)`);

const controle = await rows(`
  select annee, count(*) as regions, max(abs(ecart_pct)) as ecart_max, avg(ecart_pct) as ecart_moyen
  from gold.controle_consommation_annuelle_regionale
  where annee_complete and consommation_annuelle_odre_gwh is not null
  group by annee order by annee`);

// Chart data (the tables above already hold the rest)

const mixJours = await rows(`
  select date_locale::varchar as jour, nucleaire_mwh, hydraulique_mwh, eolien_mwh, solaire_mwh,
         bioenergies_mwh, gaz_mwh, charbon_mwh, fioul_mwh
  from gold.mix_energetique_quotidien where journee_complete order by date_locale`);
const co2Distribution = await rows(`
  select heure, avg(taux_co2_g_kwh) as moyenne,
         quantile_cont(taux_co2_g_kwh, 0.25) as q1, quantile_cont(taux_co2_g_kwh, 0.75) as q3
  from gold.empreinte_carbone where nb_quarts_heure = 4 group by heure order by heure`);
const seuilChauffage = (await one(`select min(seuil_chauffage_c) as seuil from gold.thermosensibilite_regionale`)).seuil;
const gazParTemperature = await rows(`
  select case when saison_gaziere like 'hiver%' then 'hiver' else 'ete' end as saison,
         round(temperature_france_c)::integer as temperature, count(*) as jours, avg(variation_gwh) as moyenne,
         quantile_cont(variation_gwh, 0.25) as q1, quantile_cont(variation_gwh, 0.75) as q3
  from gold.stock_gaz_temperature
  where temperature_france_c is not null and variation_gwh is not null and nb_jours_temperature_saison >= 60
  group by all having count(*) >= 5 order by saison, temperature`);

// ---------------------------------------------------------------------------------------------
// The charts (Vega-Lite specs, rendered to docs/charts/*.svg)

const MOIS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;
const utcDay = (iso) => Date.parse(`${iso}T00:00:00Z`);
const heureAxis = { title: 'Local hour (Europe/Paris)', values: [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22], grid: false };
// half an hour of margin each side, so the points and bars of 0 h and 23 h are whole
const hourScale = { domain: [-0.5, 23.5], nice: false, zero: false };

/** The national mix, stacked from the bottom in this order, with the usual colours of each source. */
const SOURCES = [
  { field: 'nucleaire_mwh', label: 'Nucléaire', colour: '#f2c200' },
  { field: 'hydraulique_mwh', label: 'Hydraulique', colour: '#2f7fd1' },
  { field: 'eolien_mwh', label: 'Éolien', colour: '#17a398' },
  { field: 'solaire_mwh', label: 'Solaire', colour: '#f28a1e' },
  { field: 'bioenergies_mwh', label: 'Bioénergies', colour: '#5fa83a' },
  { field: 'gaz_mwh', label: 'Gaz', colour: '#8f8f8f' },
  { field: 'charbon_mwh', label: 'Charbon', colour: '#454545' },
  { field: 'fioul_mwh', label: 'Fioul', colour: '#8c5a3c' },
];

/** Runs of days with no gap over a week: one panel each, so the months years apart are not joined. */
function periodesContinues(jours) {
  const runs = [];
  for (const j of jours) {
    const last = runs.at(-1);
    if (last && utcDay(j.jour) - utcDay(last.at(-1).jour) <= 7 * DAY_MS) last.push(j);
    else runs.push([j]);
  }
  return runs;
}
const monthLabel = (iso) => `${MOIS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
function periodLabel(first, last) {
  if (first.slice(0, 7) === last.slice(0, 7)) return monthLabel(first);
  if (first.slice(0, 4) === last.slice(0, 4)) return `${MOIS[Number(first.slice(5, 7)) - 1]}–${monthLabel(last)}`;
  return `${monthLabel(first)} – ${monthLabel(last)}`;
}

function mixChart() {
  const runs = periodesContinues(mixJours);
  const totalDays = runs.reduce((n, r) => n + r.length, 0);
  const maxGwh = Math.max(...mixJours.map((j) => SOURCES.reduce((sum, s) => sum + (j[s.field] ?? 0), 0) / 1000));
  const yMax = Math.ceil((maxGwh * 1.08) / 100) * 100;
  const plotWidth = 620;
  // the legend lists the sources top to bottom as they are stacked: reversed
  const colour = { domain: SOURCES.map((s) => s.label).reverse(), range: SOURCES.map((s) => s.colour).reverse() };
  const panel = (run, i) => {
    const width = Math.max(90, Math.round((plotWidth * run.length) / totalDays));
    // weekly ticks, every n weeks when they would be closer than 40 px
    const weekStep = Math.max(1, Math.ceil(40 / ((7 * width) / run.length)));
    return {
      width,
      height: 260,
      title: { text: periodLabel(run[0].jour, run.at(-1).jour), fontSize: 11, fontWeight: 'normal', anchor: 'middle', offset: 6 },
      data: {
        values: run.flatMap((j) => SOURCES.map((s, ordre) => ({ jour: utcDay(j.jour), source: s.label, ordre, gwh: (j[s.field] ?? 0) / 1000 }))),
      },
      mark: { type: 'area', interpolate: 'linear', strokeWidth: 0 },
      encoding: {
        x: {
          field: 'jour',
          type: 'temporal',
          scale: { type: 'utc' },
          axis: { title: null, format: '%-d %b', tickCount: { interval: 'week', step: weekStep }, labelOverlap: false, grid: false },
        },
        y: {
          field: 'gwh',
          type: 'quantitative',
          stack: 'zero',
          // a little headroom above the highest day, so the top tick label stays inside the panel
          // and every panel title sits at the same height
          scale: { domain: [0, yMax], nice: false },
          axis: i === 0 ? { title: 'Generation (GWh per day)' } : { title: null, labels: false, ticks: false, domain: false },
        },
        color: { field: 'source', type: 'nominal', scale: colour, legend: { title: 'Source', orient: 'right' } },
        order: { field: 'ordre', type: 'quantitative' },
      },
    };
  };
  return {
    title: {
      text: 'Daily French electricity generation by source',
      subtitle: 'GWh per local day, complete days of RTE éCO2mix (mix_energetique_quotidien); one panel per period of the data',
    },
    spacing: 12,
    hconcat: runs.map(panel),
    resolve: { scale: { y: 'shared', color: 'shared' } },
  };
}

function co2Chart() {
  const points = co2Distribution.map((h) => ({ heure: Number(h.heure), moyenne: h.moyenne, q1: h.q1, q3: h.q3 }));
  const colour = '#2d6a4f';
  // the cleanest and the dirtiest hour on average, labelled below and above their point
  const byMean = [...points].sort((a, b) => a.moyenne - b.moyenne);
  const extremes = [
    { ...byMean[0], label: `${fr(byMean[0].moyenne)} g/kWh`, dy: 14 },
    { ...byMean.at(-1), label: `${fr(byMean.at(-1).moyenne)} g/kWh`, dy: -10 },
  ];
  return {
    title: {
      text: 'CO2 intensity of French generation by hour of day',
      subtitle: 'mean over the days (line) and interquartile range of the days (band), complete hours (empreinte_carbone)',
    },
    width: 620,
    height: 260,
    data: { values: points },
    encoding: { x: { field: 'heure', type: 'quantitative', scale: hourScale, axis: heureAxis } },
    layer: [
      {
        mark: { type: 'area', color: colour, opacity: 0.15 },
        encoding: {
          y: { field: 'q1', type: 'quantitative', title: 'CO2 intensity (g/kWh)', scale: { zero: true } },
          y2: { field: 'q3' },
        },
      },
      {
        mark: { type: 'line', color: colour, strokeWidth: 2, point: { filled: true, size: 30, color: colour } },
        encoding: { y: { field: 'moyenne', type: 'quantitative' } },
      },
      ...extremes.map((e) => ({
        data: { values: [e] },
        mark: { type: 'text', dy: e.dy, fontSize: 10, color: '#222' },
        encoding: { y: { field: 'moyenne', type: 'quantitative' }, text: { field: 'label' } },
      })),
    ],
  };
}

function forecastChart() {
  const lines = [...mapeHeures]
    .sort((a, b) => a.heure - b.heure)
    .flatMap((h) => [
      { heure: Number(h.heure), prevision: 'J-1 (day-ahead)', mape: h.mape_j1_pct },
      { heure: Number(h.heure), prevision: 'J (same day)', mape: h.mape_j_pct },
    ]);
  const biais = [...mapeHeures].sort((a, b) => a.heure - b.heure).map((h) => ({ heure: Number(h.heure), biais: h.biais_j1_mw }));
  return {
    title: {
      text: "Error of RTE's consumption forecasts by hour of day",
      subtitle: [
        'top: mean absolute error in % of consumption; bottom: mean J-1 error, realised minus forecast (> 0: under-forecast)',
        'quarter-hours with a forecast, national real-time data (consommation_previsions_mape_horaire)',
      ],
    },
    spacing: 16,
    vconcat: [
      {
        width: 620,
        height: 200,
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 30 } },
        encoding: {
          x: { field: 'heure', type: 'quantitative', scale: hourScale, axis: { ...heureAxis, title: null } },
          y: { field: 'mape', type: 'quantitative', title: 'Mean absolute error (%)', scale: { zero: true } },
          color: {
            field: 'prevision',
            type: 'nominal',
            scale: { domain: ['J-1 (day-ahead)', 'J (same day)'], range: ['#c0392b', '#7f8c8d'] },
            legend: { title: null, orient: 'top', direction: 'horizontal' },
          },
        },
      },
      {
        width: 620,
        height: 110,
        data: { values: biais },
        layer: [
          {
            mark: { type: 'bar', color: '#c0392b', opacity: 0.8, width: 14 },
            encoding: {
              x: { field: 'heure', type: 'quantitative', scale: hourScale, axis: heureAxis },
              y: { field: 'biais', type: 'quantitative', title: 'J-1 mean error (MW)' },
            },
          },
          { mark: { type: 'rule', color: '#888' }, encoding: { y: { datum: 0 } } },
        ],
      },
    ],
  };
}

function thermoChart() {
  const regions = [...new Set(thermo.map((t) => t.region))];
  const best = (r) => Math.max(...thermo.filter((t) => t.region === r).map((t) => t.mw));
  regions.sort((a, b) => best(b) - best(a) || a.localeCompare(b, 'fr'));
  const palette = ['#9ecae1', '#4a90c8', '#08468c', '#6a51a3', '#3f007d'];
  const values = thermo.map((t) => ({ region: t.region, saison: t.saison_chauffe, mw: t.mw, label: fr(t.mw, 0) }));
  const y = { field: 'region', type: 'nominal', sort: regions, title: null, axis: { labelLimit: 280, ticks: false } };
  const yOffset = { field: 'saison', type: 'nominal', sort: thermoSaisons };
  return {
    title: {
      text: 'Thermosensitivity of regional consumption per heating season',
      subtitle: `extra mean consumption per °C below ${seuilChauffage} °C, complete working days, fits with at least 30 days (thermosensibilite_regionale)`,
    },
    width: 520,
    height: 26 * regions.length,
    data: { values },
    encoding: { y, yOffset },
    layer: [
      {
        mark: { type: 'bar', height: { band: 0.9 } },
        encoding: {
          x: { field: 'mw', type: 'quantitative', title: `Thermosensitivity (MW per °C below ${seuilChauffage} °C)` },
          color: {
            field: 'saison',
            type: 'nominal',
            scale: { domain: thermoSaisons, range: palette.slice(0, thermoSaisons.length) },
            legend: { title: 'Heating season', orient: 'bottom-right', fillColor: 'white', padding: 6 },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 8, color: '#444' },
        encoding: { x: { field: 'mw', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

function gazChart() {
  const saisons = { hiver: 'Winter: withdrawal (Nov–Mar)', ete: 'Summer: injection (Apr–Oct)' };
  const values = gazParTemperature.map((g) => ({
    saison: saisons[g.saison],
    temperature: g.temperature,
    moyenne: g.moyenne,
    q1: g.q1,
    q3: g.q3,
  }));
  const colour = {
    field: 'saison',
    type: 'nominal',
    scale: { domain: Object.values(saisons), range: ['#2166ac', '#e08214'] },
    legend: { title: 'Gas season', orient: 'bottom-right', fillColor: 'white', padding: 6, labelLimit: 300, symbolOpacity: 1 },
  };
  return {
    title: {
      text: 'Daily change of French gas storage against national temperature',
      subtitle: [
        'mean change per 1 °C of population-weighted national temperature (line), interquartile range of the days (band)',
        'bins of at least 5 days, gas seasons with at least 60 days of temperature (stock_gaz_temperature)',
      ],
    },
    width: 620,
    height: 280,
    data: { values },
    encoding: {
      x: { field: 'temperature', type: 'quantitative', title: 'National mean temperature (°C)', scale: { zero: false, nice: true }, axis: { grid: false } },
    },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: { y: { field: 'q1', type: 'quantitative', title: 'Stock change (GWh per day)' }, y2: { field: 'q3' }, color: colour },
      },
      {
        mark: { type: 'line', strokeWidth: 2, point: { filled: true, size: 24 } },
        encoding: { y: { field: 'moyenne', type: 'quantitative' }, color: colour },
      },
      { mark: { type: 'rule', color: '#666', strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
    ],
  };
}

const charts = {
  mix: { file: 'mix-quotidien.svg', spec: mixChart() },
  co2: { file: 'co2-par-heure.svg', spec: co2Chart() },
  previsions: { file: 'erreur-prevision-j1-par-heure.svg', spec: forecastChart() },
  thermo: { file: 'thermosensibilite-regionale.svg', spec: thermoChart() },
  gaz: { file: 'stock-gaz-temperature.svg', spec: gazChart() },
};
mkdirSync(CHARTS, { recursive: true });
for (const chart of Object.values(charts)) {
  chart.path = join(CHARTS, chart.file);
  writeFileSync(chart.path, `${await renderSvg(chart.spec)}\n`);
}
/** A Markdown image of a chart, relative to the document. */
const image = (chart, alt) => `![${alt}](${relative(dirname(OUT), chart.path).split('\\').join('/')})`;

// ---------------------------------------------------------------------------------------------
// The document

const hivers = gaz.filter((g) => g.saison_gaziere.startsWith('hiver'));
const etes = gaz.filter((g) => g.saison_gaziere.startsWith('ete'));
const propres = co2Heures.slice(0, 3);
const sales = co2Heures.slice(-3).reverse();
const pires = mapeHeures.slice(0, 3);
const meilleures = mapeHeures.slice(-3).reverse();

const doc = `# Analysis: the French electricity system in the reference data

*Generated by \`node scripts/generate-analysis.mjs\` from the gold tables of target \`real\`
(\`npx tsdbt build --target real\` over \`../shared/data\`, database \`${relative(ROOT, DB)}\`). Every
figure below is a query on a gold table; regenerate instead of editing. What each table
answers, and the data's caveats: [energy-project.md](energy-project.md).*

## 1. National mix

The national éCO2mix data covers ${int(periode.jours)} local days between ${periode.debut} and ${periode.fin}
(${int(periode.complets)} complete), in ${periodes.length} months: ${periodes.map((p) => `${p.mois} (${p.jours} days)`).join(', ')}.
Over the complete days (\`mix_energetique_quotidien\`), French generation was ${fr(mix.production_twh)} TWh:

${table(
  ['source', 'share of generation %'],
  [
    ['nuclear', fr(mix.nucleaire)],
    ['hydro', fr(mix.hydraulique)],
    ['wind', fr(mix.eolien)],
    ['solar', fr(mix.solaire)],
    ['bioenergy', fr(mix.bioenergies)],
    ['gas', fr(mix.gaz)],
    ['coal', fr(mix.charbon)],
    ['oil', fr(mix.fioul)],
    ['**renewables**', `**${fr(mix.renouvelables)}**`],
    ['**fossil**', `**${fr(mix.fossiles)}**`],
  ],
)}

${image(charts.mix, 'Daily generation by source (GWh per day), stacked, one panel per period of the data')}

The daily renewable share ranged from ${fr(mix.renouvelables_min)} % to ${fr(mix.renouvelables_max)} %. By month:

${table(
  ['month', 'nuclear %', 'renewables %', 'fossil %'],
  mixParMois.map((m) => [m.mois, fr(m.nucleaire), fr(m.renouvelables), fr(m.fossiles)]),
)}

## 2. Cleanest and dirtiest hours

Generation-weighted CO2 intensity over the period: ${fr(co2.taux_pondere)} g/kWh (hourly means from
${fr(co2.taux_min)} to ${fr(co2.taux_max)} g/kWh, \`empreinte_carbone\`). Averaged by local hour of day, the
cleanest hours to consume are ${propres.map((h) => `${h.heure} h (${fr(h.taux)} g/kWh)`).join(', ')}; the
dirtiest are ${sales.map((h) => `${h.heure} h (${fr(h.taux)} g/kWh)`).join(', ')}.

${image(charts.co2, 'CO2 intensity (g/kWh) by local hour: mean and interquartile range over the days')}

${table(
  ['hour', 'g/kWh', 'low-carbon %', 'mean rank in day'],
  co2Heures
    .slice()
    .sort((a, b) => a.heure - b.heure)
    .map((h) => [h.heure, fr(h.taux), fr(h.bas_carbone), fr(h.rang)]),
)}

## 3. Forecasts: RTE's J-1 against a seasonal-naive baseline

On the ${int(baseline.nb_demi_heures)} half-hours where both exist (\`prevision_baseline_mape\`), RTE's
day-ahead forecast has a MAPE of **${fr(baseline.mape_j1_pct, 2)} %** against **${fr(baseline.mape_naive_pct, 2)} %** for
"same time last week": RTE's forecast is ${fr(baseline.mape_naive_pct / baseline.mape_j1_pct)} times more accurate. Over the
whole ${baselineAnnees.premiere}-${baselineAnnees.derniere} series the naive forecast's yearly MAPE ranges from
${fr(baselineAnnees.mini, 2)} % to ${fr(baselineAnnees.maxi, 2)} % (${fr(baselineAnnees.moyenne, 2)} % overall): weather and
holidays move consumption more than the weekly pattern explains.

By local hour (\`consommation_previsions_mape_horaire\`), the J-1 forecast is least accurate at
${pires.map((h) => `${h.heure} h (${fr(h.mape_j1_pct, 2)} %)`).join(', ')} and most accurate at
${meilleures.map((h) => `${h.heure} h (${fr(h.mape_j1_pct, 2)} %)`).join(', ')}.

${image(charts.previsions, 'Mean absolute error (%) of the J-1 and J forecasts and mean J-1 error (MW) by local hour')}

## 4. Thermosensitivity per region

Extra mean consumption per °C below 15 °C, fitted on complete working days of each heating
season (\`thermosensibilite_regionale\`, fits with at least 30 days):

${image(charts.thermo, `MW per °C below ${seuilChauffage} °C per region and heating season`)}

${thermoSaisons
  .map(
    (saison) =>
      `**${saison}**\n\n${table(
        ['region', 'MW per °C', '% per °C', 'r²', 'days'],
        thermo.filter((t) => t.saison_chauffe === saison).map((t) => [t.region, fr(t.mw, 0), fr(t.pct, 2), fr(t.r2, 2), t.nb_jours]),
      )}`,
  )
  .join('\n\n')}

## 5. Gas storage and temperature

The daily change of French gas storage tracks the national (population-weighted) temperature
in the withdrawal season (\`stock_gaz_temperature\`): the correlation between the day's stock
change and temperature is ${hivers.length > 0 ? `between ${fr(Math.min(...hivers.map((g) => g.corr_variation)), 2)} and ${fr(Math.max(...hivers.map((g) => g.corr_variation)), 2)}` : '—'} over the
winters (colder days, bigger withdrawals), against ${etes.length > 0 ? `${fr(Math.min(...etes.map((g) => g.corr_variation)), 2)} to ${fr(Math.max(...etes.map((g) => g.corr_variation)), 2)}` : '—'}
in the injection seasons. The stock level itself correlates weakly with the day's temperature
(${fr(Math.min(...gaz.map((g) => g.corr_stock)), 2)} to ${fr(Math.max(...gaz.map((g) => g.corr_stock)), 2)}).

${image(charts.gaz, 'Daily change of gas storage (GWh per day) by national temperature (°C), winters and summers')}

${table(
  ['season', 'corr(change, T)', 'corr(stock, T)', 'mean change GWh/day', 'days'],
  gaz.map((g) => [g.saison_gaziere, fr(g.corr_variation, 2), fr(g.corr_stock, 2), fr(g.variation_moyenne, 0), g.jours]),
)}

## 6. Cross-check of the regional data

Summing the regional 15/30-minute data with each value's own interval reproduces ODRE's
published annual consumption (\`controle_consommation_annuelle_regionale\`, years with every
day present): ${controle.length > 0 ? `within ${fr(controle[0].ecart_max, 2)} % in every region for ${controle[0].annee}` : ''}. Later
years differ by up to a few %, which these files alone cannot explain (the RTE downloads and
ODRE's annual series may be different revisions; see the caveats in energy-project.md).

${table(
  ['year', 'regions', 'largest gap %', 'mean gap %'],
  controle.map((c) => [c.annee, c.regions, fr(c.ecart_max, 2), fr(c.ecart_moyen, 2)]),
)}
`;

writeFileSync(OUT, doc);
console.log(`${relative(process.cwd(), OUT)} written from ${relative(process.cwd(), DB)}`);
