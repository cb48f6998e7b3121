CREATE OR REPLACE TEMP TABLE __tsdbt_new_inc_append AS (

select code, label
from main.codes
where code > (select max(code) from main.inc_append)
);

INSERT INTO main.inc_append (code, label) SELECT code, label FROM __tsdbt_new_inc_append;

DROP TABLE __tsdbt_new_inc_append;
