CREATE SCHEMA IF NOT EXISTS tsdbt_state;

CREATE TABLE IF NOT EXISTS tsdbt_state.intervals (unique_id VARCHAR NOT NULL, batch_start TIMESTAMPTZ NOT NULL, batch_end TIMESTAMPTZ NOT NULL, row_count BIGINT, checksum VARCHAR NOT NULL, invocation_id VARCHAR, loaded_at TIMESTAMPTZ NOT NULL);

SELECT epoch_ms(batch_start) AS start_ms, epoch_ms(batch_end) AS end_ms, checksum, epoch_ms(loaded_at) AS loaded_at_ms, row_count
FROM tsdbt_state.intervals WHERE unique_id = 'model.demo.daily' ORDER BY batch_start;
