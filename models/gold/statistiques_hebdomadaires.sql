{{config materialized="table" tags="eco2mix,dashboard"}}
-- Weekly national summary (ISO weeks, Monday to Sunday, local days): energy consumed and
-- generated per family (MWh), shares, mean CO2 intensity, consumption peak and trough, J-1
-- forecast MAPE, physical exchange balance, and how many days and quarter-hours the week has
-- in the data (weeks at the edges of a download are partial: see nb_jours).
with quarts as (
    select
        {{cast (dateadd "day" (cat "1 - " (extract "isodow" "date_locale")) "date_locale") "date"}} as semaine_debut,
        *
    from {{ref "silver_eco2mix_national_15min"}}
)

select
    semaine_debut,
    {{cast (dateadd "day" "6" "semaine_debut") "date"}} as semaine_fin,
    count(distinct date_locale) as nb_jours,
    count(*) as nb_quarts_heure,
    sum(consommation_mw * duree_minutes / 60.0) as consommation_mwh,
    sum(production_totale_mw * duree_minutes / 60.0) as production_totale_mwh,
    sum(nucleaire_mw * duree_minutes / 60.0) as nucleaire_mwh,
    sum(renouvelables_mw * duree_minutes / 60.0) as renouvelables_mwh,
    sum(fossiles_mw * duree_minutes / 60.0) as fossiles_mwh,
    100 * {{safe_divide "sum(renouvelables_mw)" "sum(production_totale_mw)"}} as part_renouvelables_pct,
    100 * {{safe_divide "sum(nucleaire_mw)" "sum(production_totale_mw)"}} as part_nucleaire_pct,
    100 * {{safe_divide "sum(fossiles_mw)" "sum(production_totale_mw)"}} as part_fossiles_pct,
    avg(taux_co2_g_kwh) as taux_co2_moyen_g_kwh,
    max(consommation_mw) as pic_consommation_mw,
    min(consommation_mw) as creux_consommation_mw,
    100 * avg(abs({{safe_divide "consommation_mw - prevision_j1_mw" "consommation_mw"}})) as mape_j1_pct,
    sum(ech_physiques_mw * duree_minutes / 60.0) as solde_echanges_physiques_mwh
from quarts
group by semaine_debut
