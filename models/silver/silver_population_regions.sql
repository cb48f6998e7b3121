{{config materialized="table" tags="insee"}}
-- INSEE legal population per region and vintage (millesime), typed. The vintage is not in the
-- files: it comes from the file name given when the files were collected (PMUN2019 / PMUN2020,
-- inferred from the totals, see PROVENANCE §7). `NA` cantons become NULL.
select
    codreg as code_insee_region,
    reg as region,
    case
        when _source_file like '%PMUN2019%' then 2019
        when _source_file like '%PMUN2020%' then 2020
    end as millesime,
    {{cast "nbarr" "int"}} as nb_arrondissements,
    {{cast "nullif(nbcan, 'NA')" "int"}} as nb_cantons,
    {{cast "nbcom" "int"}} as nb_communes,
    {{cast "pmun" "int"}} as population_municipale,
    {{cast "ptot" "int"}} as population_totale,
    _source_file,
    _fichier,
    _loaded_at
from {{ref "bronze_population_regions"}}
