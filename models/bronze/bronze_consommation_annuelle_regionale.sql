{{config materialized="table" tags="odre,consommation"}}
-- Every row of the ODRE annual regional consumption export, as delivered (text), the quoted
-- GeoJSON shape included (its `""` escapes are undone by the CSV reader).
select
    "Année" as annee,
    "Région" as region,
    "Code INSEE région" as code_insee_region,
    "Consommation brute gaz (GWh PCS 0°C) - NaTran" as gaz_natran_gwh,
    "Statut - NaTran" as statut_natran,
    "Consommation brute gaz (GWh PCS 0°C) - Teréga" as gaz_terega_gwh,
    "Statut - Teréga" as statut_terega,
    "Consommation brute électricité (GWh) - RTE" as electricite_rte_gwh,
    "Consommation brute gaz totale (GWh PCS 0°C)" as gaz_total_gwh,
    "Statut - RTE" as statut_rte,
    "Consommation brute totale (GWh)" as consommation_totale_gwh,
    "Géo-shape région" as geo_shape,
    "Géo-point région" as geo_point,
    _source_file,
    {{nom_fichier "_source_file"}} as _fichier,
    {{current_timestamp}} as _loaded_at
from {{source "odre" "consommation_annuelle_regionale"}}
