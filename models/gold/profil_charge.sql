{{config materialized="table" tags="consommation,dashboard"}}
-- Typical national load profile: mean electricity consumption per ISO weekday (1 = Monday) and
-- local hour over the whole half-hourly series (2012-2025 on `real`), public holidays excluded
-- (they behave like Sundays). indice_profil = the cell's mean / the mean of all cells, so
-- 1.10 means 10 % above the average hour; type_jour separates weekdays from weekends.
with demi_heures as (
    select
        c.date_locale,
        {{extract "isodow" "c.date_locale"}} as jour_semaine,
        {{extract "hour" "c.ts_locale"}} as heure,
        c.consommation_mw
    from {{ref "silver_consommation_nationale_30min"}} as c
    left join {{ref "jours_feries"}} as f on c.date_locale = f.date
    where f.date is null
),

cellules as (
    select
        jour_semaine,
        heure,
        case when jour_semaine >= 6 then 'weekend' else 'semaine' end as type_jour,
        avg(consommation_mw) as consommation_moyenne_mw,
        min(consommation_mw) as consommation_min_mw,
        max(consommation_mw) as consommation_max_mw,
        count(*) as nb_demi_heures,
        count(distinct date_locale) as nb_jours
    from demi_heures
    group by jour_semaine, heure
)

select
    jour_semaine,
    case jour_semaine
        when 1 then 'lundi' when 2 then 'mardi' when 3 then 'mercredi' when 4 then 'jeudi'
        when 5 then 'vendredi' when 6 then 'samedi' else 'dimanche'
    end as nom_jour,
    heure,
    type_jour,
    consommation_moyenne_mw,
    consommation_min_mw,
    consommation_max_mw,
    consommation_moyenne_mw / avg(consommation_moyenne_mw) over () as indice_profil,
    consommation_moyenne_mw / avg(consommation_moyenne_mw) over (partition by type_jour) as indice_type_jour,
    nb_demi_heures,
    nb_jours
from cellules
