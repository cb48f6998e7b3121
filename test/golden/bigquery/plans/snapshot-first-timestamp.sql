CREATE TABLE `p.snapshots.history`
AS (
SELECT
  tsdbt_snapshot_source.*,
  TO_HEX(MD5(CONCAT(COALESCE(CAST(id AS STRING), ''), '|', COALESCE(CAST(updated_at AS STRING), '')))) AS dbt_scd_id,
  updated_at AS dbt_updated_at,
  updated_at AS dbt_valid_from,
  NULLIF(updated_at, updated_at) AS dbt_valid_to
FROM (
select id, name, updated_at
from `p.crm.customers`
) AS tsdbt_snapshot_source
)
