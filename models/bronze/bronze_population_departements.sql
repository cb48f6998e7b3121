{{config materialized="table" tags="insee"}}
-- Every row of the INSEE legal population file by département, as delivered (text).
select
    "CODREG" as codreg,
    "REG" as reg,
    "CODDEP" as coddep,
    "DEP" as dep,
    "NBARR" as nbarr,
    "NBCAN" as nbcan,
    "NBCOM" as nbcom,
    "PMUN" as pmun,
    "PTOT" as ptot,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "insee" "population_departements"}}
