CREATE OR REPLACE TEMP TABLE __tsdbt_new_inc AS (

select id::bigint as id, v from (values (1, 'a'), (2, 'b')) as t(id, v)
where id >= (select max(id) from main.inc)
);

MERGE INTO main.inc AS t USING __tsdbt_new_inc AS s ON t.id = s.id
WHEN MATCHED THEN UPDATE SET v = s.v
WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v);

DROP TABLE __tsdbt_new_inc;
