CREATE OR REPLACE TABLE main.inc (
  id BIGINT,
  v VARCHAR,
  PRIMARY KEY (id)
);

INSERT INTO main.inc (id, v)
SELECT id, v FROM (

select id::bigint as id, v from (values (1, 'a'), (2, 'b')) as t(id, v)
) AS tsdbt_contract;
