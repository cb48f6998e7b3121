CREATE OR REPLACE TEMP TABLE __tsdbt_new_inc_delete_insert AS (

select code, label
from main.codes
where code > (select max(code) from main.inc_delete_insert)
);

DELETE FROM main.inc_delete_insert WHERE EXISTS (SELECT 1 FROM __tsdbt_new_inc_delete_insert AS s WHERE s.code = main.inc_delete_insert.code);

INSERT INTO main.inc_delete_insert (code, label) SELECT code, label FROM __tsdbt_new_inc_delete_insert;

DROP TABLE __tsdbt_new_inc_delete_insert;
