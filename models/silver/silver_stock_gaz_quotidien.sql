{{config materialized="table" tags="odre,gaz"}}
-- End-of-day gas stock per storage group, typed: one row per (date, operateur, site), GWh.
select
    {{cast "date" "date"}} as date,
    source as operateur,
    pits as site,
    {{cast "stock_fin_de_journee" "float"}} as stock_gwh,
    _source_file,
    _fichier,
    _loaded_at
from {{ref "bronze_stock_gaz"}}
