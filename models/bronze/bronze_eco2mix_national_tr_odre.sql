{{config materialized="incremental" incremental_strategy="append" tags="odre,eco2mix"}}
-- Every row of the ODRE export of éCO2mix national real-time data, as delivered (text), with
-- the same ASCII snake_case names as bronze_eco2mix_national_tr (units dropped from the names;
-- every value is MW except taux_co2 in g/kWh) plus `date_heure`, ODRE's ISO 8601 instant.
-- Every line of a CSV export is a data row (no trailer). Incremental: appends files not loaded yet.
select
    "Périmètre" as perimetre,
    "Nature" as nature,
    "Date" as date,
    "Heure" as heures,
    "Date - Heure" as date_heure,
    "Consommation (MW)" as consommation,
    "Prévision J-1 (MW)" as prevision_j1,
    "Prévision J (MW)" as prevision_j,
    "Fioul (MW)" as fioul,
    "Charbon (MW)" as charbon,
    "Gaz (MW)" as gaz,
    "Nucléaire (MW)" as nucleaire,
    "Eolien (MW)" as eolien,
    "Solaire (MW)" as solaire,
    "Hydraulique (MW)" as hydraulique,
    "Pompage (MW)" as pompage,
    "Bioénergies (MW)" as bioenergies,
    "Ech. physiques (MW)" as ech_physiques,
    "Taux de CO2 (g/kWh)" as taux_co2,
    "Ech. comm. Angleterre (MW)" as ech_comm_angleterre,
    "Ech. comm. Espagne (MW)" as ech_comm_espagne,
    "Ech. comm. Italie (MW)" as ech_comm_italie,
    "Ech. comm. Suisse (MW)" as ech_comm_suisse,
    "Ech. comm. Allemagne-Belgique (MW)" as ech_comm_allemagne_belgique,
    "Fioul - TAC (MW)" as fioul_tac,
    "Fioul - Cogénération (MW)" as fioul_cogen,
    "Fioul - Autres (MW)" as fioul_autres,
    "Gaz - TAC (MW)" as gaz_tac,
    "Gaz - Cogénération (MW)" as gaz_cogen,
    "Gaz - CCG (MW)" as gaz_ccg,
    "Gaz - Autres (MW)" as gaz_autres,
    "Hydraulique - Fil de l'eau + éclusée (MW)" as hydraulique_fil_eau_eclusee,
    "Hydraulique - Lacs (MW)" as hydraulique_lacs,
    "Hydraulique - STEP turbinage (MW)" as hydraulique_step_turbinage,
    "Bioénergies - Déchets (MW)" as bioenergies_dechets,
    "Bioénergies - Biomasse (MW)" as bioenergies_biomasse,
    "Bioénergies - Biogaz (MW)" as bioenergies_biogaz,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "eco2mix_national_tr"}}
where 1 = 1
  {{fichiers_non_charges "_source_file"}}
