{{config tags="rte,eco2mix"}}
-- Every quarter-hour line of the RTE national real-time downloads, exactly as delivered:
-- all values stay text (blank, `ND` and `-` included), only the column names change to ASCII
-- snake_case. Lines that are not quarter-hour rows (the disclaimer closing each file) are listed
-- by bronze_eco2mix_rejected_lines, whose filter is the exact negation of the one below, so
-- every line of every file is in exactly one of the two models.
-- Loaded by file (project.yml): a run reads only the new and changed lake files, a changed file replacing its rows. _loaded_at is the load.
select
    {{quote "Périmètre"}} as perimetre,
    {{quote "Nature"}} as nature,
    {{quote "Date"}} as date,
    {{quote "Heures"}} as heures,
{{#each (mesures_nationales)}}
    {{quote entete_rte}} as {{brute}},
{{/each}}
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "rte" "eco2mix_national_tr"}}
-- A quarter-hour row has a readable date and a time field.
where {{safe_cast (quote "Date") "date"}} is not null
  and {{quote "Heures"}} is not null
