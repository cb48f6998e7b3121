{{config materialized="table" tags="odre,consommation"}}
-- ODRE annual consumption per region, typed (GWh). Empty gas values (no gas network in Corsica,
-- no Teréga presence elsewhere) stay NULL. The GeoJSON shape and point are kept as text for
-- map dashboards.
select
    {{cast "annee" "int"}} as annee,
    code_insee_region,
    region,
    {{mesure "electricite_rte_gwh"}} as electricite_gwh,
    statut_rte,
    {{mesure "gaz_natran_gwh"}} as gaz_natran_gwh,
    {{mesure "gaz_terega_gwh"}} as gaz_terega_gwh,
    {{mesure "gaz_total_gwh"}} as gaz_total_gwh,
    {{mesure "consommation_totale_gwh"}} as consommation_totale_gwh,
    geo_shape,
    geo_point,
    _source_file,
    _fichier,
    _loaded_at
from {{ref "bronze_consommation_annuelle_regionale"}}
