CREATE OR REPLACE TABLE `test-project.marts.events_incr`
AS (

select event_id, day
from `test-project.staging.stg_events`
);
