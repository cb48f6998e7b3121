{{config materialized="table" tags="education"}}
-- The daily school-holiday table by zone, typed: one row per date, a boolean per zone.
select
    {{cast "date" "date"}} as date,
    vacances_zone_a = 'True' as vacances_zone_a,
    vacances_zone_b = 'True' as vacances_zone_b,
    vacances_zone_c = 'True' as vacances_zone_c,
    nullif(nom_vacances, '') as nom_vacances,
    _source_file,
    _fichier,
    _loaded_at
from {{ref "bronze_vacances_scolaires_zones"}}
