CREATE OR REPLACE TEMP TABLE __tsdbt_snapshot_ts_new_record AS (
WITH tsdbt_source AS (

select * from main.src
),
tsdbt_current AS (
  SELECT *, id AS tsdbt_key_1
  FROM main.ts_new_record AS tsdbt_snapshot
  WHERE (tsdbt_snapshot.dbt_valid_to IS NULL)
),
tsdbt_incoming AS (
  SELECT *, id AS tsdbt_key_1, updated_at AS tsdbt_updated_at
  FROM tsdbt_source
)
SELECT 'insert' AS tsdbt_change, n.id, n.name, n.updated_at, n.tsdbt_updated_at AS dbt_updated_at, n.tsdbt_updated_at AS dbt_valid_from, NULLIF(n.tsdbt_updated_at, n.tsdbt_updated_at) AS dbt_valid_to, md5(concat_ws('|', coalesce(CAST(n.tsdbt_key_1 AS VARCHAR), ''), coalesce(CAST(n.tsdbt_updated_at AS VARCHAR), ''))) AS dbt_scd_id, 'False' AS dbt_is_deleted
FROM tsdbt_incoming AS n
LEFT JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE c.tsdbt_key_1 IS NULL OR c.dbt_valid_from < n.tsdbt_updated_at OR c.dbt_is_deleted = 'True'
UNION ALL
SELECT 'update', n.id, n.name, n.updated_at, n.tsdbt_updated_at, n.tsdbt_updated_at, n.tsdbt_updated_at, c.dbt_scd_id, c.dbt_is_deleted
FROM tsdbt_incoming AS n
JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE c.dbt_valid_from < n.tsdbt_updated_at OR c.dbt_is_deleted = 'True'
UNION ALL
SELECT 'delete', c.id, c.name, c.updated_at, timezone('UTC', current_timestamp), timezone('UTC', current_timestamp), timezone('UTC', current_timestamp), c.dbt_scd_id, c.dbt_is_deleted
FROM tsdbt_current AS c
LEFT JOIN tsdbt_incoming AS n ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE n.tsdbt_key_1 IS NULL AND COALESCE(c.dbt_is_deleted, 'False') <> 'True'
UNION ALL
SELECT 'insert', c.id, c.name, c.updated_at, timezone('UTC', current_timestamp), timezone('UTC', current_timestamp), c.dbt_valid_to, md5(concat_ws('|', coalesce(CAST(c.dbt_scd_id AS VARCHAR), ''), coalesce(CAST(timezone('UTC', current_timestamp) AS VARCHAR), ''))), 'True'
FROM tsdbt_current AS c
LEFT JOIN tsdbt_incoming AS n ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE n.tsdbt_key_1 IS NULL AND COALESCE(c.dbt_is_deleted, 'False') <> 'True'
);

UPDATE main.ts_new_record AS tsdbt_dest
SET dbt_valid_to = tsdbt_src.dbt_valid_to
FROM __tsdbt_snapshot_ts_new_record AS tsdbt_src
WHERE tsdbt_src.dbt_scd_id = tsdbt_dest.dbt_scd_id
  AND tsdbt_src.tsdbt_change IN ('update', 'delete')
  AND (tsdbt_dest.dbt_valid_to IS NULL);

INSERT INTO main.ts_new_record (id, name, updated_at, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id, dbt_is_deleted)
SELECT id, name, updated_at, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id, dbt_is_deleted FROM __tsdbt_snapshot_ts_new_record WHERE tsdbt_change = 'insert';

DROP TABLE __tsdbt_snapshot_ts_new_record;
