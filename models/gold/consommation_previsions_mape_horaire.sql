{{config materialized="table" tags="eco2mix,dashboard"}}
-- Accuracy of RTE's J-1 and J consumption forecasts by local hour of day: mean absolute
-- percentage error (MAPE), mean error (bias, MW; positive = under-forecast) and the number of
-- quarter-hours, over every quarter-hour of consommation_previsions that has both values.
select
    heure,
    avg(erreur_absolue_j1_pct) as mape_j1_pct,
    avg(erreur_absolue_j_pct) as mape_j_pct,
    avg(ecart_prevision_j1_mw) as biais_j1_mw,
    avg(ecart_prevision_j_mw) as biais_j_mw,
    count(erreur_absolue_j1_pct) as nb_quarts_heure_j1,
    count(erreur_absolue_j_pct) as nb_quarts_heure_j
from {{ref "consommation_previsions"}}
group by heure
