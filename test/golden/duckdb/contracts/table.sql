CREATE OR REPLACE TABLE main.orders (
  id BIGINT NOT NULL,
  country VARCHAR NOT NULL,
  amount DOUBLE,
  day DATE,
  PRIMARY KEY (id),
  CONSTRAINT amount_positive CHECK (amount > 0)
);

INSERT INTO main.orders (id, country, amount, day)
SELECT id, country, amount, day FROM (

select id::bigint as id, country, amount::double as amount, day
from (values (1, 'FR', 10.5, date '2024-01-01'), (2, 'DE', 20.25, date '2024-01-02')) as t(id, country, amount, day)
) AS tsdbt_contract;
