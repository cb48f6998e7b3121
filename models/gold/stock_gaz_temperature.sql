{{config materialized="table" tags="gaz,dashboard"}}
-- Daily French gas storage beside the national mean temperature (population-weighted), with
-- their correlation per gas season: winter = withdrawal season, November to March; summer =
-- injection season, April to October. variation_gwh is the day's change of the total stock
-- (negative = withdrawal); it is NULL when the previous day is missing or has another number
-- of storage groups (Teréga stops a month before the Storengy sites on `real`).
with stocks as (
    select date, sum(stock_gwh) as stock_total_gwh, count(*) as nb_sites
    from {{ref "silver_stock_gaz_quotidien"}}
    group by date
),

jours as (
    select
        s.date,
        s.stock_total_gwh,
        s.nb_sites,
        s.nb_sites = max(s.nb_sites) over () as tous_sites,
        case
            when lag(s.date) over (order by s.date) = {{cast (dateadd "day" "-1" "s.date") "date"}}
             and lag(s.nb_sites) over (order by s.date) = s.nb_sites
                then s.stock_total_gwh - lag(s.stock_total_gwh) over (order by s.date)
        end as variation_gwh,
        t.tmoy_c as temperature_france_c,
        case
            when {{extract "month" "s.date"}} >= 11
                then {{concat "'hiver '" (cast (extract "year" "s.date") "string") "'-'" (cast (cat (extract "year" "s.date") " + 1") "string")}}
            when {{extract "month" "s.date"}} <= 3
                then {{concat "'hiver '" (cast (cat (extract "year" "s.date") " - 1") "string") "'-'" (cast (extract "year" "s.date") "string")}}
            else {{concat "'ete '" (cast (extract "year" "s.date") "string")}}
        end as saison_gaziere
    from stocks as s
    left join {{ref "silver_temperature_france_quotidienne"}} as t on s.date = t.date
)

select
    *,
    corr(stock_total_gwh, temperature_france_c) over (partition by saison_gaziere) as correlation_stock_temperature_saison,
    corr(variation_gwh, temperature_france_c) over (partition by saison_gaziere) as correlation_variation_temperature_saison,
    count(temperature_france_c) over (partition by saison_gaziere) as nb_jours_temperature_saison
from jours
