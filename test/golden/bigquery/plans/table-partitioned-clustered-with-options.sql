CREATE OR REPLACE TABLE `p.ds.target`
PARTITION BY day
CLUSTER BY id
OPTIONS(
  description = 'Daily amounts',
  labels = [('domain', 'energy')],
  require_partition_filter = true,
  partition_expiration_days = 30
)
AS (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
);
ALTER TABLE `p.ds.target` ALTER COLUMN IF EXISTS amount SET OPTIONS(description = 'Amount in euros');
