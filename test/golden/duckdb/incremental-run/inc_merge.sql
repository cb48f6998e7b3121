CREATE OR REPLACE TEMP TABLE __tsdbt_new_inc_merge AS (

select code, label, rank
from main.codes
where code > (select max(code) from main.inc_merge)
);

MERGE INTO main.inc_merge AS t USING __tsdbt_new_inc_merge AS s ON t.code = s.code
WHEN MATCHED THEN UPDATE SET label = s.label
WHEN NOT MATCHED THEN INSERT (code, label, rank) VALUES (s.code, s.label, s.rank);

DROP TABLE __tsdbt_new_inc_merge;
