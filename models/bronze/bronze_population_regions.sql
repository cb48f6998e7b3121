{{config tags="insee"}}
-- Every row of the INSEE legal population files by region (two vintages), as delivered (text:
-- zero-padded codes, `NA` cantons).
select
    {{quote "CODREG"}} as codreg,
    {{quote "REG"}} as reg,
    {{quote "NBARR"}} as nbarr,
    {{quote "NBCAN"}} as nbcan,
    {{quote "NBCOM"}} as nbcom,
    {{quote "PMUN"}} as pmun,
    {{quote "PTOT"}} as ptot,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "insee" "population_regions"}}
