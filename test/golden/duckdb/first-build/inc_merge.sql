CREATE OR REPLACE TABLE main.inc_merge AS (

select code, label, rank
from main.codes
);
