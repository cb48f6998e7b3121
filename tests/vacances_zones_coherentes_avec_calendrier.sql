{{config severity="warn"}}
-- The daily zone table (used for the school-holiday flags) against the ministry calendar, on
-- the mainland zones and school years both cover (from 2017-2018): for every day, a zone is on
-- holiday in one source iff it is in the other. Returns the disagreeing (zone, day) pairs.
-- Severity warn, for stated reasons: on `real` the two sources disagree on about 190 zone-days,
-- all explained: (1) the ministry's "Pont de l'Ascension" starts on the Wednesday classes end,
-- the daily table on the Thursday, and the daily table (compiled in February 2023) lacks the
-- later bridges; (2) spring 2021, when the COVID-19 lockdown moved every zone's holidays to
-- 10-26 April, the daily table keeps the original zone dates; (3) school year 2026-2027 is
-- beyond the daily table's horizon. The daily table is used for 2013-2017, which the ministry
-- file does not cover for mainland zones; this test keeps the disagreement visible.
with periodes as (
    select distinct zone_metropole as zone, annee_scolaire, date_debut, date_reprise
    from {{ref "silver_calendrier_scolaire"}}
    where zone_metropole is not null
      and concerne_eleves
      and periode_valide
),

annees as (
    -- the span each school year of the ministry file covers (first start to last resumption)
    select annee_scolaire, min(date_debut) as debut, max(date_reprise) as fin
    from periodes
    group by annee_scolaire
),

jours as (
    select v.date, z.zone,
        case z.zone when 'A' then v.vacances_zone_a when 'B' then v.vacances_zone_b else v.vacances_zone_c end as vacances_table
    from {{ref "silver_vacances_scolaires_zones"}} as v
    cross join (select 'A' as zone union all select 'B' union all select 'C') as z
    inner join annees as b on v.date >= b.debut and v.date < b.fin
)

select j.zone, j.date, j.vacances_table, max(case when p.zone is not null then 1 else 0 end) = 1 as vacances_ministere
from jours as j
left join periodes as p on j.zone = p.zone and j.date >= p.date_debut and j.date < p.date_reprise
group by j.zone, j.date, j.vacances_table
having j.vacances_table <> (max(case when p.zone is not null then 1 else 0 end) = 1)
