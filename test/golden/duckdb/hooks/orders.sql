insert into audit select count(*) + 1, 'main.orders', 'before begin' from audit;

insert into audit select count(*) + 1, 'main.orders', 'project pre' from audit;

CREATE OR REPLACE TABLE main.orders AS (

select code, label from main.codes
);

insert into audit select count(*) + 1, 'main.orders', 'project post' from audit;

insert into audit select count(*) + 1, 'main.orders', 'yaml post' from audit;

insert into audit select count(*) + 1, 'main.orders', 'template post' from audit;

insert into audit select count(*) + 1, 'main.orders', 'after commit' from audit;
