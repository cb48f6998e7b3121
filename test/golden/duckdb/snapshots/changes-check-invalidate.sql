CREATE OR REPLACE TEMP TABLE __tsdbt_snapshot_check_names AS (
WITH tsdbt_source AS (

select id, name from main.src
),
tsdbt_current AS (
  SELECT *, id AS tsdbt_key_1
  FROM main.check_names AS tsdbt_snapshot
  WHERE (tsdbt_snapshot.dbt_valid_to IS NULL)
),
tsdbt_incoming AS (
  SELECT *, id AS tsdbt_key_1, timezone('UTC', current_timestamp) AS tsdbt_updated_at
  FROM tsdbt_source
)
SELECT 'insert' AS tsdbt_change, n.id, n.name, n.tsdbt_updated_at AS dbt_updated_at, n.tsdbt_updated_at AS dbt_valid_from, NULLIF(n.tsdbt_updated_at, n.tsdbt_updated_at) AS dbt_valid_to, md5(concat_ws('|', coalesce(CAST(n.tsdbt_key_1 AS VARCHAR), ''), coalesce(CAST(n.tsdbt_updated_at AS VARCHAR), ''))) AS dbt_scd_id
FROM tsdbt_incoming AS n
LEFT JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE c.tsdbt_key_1 IS NULL OR (c.name IS DISTINCT FROM n.name)
UNION ALL
SELECT 'update', n.id, n.name, n.tsdbt_updated_at, n.tsdbt_updated_at, n.tsdbt_updated_at, c.dbt_scd_id
FROM tsdbt_incoming AS n
JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE (c.name IS DISTINCT FROM n.name)
UNION ALL
SELECT 'delete', c.id, c.name, timezone('UTC', current_timestamp), timezone('UTC', current_timestamp), timezone('UTC', current_timestamp), c.dbt_scd_id
FROM tsdbt_current AS c
LEFT JOIN tsdbt_incoming AS n ON c.tsdbt_key_1 = n.tsdbt_key_1
WHERE n.tsdbt_key_1 IS NULL
);

UPDATE main.check_names AS tsdbt_dest
SET dbt_valid_to = tsdbt_src.dbt_valid_to
FROM __tsdbt_snapshot_check_names AS tsdbt_src
WHERE tsdbt_src.dbt_scd_id = tsdbt_dest.dbt_scd_id
  AND tsdbt_src.tsdbt_change IN ('update', 'delete')
  AND (tsdbt_dest.dbt_valid_to IS NULL);

INSERT INTO main.check_names (id, name, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id)
SELECT id, name, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id FROM __tsdbt_snapshot_check_names WHERE tsdbt_change = 'insert';

DROP TABLE __tsdbt_snapshot_check_names;
