DELETE FROM `p.ds.audit`
WHERE relation = '`p.ds.target`';
INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'pre');
CREATE OR REPLACE TABLE `p.ds.target`
AS (
select id, day, ts, amount
from `p.ds.src`
);
INSERT INTO `p.ds.audit` (relation, note)
SELECT '`p.ds.target`', CAST(COUNT(*) AS STRING) FROM `p.ds.target`;
REVOKE `roles/bigquery.dataEditor` ON TABLE `p.ds.target` FROM "user:old@x.com";
REVOKE `roles/bigquery.dataViewer` ON TABLE `p.ds.target` FROM "user:gone@x.com";
GRANT `roles/bigquery.dataViewer` ON TABLE `p.ds.target` TO "user:a@x.com", "group:g@x.com";
GRANT `roles/bigquery.metadataViewer` ON TABLE `p.ds.target` TO "domain:x.com";
INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'after commit');
