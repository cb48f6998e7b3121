{{config materialized="table" tags="odre,meteo"}}
-- Daily temperatures per region, typed: one row per (date, code_insee_region). `-0.0` becomes
-- 0.0 (the + 0.0 normalises the IEEE negative zero). The delivered region name is mapped with
-- the regions_libelles seed into code_region_libelle, which a test compares with the delivered
-- code. Dates missing from the export stay missing (no interpolation); see the YAML.
select
    {{cast "t.date" "date"}} as date,
    t.code_insee_region,
    t.region,
    l.code_insee_region as code_region_libelle,
    {{cast "t.tmin" "float"}} + 0.0 as tmin_c,
    {{cast "t.tmax" "float"}} + 0.0 as tmax_c,
    {{cast "t.tmoy" "float"}} + 0.0 as tmoy_c,
    t._source_file,
    t._fichier,
    t._loaded_at
from {{ref "bronze_temperature_regionale"}} as t
left join {{ref "regions_libelles"}} as l on t.region = l.libelle
