{{config tags="odre,consommation"}}
-- Every row of the ODRE national half-hourly gas + electricity consumption export, as
-- delivered (text: `Date - Heure` in UTC, `Date` DD/MM/YYYY and `Heure` local, blanks kept).
-- Loaded by file (project.yml): a run reads only the new and changed lake files, a changed file replacing its rows.
select
    {{quote "Date - Heure"}} as date_heure_utc,
    {{quote "Date"}} as date,
    {{quote "Heure"}} as heure,
    {{quote "Consommation brute gaz (MW PCS 0°C) - NaTran"}} as gaz_natran,
    {{quote "Statut - NaTran"}} as statut_natran,
    {{quote "Consommation brute gaz (MW PCS 0°C) - Teréga"}} as gaz_terega,
    {{quote "Statut - Teréga"}} as statut_terega,
    {{quote "Consommation brute gaz totale (MW PCS 0°C)"}} as gaz_total,
    {{quote "Consommation brute électricité (MW) - RTE"}} as electricite_rte,
    {{quote "Statut - RTE"}} as statut_rte,
    {{quote "Consommation brute totale (MW)"}} as consommation_totale,
    flag_ignore,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "consommation_quotidienne_brute"}}
where 1 = 1
