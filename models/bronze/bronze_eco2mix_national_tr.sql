{{config materialized="incremental" incremental_strategy="append" tags="rte,eco2mix"}}
-- Every quarter-hour line of the RTE national real-time downloads, exactly as delivered:
-- all values stay text (blank, `ND` and `-` included), only the column names change to ASCII
-- snake_case. Lines that are not quarter-hour rows (the disclaimer closing each file) are listed
-- by bronze_eco2mix_rejected_lines, whose filter is the exact negation of the one below, so
-- every line of every file is in exactly one of the two models.
-- Incremental: a run appends the lines of the lake files not loaded yet; _loaded_at is the load.
select
    {{quote "Périmètre"}} as perimetre,
    {{quote "Nature"}} as nature,
    {{quote "Date"}} as date,
    {{quote "Heures"}} as heures,
    {{quote "Consommation"}} as consommation,
    {{quote "Prévision J-1"}} as prevision_j1,
    {{quote "Prévision J"}} as prevision_j,
    {{quote "Fioul"}} as fioul,
    {{quote "Charbon"}} as charbon,
    {{quote "Gaz"}} as gaz,
    {{quote "Nucléaire"}} as nucleaire,
    {{quote "Eolien"}} as eolien,
    {{quote "Solaire"}} as solaire,
    {{quote "Hydraulique"}} as hydraulique,
    {{quote "Pompage"}} as pompage,
    {{quote "Bioénergies"}} as bioenergies,
    {{quote "Ech. physiques"}} as ech_physiques,
    {{quote "Taux de Co2"}} as taux_co2,
    {{quote "Ech. comm. Angleterre"}} as ech_comm_angleterre,
    {{quote "Ech. comm. Espagne"}} as ech_comm_espagne,
    {{quote "Ech. comm. Italie"}} as ech_comm_italie,
    {{quote "Ech. comm. Suisse"}} as ech_comm_suisse,
    {{quote "Ech. comm. Allemagne-Belgique"}} as ech_comm_allemagne_belgique,
    {{quote "Fioul - TAC"}} as fioul_tac,
    {{quote "Fioul - Cogén."}} as fioul_cogen,
    {{quote "Fioul - Autres"}} as fioul_autres,
    {{quote "Gaz - TAC"}} as gaz_tac,
    {{quote "Gaz - Cogén."}} as gaz_cogen,
    {{quote "Gaz - CCG"}} as gaz_ccg,
    {{quote "Gaz - Autres"}} as gaz_autres,
    {{quote "Hydraulique - Fil de l?eau + éclusée"}} as hydraulique_fil_eau_eclusee,
    {{quote "Hydraulique - Lacs"}} as hydraulique_lacs,
    {{quote "Hydraulique - STEP turbinage"}} as hydraulique_step_turbinage,
    {{quote "Bioénergies - Déchets"}} as bioenergies_dechets,
    {{quote "Bioénergies - Biomasse"}} as bioenergies_biomasse,
    {{quote "Bioénergies - Biogaz"}} as bioenergies_biogaz,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "rte" "eco2mix_national_tr"}}
-- A quarter-hour row has a readable date and a time field.
where {{safe_cast (quote "Date") "date"}} is not null
  and {{quote "Heures"}} is not null
  {{fichiers_non_charges "_source_file"}}
