{{config tags="odre,eco2mix"}}
-- Every row of the ODRE export of éCO2mix national real-time data, as delivered (text), with
-- the same ASCII snake_case names as bronze_eco2mix_national_tr (units dropped from the names;
-- every value is MW except taux_co2 in g/kWh) plus `date_heure`, ODRE's ISO 8601 instant.
-- Every line of a CSV export is a data row (no trailer). Loaded by file (project.yml): a run reads only the new and changed lake files, a changed file replacing its rows.
select
    {{quote "Périmètre"}} as perimetre,
    {{quote "Nature"}} as nature,
    {{quote "Date"}} as date,
    {{quote "Heure"}} as heures,
    {{quote "Date - Heure"}} as date_heure,
{{#each (mesures_nationales)}}
    {{quote entete_odre}} as {{brute}},
{{/each}}
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "eco2mix_national_tr"}}
where 1 = 1
