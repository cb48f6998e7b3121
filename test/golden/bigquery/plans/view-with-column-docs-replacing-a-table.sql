DROP TABLE `p.ds.target`;
CREATE OR REPLACE VIEW `p.ds.target`
AS (
select
    id,
    day,
    ts,
    amount
from `p.ds.src`
where day >= DATE '2024-01-01'
);
ALTER VIEW `p.ds.target` ALTER COLUMN IF EXISTS amount SET OPTIONS(description = 'Amount in euros');
