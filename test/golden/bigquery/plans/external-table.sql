CREATE OR REPLACE EXTERNAL TABLE `p.lake.events`
OPTIONS (
  format = 'CSV',
  uris = ['gs://lake-bucket/raw/events/*.csv'],
  field_delimiter = ';',
  encoding = 'ISO-8859-1',
  null_marker = 'NA',
  skip_leading_rows = 1,
  description = 'Raw events'
)
