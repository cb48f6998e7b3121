{{config materialized="view" tags="rte,eco2mix"}}
-- Lines of the RTE national real-time downloads that are not quarter-hour rows, one row per
-- line, so they are counted instead of silently dropped. Expected: one disclaimer line per file.
-- The filter is the exact negation of bronze_eco2mix_national_tr's (both operands of the AND
-- are never NULL), so the two models partition the lines read from the lake.
select
    _source_file,
    "Périmètre" as premier_champ,
    "Date" as date,
    "Heures" as heures,
    case
        when "Nature" is null and "Date" is null and "Heures" is null then 'ligne_texte'
        else 'date_ou_heure_invalide'
    end as motif,
    {{current_timestamp}} as _loaded_at
from {{source "rte" "eco2mix_national_tr"}}
where not (
    {{safe_cast '"Date"' "date"}} is not null
    and "Heures" is not null
)
