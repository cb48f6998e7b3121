#!/usr/bin/env node
// Regenerates docs/analysis.md from the gold tables of target `real`.
//
//   npx tsdbt build --target real        # builds target/real.duckdb from ../shared/data
//   node scripts/generate-analysis.mjs   # reads it, writes docs/analysis.md
//
// Every figure in the document comes from a query below on a gold table; nothing is typed by
// hand. The output depends only on the database content (no clock), so rerunning on the same
// data gives the same bytes. Options: --db <path> (default target/real.duckdb), --out <path>.

import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const DB = arg('--db', join(ROOT, 'target', 'real.duckdb'));
const OUT = arg('--out', join(ROOT, 'docs', 'analysis.md'));

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

## 4. Thermosensitivity per region

Extra mean consumption per °C below 15 °C, fitted on complete working days of each heating
season (\`thermosensibilite_regionale\`, fits with at least 30 days):

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
