// The 32 measures of RTE's national eCO2mix files (RTE "xls" downloads and ODRE's CSV export
// deliver the same ones), in file order: their headers, their bronze column and their typed silver column.
// One list for every model that carries them (JS macro module: every export is a helper).

const MESURES = [
  // [bronze column, silver column, realised (false: a forecast or a scheduled exchange),
  //  header in RTE's "xls" downloads, header in ODRE's CSV export]
  ['consommation', 'consommation_mw', true, 'Consommation', 'Consommation (MW)'],
  ['prevision_j1', 'prevision_j1_mw', false, 'Prévision J-1', 'Prévision J-1 (MW)'],
  ['prevision_j', 'prevision_j_mw', false, 'Prévision J', 'Prévision J (MW)'],
  ['fioul', 'fioul_mw', true, 'Fioul', 'Fioul (MW)'],
  ['charbon', 'charbon_mw', true, 'Charbon', 'Charbon (MW)'],
  ['gaz', 'gaz_mw', true, 'Gaz', 'Gaz (MW)'],
  ['nucleaire', 'nucleaire_mw', true, 'Nucléaire', 'Nucléaire (MW)'],
  ['eolien', 'eolien_mw', true, 'Eolien', 'Eolien (MW)'],
  ['solaire', 'solaire_mw', true, 'Solaire', 'Solaire (MW)'],
  ['hydraulique', 'hydraulique_mw', true, 'Hydraulique', 'Hydraulique (MW)'],
  ['pompage', 'pompage_mw', true, 'Pompage', 'Pompage (MW)'],
  ['bioenergies', 'bioenergies_mw', true, 'Bioénergies', 'Bioénergies (MW)'],
  ['ech_physiques', 'ech_physiques_mw', true, 'Ech. physiques', 'Ech. physiques (MW)'],
  ['taux_co2', 'taux_co2_g_kwh', true, 'Taux de Co2', 'Taux de CO2 (g/kWh)'],
  ['ech_comm_angleterre', 'ech_comm_angleterre_mw', false, 'Ech. comm. Angleterre', 'Ech. comm. Angleterre (MW)'],
  ['ech_comm_espagne', 'ech_comm_espagne_mw', false, 'Ech. comm. Espagne', 'Ech. comm. Espagne (MW)'],
  ['ech_comm_italie', 'ech_comm_italie_mw', false, 'Ech. comm. Italie', 'Ech. comm. Italie (MW)'],
  ['ech_comm_suisse', 'ech_comm_suisse_mw', false, 'Ech. comm. Suisse', 'Ech. comm. Suisse (MW)'],
  ['ech_comm_allemagne_belgique', 'ech_comm_allemagne_belgique_mw', false, 'Ech. comm. Allemagne-Belgique', 'Ech. comm. Allemagne-Belgique (MW)'],
  ['fioul_tac', 'fioul_tac_mw', true, 'Fioul - TAC', 'Fioul - TAC (MW)'],
  ['fioul_cogen', 'fioul_cogen_mw', true, 'Fioul - Cogén.', 'Fioul - Cogénération (MW)'],
  ['fioul_autres', 'fioul_autres_mw', true, 'Fioul - Autres', 'Fioul - Autres (MW)'],
  ['gaz_tac', 'gaz_tac_mw', true, 'Gaz - TAC', 'Gaz - TAC (MW)'],
  ['gaz_cogen', 'gaz_cogen_mw', true, 'Gaz - Cogén.', 'Gaz - Cogénération (MW)'],
  ['gaz_ccg', 'gaz_ccg_mw', true, 'Gaz - CCG', 'Gaz - CCG (MW)'],
  ['gaz_autres', 'gaz_autres_mw', true, 'Gaz - Autres', 'Gaz - Autres (MW)'],
  ['hydraulique_fil_eau_eclusee', 'hydraulique_fil_eau_eclusee_mw', true, 'Hydraulique - Fil de l?eau + éclusée', "Hydraulique - Fil de l'eau + éclusée (MW)"],
  ['hydraulique_lacs', 'hydraulique_lacs_mw', true, 'Hydraulique - Lacs', 'Hydraulique - Lacs (MW)'],
  ['hydraulique_step_turbinage', 'hydraulique_step_turbinage_mw', true, 'Hydraulique - STEP turbinage', 'Hydraulique - STEP turbinage (MW)'],
  ['bioenergies_dechets', 'bioenergies_dechets_mw', true, 'Bioénergies - Déchets', 'Bioénergies - Déchets (MW)'],
  ['bioenergies_biomasse', 'bioenergies_biomasse_mw', true, 'Bioénergies - Biomasse', 'Bioénergies - Biomasse (MW)'],
  ['bioenergies_biogaz', 'bioenergies_biogaz_mw', true, 'Bioénergies - Biogaz', 'Bioénergies - Biogaz (MW)'],
].map(([brute, colonne, realisee, entete_rte, entete_odre]) => ({ brute, colonne, realisee, entete_rte, entete_odre }));

/** The measures, for {{#each (mesures_nationales)}}…{{brute}}…{{colonne}}…{{entete_rte}}…{{entete_odre}}…{{/each}}. */
export function mesures_nationales() {
  return MESURES;
}

/**
 * The measures' columns as a comma-separated list: "brutes" (bronze names), "typees" (silver
 * names) or "realisees" (the silver names of realised measures: a row with none is a future row).
 */
export function liste_mesures_nationales(kind, options) {
  if (options === undefined) throw new Error('liste_mesures_nationales takes one argument: "brutes", "typees" or "realisees"');
  if (kind === 'brutes') return MESURES.map((m) => m.brute).join(', ');
  if (kind === 'typees') return MESURES.map((m) => m.colonne).join(', ');
  if (kind === 'realisees')
    return MESURES.filter((m) => m.realisee && !m.colonne.startsWith('ech_comm'))
      .map((m) => m.colonne)
      .join(', ');
  throw new Error(`liste_mesures_nationales: unknown kind "${kind}" (brutes, typees or realisees)`);
}
