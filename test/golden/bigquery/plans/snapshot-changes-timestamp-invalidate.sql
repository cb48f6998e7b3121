CREATE TEMP TABLE tsdbt_tmp_history AS (
WITH tsdbt_source AS (
select id, name, updated_at
from `p.crm.customers`
),
tsdbt_current AS (
  SELECT *, id AS tsdbt_key_1
  FROM `p.snapshots.history` AS tsdbt_snapshot
  WHERE (tsdbt_snapshot.dbt_valid_to IS NULL)
),
tsdbt_incoming AS (
  SELECT *, id AS tsdbt_key_1, updated_at AS tsdbt_updated_at
  FROM tsdbt_source
)
SELECT 'insert' AS tsdbt_change, n.id, n.name, n.updated_at, n.tsdbt_updated_at AS dbt_updated_at, n.tsdbt_updated_at AS dbt_valid_from, NULLIF(n.tsdbt_updated_at, n.tsdbt_updated_at) AS dbt_valid_to, TO_HEX(MD5(CONCAT(COALESCE(CAST(n.tsdbt_key_1 AS STRING), ''), '|', COALESCE(CAST(n.tsdbt_updated_at AS STRING), '')))) AS dbt_scd_id
FROM tsdbt_incoming AS n
LEFT JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE c.tsdbt_key_1 IS NULL OR c.dbt_valid_from < n.tsdbt_updated_at
UNION ALL
SELECT 'update', n.id, n.name, n.updated_at, n.tsdbt_updated_at, n.tsdbt_updated_at, n.tsdbt_updated_at, c.dbt_scd_id
FROM tsdbt_incoming AS n
JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE c.dbt_valid_from < n.tsdbt_updated_at
UNION ALL
SELECT 'delete', c.id, c.name, c.updated_at, CURRENT_DATETIME('UTC'), CURRENT_DATETIME('UTC'), CURRENT_DATETIME('UTC'), c.dbt_scd_id
FROM tsdbt_current AS c
LEFT JOIN tsdbt_incoming AS n ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE n.tsdbt_key_1 IS NULL
);
MERGE INTO `p.snapshots.history` AS tsdbt_dest
USING tsdbt_tmp_history AS tsdbt_src
ON tsdbt_src.dbt_scd_id = tsdbt_dest.dbt_scd_id
WHEN MATCHED AND (tsdbt_dest.dbt_valid_to IS NULL) AND tsdbt_src.tsdbt_change IN ('update', 'delete')
  THEN UPDATE SET dbt_valid_to = tsdbt_src.dbt_valid_to
WHEN NOT MATCHED AND tsdbt_src.tsdbt_change = 'insert'
  THEN INSERT (id, name, updated_at, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id) VALUES (tsdbt_src.id, tsdbt_src.name, tsdbt_src.updated_at, tsdbt_src.dbt_updated_at, tsdbt_src.dbt_valid_from, tsdbt_src.dbt_valid_to, tsdbt_src.dbt_scd_id);
