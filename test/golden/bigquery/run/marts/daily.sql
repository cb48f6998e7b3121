CREATE OR REPLACE TABLE `test-project.marts.daily`
PARTITION BY day
CLUSTER BY event_id
OPTIONS(
  description = 'Events per day',
  labels = [('domain', 'events')]
)
AS (
select
    day,
    event_id,
    count(*) as n
from `test-project.staging.stg_events`
group by day, event_id
);

ALTER TABLE `test-project.marts.daily` ALTER COLUMN IF EXISTS n SET OPTIONS(description = 'number of events');
