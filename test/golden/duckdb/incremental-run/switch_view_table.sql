DROP VIEW main.switch_view_table;

CREATE OR REPLACE TABLE main.switch_view_table AS (

select code from main.codes
);
