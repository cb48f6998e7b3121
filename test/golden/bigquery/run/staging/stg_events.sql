CREATE OR REPLACE VIEW `test-project.staging.stg_events`
AS (
select
    Event_id as event_id,
    SAFE_CAST(Date AS DATE) as day,
    _file
from (SELECT *, _FILE_NAME AS _file FROM `test-project.lake.events`)
);
