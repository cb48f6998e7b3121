CREATE OR REPLACE TABLE main.t_table AS (

select code, upper(label) as label from main.codes
);

COMMENT ON TABLE main.t_table IS 'Codes in capitals';

COMMENT ON COLUMN main.t_table.label IS 'The label, in capitals';
