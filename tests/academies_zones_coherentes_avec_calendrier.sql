-- The academies seed must agree with the ministry calendar: every mainland académie the
-- calendar names from school year 2015-2016 on is in the seed, with the same zone.
-- Returns the disagreeing (académie, zone) pairs.
select distinct
    c.academie,
    c.zone_metropole as zone_calendrier,
    a.zone_depuis_2015 as zone_seed
from {{ref "silver_calendrier_scolaire"}} as c
left join {{ref "academies"}} as a on c.academie = a.academie
where c.zone_metropole is not null
  and c.annee_scolaire >= '2015-2016'
  and (a.academie is null or a.zone_depuis_2015 is distinct from c.zone_metropole)
