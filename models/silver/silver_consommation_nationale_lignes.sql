{{config materialized="view" tags="odre,consommation"}}
-- Every row of the ODRE national half-hourly consumption export, typed, placed on the UTC
-- time line by the project's DST rule (macro instants_paris, from the local Date + Heure), with
-- a status; silver_consommation_nationale_30min keeps the 'retenue' rows.
--   'heure_inexistante'  spring-forward 02:00/02:30 rows (copies, with the UTC of 03:00/03:30);
--   'doublon_local'      the second row of a duplicated local (Date, Heure) pair: the row kept is
--                        the one whose electricity value is closest to the mean of the
--                        half-hours just before and after (the other is a 30-minute-shifted
--                        fragment, see PROVENANCE §9);
--   'retenue'            kept.
-- ODRE's own UTC column is kept as ts_utc_odre: it differs from ts_utc only on the autumn DST
-- hour, where ODRE gives both printed half-hours the winter-time offset.
-- Gas is hourly: gas values sit on the :00 rows (gaz_sur_demi_heure marks the days where ODRE
-- shifted them to the :30 rows).
with typed as (
    select
        {{parse_timestamp "date" "%d/%m/%Y"}} as jour,
        heure as heure_locale,
        {{parse_timestamp "date || ' ' || heure" "%d/%m/%Y %H:%M"}} as ts_locale,
        {{cast "date_heure_utc" "timestamp_tz"}} as ts_utc_odre,
        {{mesure "electricite_rte"}} as consommation_mw,
        statut_rte,
        {{mesure "gaz_natran"}} as gaz_natran_mw,
        statut_natran,
        {{mesure "gaz_terega"}} as gaz_terega_mw,
        statut_terega,
        {{mesure "gaz_total"}} as gaz_total_mw,
        {{mesure "consommation_totale"}} as consommation_totale_mw,
        _source_file,
        _fichier,
        _loaded_at
    from {{ref "bronze_consommation_quotidienne_brute"}}
),

instants as (
    {{instants_paris "typed" "ts_locale"}}
),

placees as (
    select
        typed.*,
        {{cast "typed.jour" "date"}} as date_locale,
        instants.ts_utc,
        instants.heure_inexistante,
        instants.heure_ambigue
    from typed
    inner join instants on typed.ts_locale = instants.ts_locale
),

moyennes as (
    select ts_utc, avg(consommation_mw) as consommation_moyenne_mw
    from placees
    where not heure_inexistante
    group by ts_utc
),

classees as (
    select
        p.*,
        row_number() over (
            partition by p.ts_utc
            order by abs(p.consommation_mw - (avant.consommation_moyenne_mw + apres.consommation_moyenne_mw) / 2), p.gaz_total_mw desc
        ) as rang
    from placees as p
    left join moyennes as avant on avant.ts_utc = {{dateadd "minute" "-30" "p.ts_utc"}}
    left join moyennes as apres on apres.ts_utc = {{dateadd "minute" "30" "p.ts_utc"}}
    where not p.heure_inexistante
)

select
    ts_utc,
    ts_utc_odre,
    ts_locale,
    date_locale,
    heure_locale,
    heure_ambigue,
    case when rang > 1 then 'doublon_local' else 'retenue' end as statut_ligne,
    consommation_mw,
    statut_rte,
    gaz_natran_mw,
    statut_natran,
    gaz_terega_mw,
    statut_terega,
    gaz_total_mw,
    consommation_totale_mw,
    gaz_total_mw is not null and {{extract "minute" "ts_locale"}} = 30 as gaz_sur_demi_heure,
    _source_file,
    _fichier,
    _loaded_at
from classees

union all

select
    null as ts_utc,
    ts_utc_odre,
    ts_locale,
    date_locale,
    heure_locale,
    heure_ambigue,
    'heure_inexistante' as statut_ligne,
    consommation_mw,
    statut_rte,
    gaz_natran_mw,
    statut_natran,
    gaz_terega_mw,
    statut_terega,
    gaz_total_mw,
    consommation_totale_mw,
    gaz_total_mw is not null and {{extract "minute" "ts_locale"}} = 30 as gaz_sur_demi_heure,
    _source_file,
    _fichier,
    _loaded_at
from placees
where heure_inexistante
