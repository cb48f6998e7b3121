MERGE INTO `p.ds.target` AS tsdbt_dest
USING (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
) AS tsdbt_src
ON FALSE
WHEN NOT MATCHED BY SOURCE AND tsdbt_dest.day IN (DATE '2024-01-01') THEN DELETE
WHEN NOT MATCHED THEN INSERT (id, day, ts, amount) VALUES (tsdbt_src.id, tsdbt_src.day, tsdbt_src.ts, tsdbt_src.amount)
