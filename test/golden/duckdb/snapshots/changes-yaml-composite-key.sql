CREATE OR REPLACE TEMP TABLE __tsdbt_snapshot_price_history AS (
WITH tsdbt_source AS (
select * from main.prices
),
tsdbt_current AS (
  SELECT *, shop AS tsdbt_key_1, product AS tsdbt_key_2
  FROM history.price_history AS tsdbt_snapshot
  WHERE (tsdbt_snapshot.valid_to IS NULL OR tsdbt_snapshot.valid_to = DATE '9999-12-31')
),
tsdbt_incoming AS (
  SELECT *, shop AS tsdbt_key_1, product AS tsdbt_key_2, changed_at AS tsdbt_updated_at
  FROM tsdbt_source
)
SELECT 'insert' AS tsdbt_change, n.shop, n.product, n.price, n.changed_at, n.tsdbt_updated_at AS changed, n.tsdbt_updated_at AS valid_from, COALESCE(NULLIF(n.tsdbt_updated_at, n.tsdbt_updated_at), DATE '9999-12-31') AS valid_to, md5(concat_ws('|', coalesce(CAST(n.tsdbt_key_1 AS VARCHAR), ''), coalesce(CAST(n.tsdbt_key_2 AS VARCHAR), ''), coalesce(CAST(n.tsdbt_updated_at AS VARCHAR), ''))) AS version_id
FROM tsdbt_incoming AS n
LEFT JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1 AND c.tsdbt_key_2 = n.tsdbt_key_2
WHERE c.tsdbt_key_1 IS NULL OR c.valid_from < n.tsdbt_updated_at
UNION ALL
SELECT 'update', n.shop, n.product, n.price, n.changed_at, n.tsdbt_updated_at, n.tsdbt_updated_at, n.tsdbt_updated_at, c.version_id
FROM tsdbt_incoming AS n
JOIN tsdbt_current AS c ON c.tsdbt_key_1 = n.tsdbt_key_1 AND c.tsdbt_key_2 = n.tsdbt_key_2
WHERE c.valid_from < n.tsdbt_updated_at
);

UPDATE history.price_history AS tsdbt_dest
SET valid_to = tsdbt_src.valid_to
FROM __tsdbt_snapshot_price_history AS tsdbt_src
WHERE tsdbt_src.version_id = tsdbt_dest.version_id
  AND tsdbt_src.tsdbt_change IN ('update', 'delete')
  AND (tsdbt_dest.valid_to IS NULL OR tsdbt_dest.valid_to = DATE '9999-12-31');

INSERT INTO history.price_history (shop, product, price, changed_at, changed, valid_from, valid_to, version_id)
SELECT shop, product, price, changed_at, changed, valid_from, valid_to, version_id FROM __tsdbt_snapshot_price_history WHERE tsdbt_change = 'insert';

DROP TABLE __tsdbt_snapshot_price_history;
