CREATE OR REPLACE TABLE `p.ds.target`
(
  id INT64 NOT NULL,
  day DATE NOT NULL,
  ts TIMESTAMP,
  amount FLOAT64,
  FOREIGN KEY (id) REFERENCES `p.ds.parent` (id) NOT ENFORCED
)
AS (
SELECT id, day, ts, amount FROM (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
) AS tsdbt_contract
)
