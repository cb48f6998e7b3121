{{!--
  Custom generic test: the share of rows where the boolean column is true must be at least
  `au_moins` (0-1). Returns one failing row with the observed share when it is lower.
    - proportion_vraie: { arguments: { au_moins: 0.9 } }
--}}
select part_vraie
from (
    select avg(case when {{column_name}} then 1.0 else 0.0 end) as part_vraie
    from {{model}}
) as p
where part_vraie < {{au_moins}}
