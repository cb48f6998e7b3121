{{config tags="rte,eco2mix,regional"}}
-- Every data line of the RTE regional "xls" downloads (definitive, consolidated and real-time
-- folders), exactly as delivered: text values (blank, `ND`, `-` included), ASCII snake_case
-- names, plus the folder it came from. The trailing TAB of every data row is absorbed by the
-- reader (`null_padding`); the disclaimer line that ends every file is not a data row and is
-- listed by bronze_eco2mix_rejected_lines (exact complement of the filters below).
-- Loaded by file (project.yml): a run reads only the new and changed lake files, a changed file replacing its rows.
select 'definitif' as dossier_source, {{colonnes_eco2mix_regional_xls}}
from {{source "rte" "eco2mix_regional_definitif"}}
where {{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null

union all

select 'consolide' as dossier_source, {{colonnes_eco2mix_regional_xls}}
from {{source "rte" "eco2mix_regional_consolide"}}
where {{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null

union all

select 'temps_reel' as dossier_source, {{colonnes_eco2mix_regional_xls}}
from {{source "rte" "eco2mix_regional_tr"}}
where {{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null
