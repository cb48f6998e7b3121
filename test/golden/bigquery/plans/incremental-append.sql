INSERT INTO `p.ds.target` (id, day, ts, amount)
SELECT id, day, ts, amount FROM (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
)
