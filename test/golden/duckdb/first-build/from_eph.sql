CREATE OR REPLACE TABLE main.from_eph AS (
with __tsdbt__cte__eph as (
select code, label
from main.codes
)

select code from __tsdbt__cte__eph
);
