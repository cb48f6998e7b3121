CREATE TEMP TABLE tsdbt_tmp_target AS (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
);
BEGIN TRANSACTION;
DELETE FROM `p.ds.target` AS tsdbt_dest WHERE EXISTS (SELECT 1 FROM tsdbt_tmp_target AS tsdbt_src WHERE tsdbt_dest.id = tsdbt_src.id);
INSERT INTO `p.ds.target` (id, day, ts, amount)
SELECT id, day, ts, amount FROM tsdbt_tmp_target;
COMMIT TRANSACTION;
