CREATE OR REPLACE TABLE `p.ds.codes` (
  code STRING,
  n INT64,
  day DATE
);
INSERT INTO `p.ds.codes` (code, n, day) VALUES
('01', 1, DATE '2024-01-01'),
('02', NULL, DATE '2024-01-02');
