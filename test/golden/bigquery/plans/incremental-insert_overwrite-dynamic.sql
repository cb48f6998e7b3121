DECLARE tsdbt_partitions ARRAY<DATE>;
CREATE TEMP TABLE tsdbt_tmp_target AS (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
);
SET (tsdbt_partitions) = (SELECT AS STRUCT ARRAY_AGG(DISTINCT day IGNORE NULLS) FROM tsdbt_tmp_target);
MERGE INTO `p.ds.target` AS tsdbt_dest
USING tsdbt_tmp_target AS tsdbt_src
ON FALSE
WHEN NOT MATCHED BY SOURCE AND tsdbt_dest.day IN UNNEST(tsdbt_partitions) THEN DELETE
WHEN NOT MATCHED THEN INSERT (id, day, ts, amount) VALUES (tsdbt_src.id, tsdbt_src.day, tsdbt_src.ts, tsdbt_src.amount);
