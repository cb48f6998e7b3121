{{config materialized="table" tags="eco2mix,regional,dashboard"}}
-- Daily electricity per region (12 mainland regions of RTE's network) with the day's context:
-- consumption and generation per family in MWh (each value x its own interval: 30 min for
-- definitive/consolidated data, 15 min for real time), temperatures, population, consumption
-- per inhabitant, school holidays, weekend and public holiday.
-- Completeness: minutes_couvertes (minutes with a consumption value) against minutes_livrables,
-- what RTE's files can deliver for the day (1440, 1380 on the spring-forward day, 1440 of the
-- 1500 of the autumn day: the repeated hour is printed once).
with par_jour as (
    select
        date_locale,
        code_insee_region,
        count(*) as nb_intervalles,
        sum(case when consommation_mw is not null then duree_minutes else 0 end) as minutes_couvertes,
        min(duree_minutes) as duree_min_minutes,
        max(duree_minutes) as duree_max_minutes,
        case when min(nature) = max(nature) then min(nature) else 'mixte' end as nature_donnees,
        sum(consommation_mwh) as consommation_mwh,
        sum(production_totale_mwh) as production_totale_mwh,
        sum(renouvelables_mwh) as renouvelables_mwh,
        sum(thermique_mwh) as thermique_mwh,
        sum(nucleaire_mwh) as nucleaire_mwh,
        sum(eolien_mwh) as eolien_mwh,
        sum(solaire_mwh) as solaire_mwh,
        sum(hydraulique_mwh) as hydraulique_mwh,
        sum(bioenergies_mwh) as bioenergies_mwh,
        sum(pompage_mwh) as pompage_mwh,
        sum(ech_physiques_mwh) as ech_physiques_mwh,
        max(consommation_mw) as pic_consommation_mw
    from {{ref "silver_eco2mix_regional_15min"}}
    group by date_locale, code_insee_region
),

avec_duree as (
    select
        *,
        {{datediff "minute"
                   (to_utc (cast "date_locale" "timestamp") (var "timezone"))
                   (to_utc (cast (dateadd "day" "1" "date_locale") "timestamp") (var "timezone"))}}
            as minutes_jour
    from par_jour
),

millesimes as (
    select min(millesime) as premier, max(millesime) as dernier from {{ref "silver_population_regions"}}
)

select
    d.date_locale,
    d.code_insee_region,
    g.region,
    d.nature_donnees,
    d.nb_intervalles,
    d.duree_min_minutes,
    d.duree_max_minutes,
    d.minutes_couvertes,
    d.minutes_jour,
    {{least "d.minutes_jour" "1440"}} as minutes_livrables,
    d.minutes_couvertes = {{least "d.minutes_jour" "1440"}} as journee_complete,
    d.consommation_mwh,
    d.production_totale_mwh,
    d.renouvelables_mwh,
    d.thermique_mwh,
    d.nucleaire_mwh,
    d.eolien_mwh,
    d.solaire_mwh,
    d.hydraulique_mwh,
    d.bioenergies_mwh,
    d.pompage_mwh,
    d.ech_physiques_mwh,
    100 * {{safe_divide "d.renouvelables_mwh" "d.production_totale_mwh"}} as part_renouvelables_pct,
    {{safe_divide "d.consommation_mwh * 60" "d.minutes_couvertes"}} as puissance_moyenne_mw,
    d.pic_consommation_mw,
    t.tmin_c,
    t.tmax_c,
    t.tmoy_c,
    p.millesime as millesime_population,
    p.population_municipale as population,
    1000 * {{safe_divide "d.consommation_mwh" "p.population_municipale"}} as consommation_kwh_par_habitant,
    c.vacances_scolaires,
    c.zones_vacances,
    c.nom_vacances,
    c.est_weekend,
    c.est_jour_ferie,
    c.nom_jour_ferie
from avec_duree as d
inner join {{ref "regions"}} as g on d.code_insee_region = g.code_insee_region
cross join millesimes as m
left join {{ref "silver_temperature_regionale_quotidienne"}} as t
    on d.date_locale = t.date and d.code_insee_region = t.code_insee_region
left join {{ref "silver_population_regions"}} as p
    on d.code_insee_region = p.code_insee_region
   and p.millesime = {{greatest "m.premier" (least "m.dernier" (extract "year" "d.date_locale"))}}
left join {{ref "silver_calendrier_regional_quotidien"}} as c
    on d.date_locale = c.date and d.code_insee_region = c.code_insee_region
