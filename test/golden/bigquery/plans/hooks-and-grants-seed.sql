INSERT INTO `p.ds.audit` (relation, note) VALUES ('`p.ds.target`', 'pre');
CREATE OR REPLACE TABLE `p.ds.codes` (
  code STRING,
  n INT64,
  day DATE
);
INSERT INTO `p.ds.codes` (code, n, day) VALUES
('01', 1, DATE '2024-01-01');
INSERT INTO `p.ds.audit` (relation, note)
SELECT '`p.ds.target`', CAST(COUNT(*) AS STRING) FROM `p.ds.target`;
GRANT `roles/bigquery.dataViewer` ON TABLE `p.ds.codes` TO "user:a@x.com", "group:g@x.com";
GRANT `roles/bigquery.metadataViewer` ON TABLE `p.ds.codes` TO "domain:x.com";
