{{config materialized="incremental" incremental_strategy="append" tags="rte,eco2mix"}}
-- Every quarter-hour line of the RTE national real-time downloads, exactly as delivered:
-- all values stay text (blank, `ND` and `-` included), only the column names change to ASCII
-- snake_case. Lines that are not quarter-hour rows (the disclaimer closing each file) are listed
-- by bronze_eco2mix_rejected_lines, whose filter is the exact negation of the one below, so
-- every line of every file is in exactly one of the two models.
-- Incremental: a run appends the lines of the lake files not loaded yet; _loaded_at is the load.
select
    "Périmètre" as perimetre,
    "Nature" as nature,
    "Date" as date,
    "Heures" as heures,
    "Consommation" as consommation,
    "Prévision J-1" as prevision_j1,
    "Prévision J" as prevision_j,
    "Fioul" as fioul,
    "Charbon" as charbon,
    "Gaz" as gaz,
    "Nucléaire" as nucleaire,
    "Eolien" as eolien,
    "Solaire" as solaire,
    "Hydraulique" as hydraulique,
    "Pompage" as pompage,
    "Bioénergies" as bioenergies,
    "Ech. physiques" as ech_physiques,
    "Taux de Co2" as taux_co2,
    "Ech. comm. Angleterre" as ech_comm_angleterre,
    "Ech. comm. Espagne" as ech_comm_espagne,
    "Ech. comm. Italie" as ech_comm_italie,
    "Ech. comm. Suisse" as ech_comm_suisse,
    "Ech. comm. Allemagne-Belgique" as ech_comm_allemagne_belgique,
    "Fioul - TAC" as fioul_tac,
    "Fioul - Cogén." as fioul_cogen,
    "Fioul - Autres" as fioul_autres,
    "Gaz - TAC" as gaz_tac,
    "Gaz - Cogén." as gaz_cogen,
    "Gaz - CCG" as gaz_ccg,
    "Gaz - Autres" as gaz_autres,
    "Hydraulique - Fil de l?eau + éclusée" as hydraulique_fil_eau_eclusee,
    "Hydraulique - Lacs" as hydraulique_lacs,
    "Hydraulique - STEP turbinage" as hydraulique_step_turbinage,
    "Bioénergies - Déchets" as bioenergies_dechets,
    "Bioénergies - Biomasse" as bioenergies_biomasse,
    "Bioénergies - Biogaz" as bioenergies_biogaz,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "rte" "eco2mix_national_tr"}}
-- A quarter-hour row has a readable date and a time field.
where {{safe_cast '"Date"' "date"}} is not null
  and "Heures" is not null
  {{fichiers_non_charges "_source_file"}}
