CREATE OR REPLACE TABLE main.codes AS SELECT * FROM read_csv('<project>/seeds/codes.csv', header = true, auto_detect = true, types = {'code': 'varchar', 'rank': 'integer'});
