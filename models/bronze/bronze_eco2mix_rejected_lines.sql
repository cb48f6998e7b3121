{{config tags="rte,eco2mix"}}
-- Lines of the RTE "xls" downloads (national and the three regional folders) that are not data
-- rows, one row per line, so they are counted instead of silently dropped. Expected: exactly one
-- line per file, RTE's closing disclaimer. Each filter is the exact negation of the matching
-- bronze model's (both operands of the AND are never NULL), so bronze + this model = every line
-- read from the lake. (The empty line after the disclaimer is not a line for the CSV reader.)
-- A table: one read of the files per build, not one per test.
{{#each (list "eco2mix_national_tr" "eco2mix_regional_definitif" "eco2mix_regional_consolide" "eco2mix_regional_tr")}}
{{#unless @first}}
union all
{{/unless}}
select
    '{{this}}' as source_table,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{quote "Périmètre"}} as premier_champ,
    {{quote "Date"}} as date,
    {{quote "Heures"}} as heures,
    case
        when {{quote "Nature"}} is null and {{quote "Date"}} is null and {{quote "Heures"}} is null then 'ligne_texte'
        else 'date_ou_heure_invalide'
    end as motif,
    {{current_timestamp}} as _loaded_at
from {{source "rte" this}}
where not ({{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null)
{{/each}}
