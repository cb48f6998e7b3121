{{config materialized="incremental" incremental_strategy="append" tags="odre,eco2mix"}}
-- Every row of the ODRE export of éCO2mix national real-time data, as delivered (text), with
-- the same ASCII snake_case names as bronze_eco2mix_national_tr (units dropped from the names;
-- every value is MW except taux_co2 in g/kWh) plus `date_heure`, ODRE's ISO 8601 instant.
-- Every line of a CSV export is a data row (no trailer). Incremental: appends files not loaded yet.
select
    {{quote "Périmètre"}} as perimetre,
    {{quote "Nature"}} as nature,
    {{quote "Date"}} as date,
    {{quote "Heure"}} as heures,
    {{quote "Date - Heure"}} as date_heure,
    {{quote "Consommation (MW)"}} as consommation,
    {{quote "Prévision J-1 (MW)"}} as prevision_j1,
    {{quote "Prévision J (MW)"}} as prevision_j,
    {{quote "Fioul (MW)"}} as fioul,
    {{quote "Charbon (MW)"}} as charbon,
    {{quote "Gaz (MW)"}} as gaz,
    {{quote "Nucléaire (MW)"}} as nucleaire,
    {{quote "Eolien (MW)"}} as eolien,
    {{quote "Solaire (MW)"}} as solaire,
    {{quote "Hydraulique (MW)"}} as hydraulique,
    {{quote "Pompage (MW)"}} as pompage,
    {{quote "Bioénergies (MW)"}} as bioenergies,
    {{quote "Ech. physiques (MW)"}} as ech_physiques,
    {{quote "Taux de CO2 (g/kWh)"}} as taux_co2,
    {{quote "Ech. comm. Angleterre (MW)"}} as ech_comm_angleterre,
    {{quote "Ech. comm. Espagne (MW)"}} as ech_comm_espagne,
    {{quote "Ech. comm. Italie (MW)"}} as ech_comm_italie,
    {{quote "Ech. comm. Suisse (MW)"}} as ech_comm_suisse,
    {{quote "Ech. comm. Allemagne-Belgique (MW)"}} as ech_comm_allemagne_belgique,
    {{quote "Fioul - TAC (MW)"}} as fioul_tac,
    {{quote "Fioul - Cogénération (MW)"}} as fioul_cogen,
    {{quote "Fioul - Autres (MW)"}} as fioul_autres,
    {{quote "Gaz - TAC (MW)"}} as gaz_tac,
    {{quote "Gaz - Cogénération (MW)"}} as gaz_cogen,
    {{quote "Gaz - CCG (MW)"}} as gaz_ccg,
    {{quote "Gaz - Autres (MW)"}} as gaz_autres,
    {{quote "Hydraulique - Fil de l'eau + éclusée (MW)"}} as hydraulique_fil_eau_eclusee,
    {{quote "Hydraulique - Lacs (MW)"}} as hydraulique_lacs,
    {{quote "Hydraulique - STEP turbinage (MW)"}} as hydraulique_step_turbinage,
    {{quote "Bioénergies - Déchets (MW)"}} as bioenergies_dechets,
    {{quote "Bioénergies - Biomasse (MW)"}} as bioenergies_biomasse,
    {{quote "Bioénergies - Biogaz (MW)"}} as bioenergies_biogaz,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "eco2mix_national_tr"}}
where 1 = 1
  {{fichiers_non_charges "_source_file"}}
