{{config tags="education"}}
-- Every row of both exports of the ministry's school calendar, as delivered (text), in one
-- table with the API export's field names: the labelled export (local times with offset) and
-- the API export (UTC times). `export` says which.
select
    'libelle' as export,
    {{quote "Description"}} as description,
    {{quote "Population"}} as population,
    {{quote "Date de début"}} as start_date,
    {{quote "Date de fin"}} as end_date,
    {{quote "Académies"}} as location,
    {{quote "Zones"}} as zones,
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
