{{config materialized="incremental" incremental_strategy="append" tags="odre,consommation"}}
-- Every row of the ODRE national half-hourly gas + electricity consumption export, as
-- delivered (text: `Date - Heure` in UTC, `Date` DD/MM/YYYY and `Heure` local, blanks kept).
-- Incremental: appends files not loaded yet.
select
    "Date - Heure" as date_heure_utc,
    "Date" as date,
    "Heure" as heure,
    "Consommation brute gaz (MW PCS 0°C) - NaTran" as gaz_natran,
    "Statut - NaTran" as statut_natran,
    "Consommation brute gaz (MW PCS 0°C) - Teréga" as gaz_terega,
    "Statut - Teréga" as statut_terega,
    "Consommation brute gaz totale (MW PCS 0°C)" as gaz_total,
    "Consommation brute électricité (MW) - RTE" as electricite_rte,
    "Statut - RTE" as statut_rte,
    "Consommation brute totale (MW)" as consommation_totale,
    flag_ignore,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "consommation_quotidienne_brute"}}
where 1 = 1
  {{fichiers_non_charges "_source_file"}}
