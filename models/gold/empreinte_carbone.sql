{{config materialized="table" tags="eco2mix,dashboard"}}
-- CO2 footprint of French generation per local day and hour: mean CO2 intensity (g/kWh),
-- emitted tonnes (intensity x energy generated: g/kWh x MWh / 1000 = t), low-carbon share
-- (nuclear + renewables) of generation, and the hour's rank in its day from cleanest (1).
with heures as (
    select
        date_locale,
        {{extract "hour" "ts_locale"}} as heure,
        avg(taux_co2_g_kwh) as taux_co2_g_kwh,
        sum(taux_co2_g_kwh * production_totale_mw * duree_minutes / 60.0) / 1000 as co2_tonnes,
        sum(production_totale_mw * duree_minutes / 60.0) as production_totale_mwh,
        100 * {{safe_divide "sum(nucleaire_mw + renouvelables_mw)" "sum(production_totale_mw)"}} as part_bas_carbone_pct,
        count(*) as nb_quarts_heure
    from {{ref "silver_eco2mix_national_15min"}}
    group by date_locale, {{extract "hour" "ts_locale"}}
)

select
    *,
    rank() over (partition by date_locale order by taux_co2_g_kwh) as rang_proprete_jour
from heures
