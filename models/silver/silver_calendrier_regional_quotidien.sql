{{config materialized="table" tags="education,calendrier"}}
-- One row per mainland region (Corsica included) and day since 2012: weekend, public holiday
-- and school holidays. A region is on school holidays when at least one of its académies is:
-- the académie's zone comes from the academies seed (zones changed with school year
-- 2015-2016) and the zone's holidays from the daily zone table. Corsica has its own calendar,
-- not in the daily table: its flag is NULL.
with jours as (
    select * from {{ref "silver_vacances_scolaires_zones"}}
    where date >= {{cast "'2012-01-01'" "date"}}
),

academies as (
    select * from {{ref "academies"}}
),

par_academie as (
    select
        j.date,
        a.code_insee_region,
        case when j.date >= {{cast "'2015-09-01'" "date"}} then a.zone_depuis_2015 else a.zone_avant_2015 end as zone,
        j.vacances_zone_a,
        j.vacances_zone_b,
        j.vacances_zone_c,
        j.nom_vacances
    from jours as j
    cross join academies as a
),

par_region as (
    select
        date,
        code_insee_region,
        max(case
            when zone = 'A' and vacances_zone_a then 1
            when zone = 'B' and vacances_zone_b then 1
            when zone = 'C' and vacances_zone_c then 1
            when zone is not null then 0
        end) as en_vacances,
        min(zone) as zone_min,
        max(zone) as zone_max,
        max(nom_vacances) as nom_vacances
    from par_academie
    group by date, code_insee_region
)

select
    r.date,
    r.code_insee_region,
    g.region,
    {{extract "isodow" "r.date"}} as jour_semaine_iso,
    {{extract "isodow" "r.date"}} >= 6 as est_weekend,
    f.date is not null as est_jour_ferie,
    f.nom as nom_jour_ferie,
    r.en_vacances = 1 as vacances_scolaires,
    case when r.zone_min = r.zone_max then r.zone_min else {{concat "r.zone_min" "'+'" "r.zone_max"}} end as zones_vacances,
    case when r.en_vacances = 1 then r.nom_vacances end as nom_vacances
from par_region as r
inner join {{ref "regions"}} as g on r.code_insee_region = g.code_insee_region
left join {{ref "jours_feries"}} as f on r.date = f.date
