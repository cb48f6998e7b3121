{{config tags="odre,consommation"}}
-- Every row of the ODRE annual regional consumption export, as delivered (text), the quoted
-- GeoJSON shape included (its `""` escapes are undone by the CSV reader).
select
    {{quote "Année"}} as annee,
    {{quote "Région"}} as region,
    {{quote "Code INSEE région"}} as code_insee_region,
    {{quote "Consommation brute gaz (GWh PCS 0°C) - NaTran"}} as gaz_natran_gwh,
    {{quote "Statut - NaTran"}} as statut_natran,
    {{quote "Consommation brute gaz (GWh PCS 0°C) - Teréga"}} as gaz_terega_gwh,
    {{quote "Statut - Teréga"}} as statut_terega,
    {{quote "Consommation brute électricité (GWh) - RTE"}} as electricite_rte_gwh,
    {{quote "Consommation brute gaz totale (GWh PCS 0°C)"}} as gaz_total_gwh,
    {{quote "Statut - RTE"}} as statut_rte,
    {{quote "Consommation brute totale (GWh)"}} as consommation_totale_gwh,
    {{quote "Géo-shape région"}} as geo_shape,
    {{quote "Géo-point région"}} as geo_point,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "consommation_annuelle_regionale"}}
