{{config materialized="table" tags="eco2mix,dashboard"}}
-- RTE's consumption forecasts against realised consumption, every quarter-hour of the national
-- real-time data: forecast errors in MW and %, and the 24-hour moving average of consumption
-- (mean of the quarter-hours of the 24 hours ending at the instant that are in the data).
with quarts as (
    select
        ts_utc,
        ts_locale,
        date_locale,
        heure_locale,
        {{extract "hour" "ts_locale"}} as heure,
        consommation_mw,
        prevision_j1_mw,
        prevision_j_mw
    from {{ref "silver_eco2mix_national_15min"}}
),

moyenne_24h as (
    select
        q.ts_utc,
        avg(p.consommation_mw) as moyenne_mobile_24h_mw,
        count(p.consommation_mw) as nb_quarts_heure_24h
    from quarts as q
    inner join quarts as p
        on p.ts_utc > {{dateadd "hour" "-24" "q.ts_utc"}}
       and p.ts_utc <= q.ts_utc
    group by q.ts_utc
)

select
    q.ts_utc,
    q.ts_locale,
    q.date_locale,
    q.heure_locale,
    q.heure,
    q.consommation_mw,
    q.prevision_j1_mw,
    q.prevision_j_mw,
    q.consommation_mw - q.prevision_j1_mw as ecart_prevision_j1_mw,
    q.consommation_mw - q.prevision_j_mw as ecart_prevision_j_mw,
    100 * {{safe_divide "q.consommation_mw - q.prevision_j1_mw" "q.consommation_mw"}} as erreur_prevision_j1_pct,
    100 * {{safe_divide "q.consommation_mw - q.prevision_j_mw" "q.consommation_mw"}} as erreur_prevision_j_pct,
    100 * abs({{safe_divide "q.consommation_mw - q.prevision_j1_mw" "q.consommation_mw"}}) as erreur_absolue_j1_pct,
    100 * abs({{safe_divide "q.consommation_mw - q.prevision_j_mw" "q.consommation_mw"}}) as erreur_absolue_j_pct,
    m.moyenne_mobile_24h_mw,
    m.nb_quarts_heure_24h
from quarts as q
inner join moyenne_24h as m on q.ts_utc = m.ts_utc
