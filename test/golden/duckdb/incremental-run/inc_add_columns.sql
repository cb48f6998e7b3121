CREATE OR REPLACE TEMP TABLE __tsdbt_new_inc_add_columns AS (

select code, label, rank
from main.codes
where code > (select max(code) from main.inc_add_columns)
);

ALTER TABLE main.inc_add_columns ADD COLUMN rank INTEGER;

MERGE INTO main.inc_add_columns AS t USING __tsdbt_new_inc_add_columns AS s ON t.code = s.code
WHEN MATCHED THEN UPDATE SET label = s.label, rank = s.rank
WHEN NOT MATCHED THEN INSERT (code, label, rank) VALUES (s.code, s.label, s.rank);

DROP TABLE __tsdbt_new_inc_add_columns;
