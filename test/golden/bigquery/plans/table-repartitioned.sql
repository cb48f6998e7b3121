DROP TABLE `p.ds.target`;
CREATE OR REPLACE TABLE `p.ds.target`
PARTITION BY day
CLUSTER BY id
AS (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
);
