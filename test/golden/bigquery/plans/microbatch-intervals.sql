CREATE SCHEMA IF NOT EXISTS `p.tsdbt_state`;
CREATE TABLE IF NOT EXISTS `p.tsdbt_state.intervals` (unique_id STRING NOT NULL, batch_start TIMESTAMP NOT NULL, batch_end TIMESTAMP NOT NULL, row_count INT64, checksum STRING NOT NULL, invocation_id STRING, loaded_at TIMESTAMP NOT NULL);
SELECT UNIX_MILLIS(batch_start) AS start_ms, UNIX_MILLIS(batch_end) AS end_ms, checksum, UNIX_MILLIS(loaded_at) AS loaded_at_ms, row_count
FROM `p.tsdbt_state.intervals` WHERE unique_id = 'model.demo.target' ORDER BY batch_start;
