CREATE OR REPLACE TEMP TABLE __tsdbt_batch_daily AS (
select ts, value from (select * from main.events where ts >= TIMESTAMPTZ '2024-01-04T00:00:00.000Z' AND ts < TIMESTAMPTZ '2024-01-05T00:00:00.000Z')
);

DELETE FROM main.daily WHERE ts >= TIMESTAMPTZ '2024-01-04T00:00:00.000Z' AND ts < TIMESTAMPTZ '2024-01-05T00:00:00.000Z';

INSERT INTO main.daily (value, ts) SELECT value, ts FROM __tsdbt_batch_daily;

DELETE FROM tsdbt_state.intervals WHERE unique_id = 'model.demo.daily' AND batch_start = TIMESTAMPTZ '2024-01-04T00:00:00.000Z';

INSERT INTO tsdbt_state.intervals (unique_id, batch_start, batch_end, row_count, checksum, invocation_id, loaded_at)
SELECT 'model.demo.daily', TIMESTAMPTZ '2024-01-04T00:00:00.000Z', TIMESTAMPTZ '2024-01-05T00:00:00.000Z', (SELECT count(*) FROM __tsdbt_batch_daily), 'abc123', 'inv-1', current_timestamp;

DROP TABLE __tsdbt_batch_daily;
