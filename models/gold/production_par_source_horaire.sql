{{config materialized="table" tags="eco2mix,dashboard"}}
-- French generation per source, local day and local hour: mean, min, max and standard deviation
-- of the quarter-hour powers (MW) of silver_eco2mix_national_15min. One row per (date_locale,
-- heure, source_energie). The hour is the local (Europe/Paris) wall-clock hour; on the autumn
-- DST day hour 2 holds the quarter-hours RTE printed for it (see the DST rule).
with quarts as (
    select
        date_locale,
        {{extract "hour" "ts_locale"}} as heure,
        nucleaire_mw, eolien_mw, solaire_mw, hydraulique_mw, bioenergies_mw,
        gaz_mw, fioul_mw, charbon_mw, pompage_mw
    from {{ref "silver_eco2mix_national_15min"}}
),

sources as (
    select 'nucleaire' as source_energie, 'nucleaire' as famille
    union all select 'eolien', 'renouvelable'
    union all select 'solaire', 'renouvelable'
    union all select 'hydraulique', 'renouvelable'
    union all select 'bioenergies', 'renouvelable'
    union all select 'gaz', 'fossile'
    union all select 'fioul', 'fossile'
    union all select 'charbon', 'fossile'
    union all select 'pompage', 'stockage'
),

valeurs as (
    select
        q.date_locale,
        q.heure,
        s.source_energie,
        s.famille,
        case s.source_energie
            when 'nucleaire' then q.nucleaire_mw
            when 'eolien' then q.eolien_mw
            when 'solaire' then q.solaire_mw
            when 'hydraulique' then q.hydraulique_mw
            when 'bioenergies' then q.bioenergies_mw
            when 'gaz' then q.gaz_mw
            when 'fioul' then q.fioul_mw
            when 'charbon' then q.charbon_mw
            when 'pompage' then q.pompage_mw
        end as puissance_mw
    from quarts as q
    cross join sources as s
)

select
    date_locale,
    heure,
    source_energie,
    famille,
    avg(puissance_mw) as moyenne_mw,
    min(puissance_mw) as min_mw,
    max(puissance_mw) as max_mw,
    stddev_samp(puissance_mw) as ecart_type_mw,
    count(puissance_mw) as nb_quarts_heure
from valeurs
group by date_locale, heure, source_energie, famille
