CREATE TABLE main.ts_new_record AS (
SELECT
  tsdbt_snapshot_source.*,
  md5(concat_ws('|', coalesce(CAST(id AS VARCHAR), ''), coalesce(CAST(updated_at AS VARCHAR), ''))) AS dbt_scd_id,
  updated_at AS dbt_updated_at,
  updated_at AS dbt_valid_from,
  NULLIF(updated_at, updated_at) AS dbt_valid_to,
  'False' AS dbt_is_deleted
FROM (

select * from main.src
) AS tsdbt_snapshot_source
);
