{{config tags="odre,meteo"}}
-- Every row of the ODRE daily regional temperature export, as delivered (text; `-0.0` kept).
-- Loaded by file (project.yml): a run reads only the new and changed lake files, a changed file replacing its rows.
select
    {{quote "ID"}} as id,
    {{quote "Date"}} as date,
    {{quote "Code INSEE région"}} as code_insee_region,
    {{quote "Région"}} as region,
    {{quote "TMin (°C)"}} as tmin,
    {{quote "TMax (°C)"}} as tmax,
    {{quote "TMoy (°C)"}} as tmoy,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "temperature_regionale"}}
where 1 = 1
