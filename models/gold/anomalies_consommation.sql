{{config materialized="table" tags="consommation,dashboard"}}
-- Anomalous national consumption: every half-hour of the national series compared with its
-- baseline, the mean and standard deviation of the same local time on the same weekday over
-- the N previous weeks (var anomalies_semaines, default 8). z_score = (value - mean) / sd; a
-- half-hour is flagged when |z| exceeds var anomalies_seuil_z (default 3). The baseline exists
-- only when all N previous weeks are in the data (gaps leave it NULL). Public holidays are
-- marked: they are the commonest explained anomaly.
with demi_heures as (
    select
        c.ts_utc,
        c.date_locale,
        c.heure_locale,
        {{extract "isodow" "c.date_locale"}} as jour_semaine,
        c.consommation_mw,
        f.nom as jour_ferie
    from {{ref "silver_consommation_nationale_30min"}} as c
    left join {{ref "jours_feries"}} as f on c.date_locale = f.date
),

avec_base as (
    select
        *,
        avg(consommation_mw) over fenetre as base_moyenne_mw,
        stddev_samp(consommation_mw) over fenetre as base_ecart_type_mw,
        count(consommation_mw) over fenetre as base_nb_semaines,
        min(date_locale) over fenetre as base_premier_jour
    from demi_heures
    window fenetre as (
        partition by jour_semaine, heure_locale
        order by date_locale
        rows between {{var "anomalies_semaines" 8}} preceding and 1 preceding
    )
),

complet as (
    select
        *,
        base_nb_semaines = {{var "anomalies_semaines" 8}}
            and {{datediff "day" "base_premier_jour" "date_locale"}} = 7 * {{var "anomalies_semaines" 8}} as base_complete
    from avec_base
)

select
    ts_utc,
    date_locale,
    heure_locale,
    jour_semaine,
    consommation_mw,
    case when base_complete then base_moyenne_mw end as base_moyenne_mw,
    case when base_complete then base_ecart_type_mw end as base_ecart_type_mw,
    case when base_complete then consommation_mw - base_moyenne_mw end as ecart_mw,
    case when base_complete then 100 * {{safe_divide "consommation_mw - base_moyenne_mw" "base_moyenne_mw"}} end as ecart_pct,
    case when base_complete then {{safe_divide "consommation_mw - base_moyenne_mw" "base_ecart_type_mw"}} end as z_score,
    coalesce(base_complete and abs({{safe_divide "consommation_mw - base_moyenne_mw" "base_ecart_type_mw"}}) > {{var "anomalies_seuil_z" 3}}, false) as est_anomalie,
    jour_ferie,
    base_complete
from complet
