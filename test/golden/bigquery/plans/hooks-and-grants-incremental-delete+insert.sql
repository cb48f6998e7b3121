DELETE FROM `p.ds.audit`
WHERE relation = '`p.ds.target`';
INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'pre');
CREATE TEMP TABLE tsdbt_tmp_target AS (
select id, day, ts, amount
from `p.ds.src`
);
BEGIN TRANSACTION;
DELETE FROM `p.ds.target` AS tsdbt_dest WHERE EXISTS (SELECT 1 FROM tsdbt_tmp_target AS tsdbt_src WHERE tsdbt_dest.id = tsdbt_src.id);
INSERT INTO `p.ds.target` (id, day, ts, amount)
SELECT id, day, ts, amount FROM tsdbt_tmp_target;
COMMIT TRANSACTION;
INSERT INTO `p.ds.audit` (relation, note)
SELECT '`p.ds.target`', CAST(COUNT(*) AS STRING) FROM `p.ds.target`;
REVOKE `roles/bigquery.dataEditor` ON TABLE `p.ds.target` FROM "user:old@x.com";
REVOKE `roles/bigquery.dataViewer` ON TABLE `p.ds.target` FROM "user:gone@x.com";
GRANT `roles/bigquery.dataViewer` ON TABLE `p.ds.target` TO "user:a@x.com", "group:g@x.com";
GRANT `roles/bigquery.metadataViewer` ON TABLE `p.ds.target` TO "domain:x.com";
INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'after commit');
