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
DELETE FROM `p.ds.target` WHERE TIMESTAMP(ts) >= TIMESTAMP '2024-01-04T00:00:00.000Z' AND TIMESTAMP(ts) < TIMESTAMP '2024-01-05T00:00:00.000Z';
INSERT INTO `p.ds.target` (id, day, ts, amount)
SELECT id, day, ts, amount FROM tsdbt_tmp_target;
DELETE FROM `p.tsdbt_state.intervals` WHERE unique_id = 'model.demo.target' AND batch_start = TIMESTAMP '2024-01-04T00:00:00.000Z';
INSERT INTO `p.tsdbt_state.intervals` (unique_id, batch_start, batch_end, row_count, checksum, invocation_id, loaded_at)
SELECT 'model.demo.target', TIMESTAMP '2024-01-04T00:00:00.000Z', TIMESTAMP '2024-01-05T00:00:00.000Z', (SELECT COUNT(*) FROM tsdbt_tmp_target), 'abc123', 'inv-1', CURRENT_TIMESTAMP();
COMMIT TRANSACTION;
