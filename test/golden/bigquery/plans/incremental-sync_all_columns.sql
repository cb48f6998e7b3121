ALTER TABLE `p.ds.target` ADD COLUMN amount FLOAT64;
ALTER TABLE `p.ds.target` DROP COLUMN legacy;
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
ON tsdbt_dest.id = tsdbt_src.id
WHEN MATCHED THEN UPDATE SET day = tsdbt_src.day, ts = tsdbt_src.ts, amount = tsdbt_src.amount
WHEN NOT MATCHED THEN INSERT (id, day, ts, amount) VALUES (tsdbt_src.id, tsdbt_src.day, tsdbt_src.ts, tsdbt_src.amount);
