{{config materialized="table" tags="eco2mix,regional,dashboard"}}
-- Cross-check of the 15/30-minute regional data against ODRE's published annual consumption
-- per region: the year's MWh summed from silver (each value x its own interval) against the
-- annual GWh of consommation-annuelle-brute-regionale, for the years the regional data covers.
-- A year is complete when every one of its days is in the data; only complete years are comparable.
with annees as (
    select
        code_insee_region,
        {{extract "year" "date_locale"}} as annee,
        count(*) as nb_jours,
        sum(case when journee_complete then 1 else 0 end) as nb_jours_complets,
        sum(consommation_mwh) / 1000 as consommation_gwh
    from {{ref "consommation_regionale_quotidienne"}}
    group by code_insee_region, {{extract "year" "date_locale"}}
)

select
    a.code_insee_region,
    g.region,
    a.annee,
    a.nb_jours,
    a.nb_jours_complets,
    a.nb_jours >= 365 as annee_complete,
    a.consommation_gwh as consommation_15min_gwh,
    o.electricite_gwh as consommation_annuelle_odre_gwh,
    100 * {{safe_divide "a.consommation_gwh - o.electricite_gwh" "o.electricite_gwh"}} as ecart_pct
from annees as a
inner join {{ref "regions"}} as g on a.code_insee_region = g.code_insee_region
left join {{ref "silver_consommation_annuelle_regionale"}} as o
    on a.code_insee_region = o.code_insee_region and a.annee = o.annee
