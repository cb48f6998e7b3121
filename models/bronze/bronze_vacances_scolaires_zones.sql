{{config tags="education"}}
-- Every row of the daily school-holiday table by zone, as delivered (text `True`/`False`).
select
    {{quote "date"}} as date,
    vacances_zone_a,
    vacances_zone_b,
    vacances_zone_c,
    nom_vacances,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "education" "vacances_scolaires_zones"}}
