{{config materialized="incremental" incremental_strategy="append" tags="odre,meteo"}}
-- Every row of the ODRE daily regional temperature export, as delivered (text; `-0.0` kept).
-- Incremental: appends files not loaded yet.
select
    "ID" as id,
    "Date" as date,
    "Code INSEE région" as code_insee_region,
    "Région" as region,
    "TMin (°C)" as tmin,
    "TMax (°C)" as tmax,
    "TMoy (°C)" as tmoy,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "temperature_regionale"}}
where 1 = 1
  {{fichiers_non_charges "_source_file"}}
