{{config materialized="incremental" incremental_strategy="append" tags="rte,eco2mix,regional"}}
-- Every data line of the RTE regional "xls" downloads (definitive, consolidated and real-time
-- folders), exactly as delivered: text values (blank, `ND`, `-` included), ASCII snake_case
-- names, plus the folder it came from. The trailing TAB of every data row is absorbed by the
-- reader (`null_padding`); the disclaimer line that ends every file is not a data row and is
-- listed by bronze_eco2mix_rejected_lines (exact complement of the filters below).
-- Incremental: a run appends the lines of the lake files not loaded yet.
select 'definitif' as dossier_source, {{colonnes_eco2mix_regional_xls}}
from {{source "rte" "eco2mix_regional_definitif"}}
where {{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null
  {{fichiers_non_charges "_source_file"}}

union all

select 'consolide' as dossier_source, {{colonnes_eco2mix_regional_xls}}
from {{source "rte" "eco2mix_regional_consolide"}}
where {{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null
  {{fichiers_non_charges "_source_file"}}

union all

select 'temps_reel' as dossier_source, {{colonnes_eco2mix_regional_xls}}
from {{source "rte" "eco2mix_regional_tr"}}
where {{safe_cast (quote "Date") "date"}} is not null and {{quote "Heures"}} is not null
  {{fichiers_non_charges "_source_file"}}
