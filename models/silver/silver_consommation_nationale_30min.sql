{{config materialized="table" tags="odre,consommation"}}
-- National electricity (and gas) consumption every half-hour, 2012-2025 on `real`: one row per
-- real UTC half-hour (ts_utc unique), the 'retenue' rows of silver_consommation_nationale_lignes.
-- Electricity values are mean powers over 30 minutes (MWh = MW x 0.5 h). The autumn DST day
-- has 48 of its 50 half-hours (the two missing ones were never delivered), the spring day 46.
with lignes as (
    select * from {{ref "silver_consommation_nationale_lignes"}}
    where statut_ligne = 'retenue'
),

jours as (
    -- DST change days, computed once per distinct day rather than per row
    select date_locale, {{jour_changement_heure "date_locale"}} as jour_changement_heure
    from (select distinct date_locale from lignes) as d
)

select
    ts_utc,
    ts_utc_odre,
    ts_locale,
    lignes.date_locale,
    heure_locale,
    heure_ambigue,
    jours.jour_changement_heure,
    30 as duree_minutes,
    consommation_mw,
    consommation_mw * 0.5 as consommation_mwh,
    statut_rte,
    gaz_natran_mw,
    gaz_terega_mw,
    gaz_total_mw,
    gaz_sur_demi_heure,
    _source_file,
    _fichier,
    _loaded_at
from lignes
inner join jours using (date_locale)
