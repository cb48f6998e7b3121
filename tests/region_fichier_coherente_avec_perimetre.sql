-- RTE regional files name their region twice: in the file name (`eCO2mix_RTE_<Région>_…`) and
-- in the `Périmètre` column, with different spellings (`Centre-Val-de-Loire` vs `Centre-Val de
-- Loire`, pre-reform names on 2016-02-29). Both must map to the same INSEE code through the
-- regions_libelles seed. Returns the files where they do not (or where a name is unknown).
with fichiers as (
    select distinct _source_file, perimetre
    from {{ref "bronze_eco2mix_regional_xls"}}
),

par_nom_fichier as (
    select f._source_file, f.perimetre, l.code_insee_region as code_nom_fichier
    from fichiers as f
    left join {{ref "regions_libelles"}} as l
        on strpos(f._source_file, {{concat "'/eCO2mix_RTE_'" "l.libelle" "'_'"}}) > 0
)

select p._source_file, p.perimetre, p.code_nom_fichier, l.code_insee_region as code_perimetre
from par_nom_fichier as p
left join {{ref "regions_libelles"}} as l on p.perimetre = l.libelle
where p.code_nom_fichier is null
   or l.code_insee_region is null
   or p.code_nom_fichier <> l.code_insee_region
