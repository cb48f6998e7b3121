{{config materialized="table" tags="odre,meteo"}}
-- National daily temperature: the mean of the mainland regions' daily temperatures weighted by
-- their municipal population (latest INSEE vintage), so that it tracks heating demand. A day
-- is complete when every region that has temperatures anywhere in the data is present.
with population as (
    select code_insee_region, population_municipale
    from {{ref "silver_population_regions"}}
    where millesime = (select max(millesime) from {{ref "silver_population_regions"}})
),

regions_attendues as (
    select count(distinct code_insee_region) as n from {{ref "silver_temperature_regionale_quotidienne"}}
)

select
    t.date,
    sum(t.tmoy_c * p.population_municipale) / sum(p.population_municipale) as tmoy_c,
    sum(t.tmin_c * p.population_municipale) / sum(p.population_municipale) as tmin_c,
    sum(t.tmax_c * p.population_municipale) / sum(p.population_municipale) as tmax_c,
    count(*) as nb_regions,
    count(*) = max(r.n) as journee_complete
from {{ref "silver_temperature_regionale_quotidienne"}} as t
inner join population as p on t.code_insee_region = p.code_insee_region
cross join regions_attendues as r
group by t.date
