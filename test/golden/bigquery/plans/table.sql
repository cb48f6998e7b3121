CREATE OR REPLACE TABLE `p.ds.target`
AS (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
)
