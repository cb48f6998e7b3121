{{config materialized="table" tags="consommation,dashboard"}}
-- A seasonal-naive forecast of national consumption - the value at the same local time one
-- week earlier - for every half-hour of the national series, beside RTE's J-1 forecast where
-- the national éCO2mix data has one for the same instant. Both are scored against the same
-- realised value (the half-hourly series), so their errors are comparable; see
-- prevision_baseline_mape for the summary.
with demi_heures as (
    select
        ts_utc,
        date_locale,
        heure_locale,
        {{extract "isodow" "date_locale"}} as jour_semaine,
        consommation_mw
    from {{ref "silver_consommation_nationale_30min"}}
),

naive as (
    select
        *,
        lag(consommation_mw) over semaine as valeur_semaine_precedente_mw,
        lag(date_locale) over semaine as jour_semaine_precedente
    from demi_heures
    window semaine as (partition by jour_semaine, heure_locale order by date_locale)
),

rte as (
    select ts_utc, prevision_j1_mw, consommation_mw as consommation_temps_reel_mw
    from {{ref "silver_eco2mix_national_15min"}}
    where prevision_j1_mw is not null
)

select
    n.ts_utc,
    n.date_locale,
    n.heure_locale,
    n.jour_semaine,
    n.consommation_mw,
    case when {{datediff "day" "n.jour_semaine_precedente" "n.date_locale"}} = 7 then n.valeur_semaine_precedente_mw end
        as prevision_naive_mw,
    r.prevision_j1_mw as prevision_j1_rte_mw,
    r.consommation_temps_reel_mw,
    100 * abs({{safe_divide
        (cat "n.consommation_mw - case when " (datediff "day" "n.jour_semaine_precedente" "n.date_locale") " = 7 then n.valeur_semaine_precedente_mw end")
        "n.consommation_mw"}}) as erreur_absolue_naive_pct,
    100 * abs({{safe_divide "n.consommation_mw - r.prevision_j1_mw" "n.consommation_mw"}}) as erreur_absolue_j1_pct
from naive as n
left join rte as r on n.ts_utc = r.ts_utc
