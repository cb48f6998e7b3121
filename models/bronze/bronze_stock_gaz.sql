{{config materialized="incremental" incremental_strategy="append" tags="odre,gaz"}}
-- Every row of the ODRE daily gas storage export, as delivered (text). Incremental: appends
-- files not loaded yet.
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
  {{fichiers_non_charges "_source_file"}}
