CREATE OR REPLACE TABLE main.codes AS SELECT * FROM read_csv('<project>/seeds/codes.csv', header = true, auto_detect = true);

insert into audit select count(*) + 1, 'main.codes', 'seed post' from audit;
