CREATE OR REPLACE VIEW main.v_view AS (
select code, label from main.codes
);
