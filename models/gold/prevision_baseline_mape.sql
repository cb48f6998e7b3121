{{config materialized="table" tags="consommation,dashboard"}}
-- Mean absolute percentage error (MAPE) of the seasonal-naive forecast, per year of the
-- national half-hourly series (perimetre 'serie_complete'), and - on the half-hours where RTE's
-- J-1 forecast also exists - of both forecasts side by side (perimetre 'avec_prevision_j1',
-- annee NULL = all years). A useful forecast must beat the naive one.
select
    'serie_complete' as perimetre,
    {{extract "year" "date_locale"}} as annee,
    count(erreur_absolue_naive_pct) as nb_demi_heures,
    avg(erreur_absolue_naive_pct) as mape_naive_pct,
    cast(null as {{type "float"}}) as mape_j1_pct
from {{ref "prevision_baseline"}}
where erreur_absolue_naive_pct is not null
group by {{extract "year" "date_locale"}}

union all

select
    'avec_prevision_j1' as perimetre,
    cast(null as {{type "int"}}) as annee,
    count(*) as nb_demi_heures,
    avg(erreur_absolue_naive_pct) as mape_naive_pct,
    avg(erreur_absolue_j1_pct) as mape_j1_pct
from {{ref "prevision_baseline"}}
where erreur_absolue_naive_pct is not null
  and erreur_absolue_j1_pct is not null
