CREATE TABLE `p.snapshots.history`
PARTITION BY TIMESTAMP_TRUNC(dbt_valid_from, MONTH)
CLUSTER BY id
OPTIONS(
  description = 'Customers over time'
)
AS (
SELECT
  tsdbt_snapshot_source.*,
  TO_HEX(MD5(CONCAT(COALESCE(CAST(id AS STRING), ''), '|', COALESCE(CAST(CURRENT_TIMESTAMP() AS STRING), '')))) AS dbt_scd_id,
  CURRENT_TIMESTAMP() AS dbt_updated_at,
  CURRENT_TIMESTAMP() AS dbt_valid_from,
  NULLIF(CURRENT_TIMESTAMP(), CURRENT_TIMESTAMP()) AS dbt_valid_to,
  'False' AS dbt_is_deleted
FROM (
select id, name, updated_at
from `p.crm.customers`
) AS tsdbt_snapshot_source
);
ALTER TABLE `p.snapshots.history` ALTER COLUMN IF EXISTS name SET OPTIONS(description = 'Their name');
