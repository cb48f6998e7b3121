{{config materialized="table" tags="education"}}
-- Every row of both exports of the ministry's school calendar, as delivered (text), in one
-- table with the API export's field names: the labelled export (local times with offset) and
-- the API export (UTC times). `export` says which.
select
    'libelle' as export,
    "Description" as description,
    "Population" as population,
    "Date de début" as start_date,
    "Date de fin" as end_date,
    "Académies" as location,
    "Zones" as zones,
    annee_scolaire,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "education" "calendrier_scolaire"}}

union all

select
    'api' as export,
    description,
    population,
    start_date,
    end_date,
    location,
    zones,
    annee_scolaire,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "education" "calendrier_scolaire_api"}}
