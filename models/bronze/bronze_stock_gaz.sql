{{config tags="odre,gaz"}}
-- Every row of the ODRE daily gas storage export, as delivered (text). Loaded by file (project.yml):
-- a run reads only the new and changed lake files, a changed file replacing its rows.
select
    {{quote "date"}} as date,
    stock_fin_de_journee,
    {{quote "source"}} as source,
    pits,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "stock_gaz"}}
where 1 = 1
