CREATE OR REPLACE TEMP TABLE __tsdbt_new_inc_sync_columns AS (

select code, rank
from main.codes
where code > (select max(code) from main.inc_sync_columns)
);

ALTER TABLE main.inc_sync_columns ADD COLUMN rank INTEGER;

ALTER TABLE main.inc_sync_columns DROP COLUMN label;

MERGE INTO main.inc_sync_columns AS t USING __tsdbt_new_inc_sync_columns AS s ON t.code = s.code
WHEN MATCHED THEN UPDATE SET rank = s.rank
WHEN NOT MATCHED THEN INSERT (code, rank) VALUES (s.code, s.rank);

DROP TABLE __tsdbt_new_inc_sync_columns;
