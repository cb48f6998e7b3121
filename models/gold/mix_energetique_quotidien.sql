{{config materialized="table" tags="rte,eco2mix,dashboard"}}
-- Daily French electricity mix per local (Europe/Paris) day: energy per source family in MWh
-- and its share of total generation, plus the 7-day moving average of the renewable share.
-- Each value is a mean power over its interval, so its energy is MW x duree_minutes / 60
-- (15 minutes here: MW x 0.25 h); a day's energy is the sum over its quarter-hours.
--
-- Day completeness: a local day lasts 92 quarter-hours on the spring-forward day, 100 on the
-- autumn day and 96 otherwise (nb_quarts_heure_jour). RTE's files can deliver at most 96 rows
-- per day and, after silver's DST rule, 92 real instants on the spring day and 96 of the 100 on
-- the autumn day (nb_quarts_heure_attendus). journee_complete compares with the latter, so a
-- day that RTE delivered entirely counts as complete; on the autumn day the energies miss the
-- four quarter-hours of the repeated hour's second pass.
with quarts as (
    select * from {{ref "silver_eco2mix_national_15min"}}
),

par_jour as (
    select
        date_locale,
        count(*) as nb_quarts_heure,
        min(ts_utc) as premier_ts_utc,
        max(ts_utc) as dernier_ts_utc,
        sum(nucleaire_mw * duree_minutes / 60.0) as nucleaire_mwh,
        sum(eolien_mw * duree_minutes / 60.0) as eolien_mwh,
        sum(solaire_mw * duree_minutes / 60.0) as solaire_mwh,
        sum(hydraulique_mw * duree_minutes / 60.0) as hydraulique_mwh,
        sum(bioenergies_mw * duree_minutes / 60.0) as bioenergies_mwh,
        sum(gaz_mw * duree_minutes / 60.0) as gaz_mwh,
        sum(fioul_mw * duree_minutes / 60.0) as fioul_mwh,
        sum(charbon_mw * duree_minutes / 60.0) as charbon_mwh,
        sum(renouvelables_mw * duree_minutes / 60.0) as renouvelables_mwh,
        sum(fossiles_mw * duree_minutes / 60.0) as fossiles_mwh,
        sum(production_totale_mw * duree_minutes / 60.0) as production_totale_mwh,
        sum(pompage_mw * duree_minutes / 60.0) as pompage_mwh,
        sum(consommation_mw * duree_minutes / 60.0) as consommation_mwh,
        sum(ech_physiques_mw * duree_minutes / 60.0) as ech_physiques_mwh
    from quarts
    group by date_locale
),

longueur_jour as (
    select
        *,
        {{datediff "minute"
                   (to_utc (cast "date_locale" "timestamp") (var "timezone"))
                   (to_utc (cast (dateadd "day" "1" "date_locale") "timestamp") (var "timezone"))}}
            as minutes_jour
    from par_jour
),

jours as (
select
    date_locale,
    nb_quarts_heure,
    {{cast "minutes_jour / 15" "int"}} as nb_quarts_heure_jour,
    {{cast (least "minutes_jour / 15" "96") "int"}} as nb_quarts_heure_attendus,
    nb_quarts_heure = {{least "minutes_jour / 15" "96"}} as journee_complete,
    premier_ts_utc,
    dernier_ts_utc,
    nucleaire_mwh,
    eolien_mwh,
    solaire_mwh,
    hydraulique_mwh,
    bioenergies_mwh,
    gaz_mwh,
    fioul_mwh,
    charbon_mwh,
    renouvelables_mwh,
    fossiles_mwh,
    production_totale_mwh,
    pompage_mwh,
    consommation_mwh,
    ech_physiques_mwh,
    100 * {{safe_divide "nucleaire_mwh" "production_totale_mwh"}} as part_nucleaire_pct,
    100 * {{safe_divide "eolien_mwh" "production_totale_mwh"}} as part_eolien_pct,
    100 * {{safe_divide "solaire_mwh" "production_totale_mwh"}} as part_solaire_pct,
    100 * {{safe_divide "hydraulique_mwh" "production_totale_mwh"}} as part_hydraulique_pct,
    100 * {{safe_divide "bioenergies_mwh" "production_totale_mwh"}} as part_bioenergies_pct,
    100 * {{safe_divide "gaz_mwh" "production_totale_mwh"}} as part_gaz_pct,
    100 * {{safe_divide "fioul_mwh" "production_totale_mwh"}} as part_fioul_pct,
    100 * {{safe_divide "charbon_mwh" "production_totale_mwh"}} as part_charbon_pct,
    100 * {{safe_divide "renouvelables_mwh" "production_totale_mwh"}} as part_renouvelables_pct,
    100 * {{safe_divide "fossiles_mwh" "production_totale_mwh"}} as part_fossiles_pct
from longueur_jour
),

moyenne_7j as (
    -- the days of the 7 ending at this one that are in the data
    select
        j.date_locale,
        100 * {{safe_divide "sum(p.renouvelables_mwh)" "sum(p.production_totale_mwh)"}} as part_renouvelables_7j_pct,
        count(*) as nb_jours_7j
    from jours as j
    inner join jours as p
        on p.date_locale > {{cast (dateadd "day" "-7" "j.date_locale") "date"}}
       and p.date_locale <= j.date_locale
    group by j.date_locale
)

select
    jours.*,
    moyenne_7j.part_renouvelables_7j_pct,
    moyenne_7j.nb_jours_7j
from jours
inner join moyenne_7j on jours.date_locale = moyenne_7j.date_locale
