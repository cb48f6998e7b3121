import { beforeAll, describe, expect, it } from 'vitest';
import { queryLineage } from './query-lineage.js';
import type { Origin } from './scope.js';
import { loadSqlParser, type SqlParser } from './sql-parser.js';

let parser: SqlParser;
beforeAll(async () => {
  parser = await loadSqlParser();
});

/** Tables by name: their columns (complete), or undefined when unknown. */
type Tables = Record<string, readonly string[] | undefined>;

const SHOP: Tables = {
  'shop.orders': ['id', 'customer_id', 'status', 'amount', 'ordered_at', 'region'],
  'shop.customers': ['id', 'name', 'country'],
};

const edge = (o: Origin) => `${o.node}.${o.column}${o.passthrough ? '' : ' ~'}`;

/** Each output column → its upstream (`~` marks a transformation), plus the keys and problems. */
function lineage(sql: string, tables: Tables = SHOP, dialect = 'duckdb') {
  const parsed = parser.parse(sql, dialect);
  if (!parsed.ok) throw new Error(parsed.error);
  const result = queryLineage(parsed.statements[0], {
    resolveTable: (path) => {
      const name = path.join('.');
      return name in tables ? { node: name, label: name, columns: tables[name], complete: tables[name] !== undefined } : undefined;
    },
    resolveInlinedModel: () => undefined,
  });
  const columns: Record<string, string[]> = {};
  for (const item of result.items) {
    if (item.kind === 'gap') columns[`* (${item.soft ? 'soft' : 'gap'})`] = [item.reason];
    else columns[item.name ?? '?'] = [...new Set(item.origins.map(edge)), ...item.problems.map((p) => `! ${p}`)];
  }
  return { columns, keys: [...new Set(result.keys.map((o) => `${o.node}.${o.column}`))], problems: result.problems };
}

describe('queryLineage', () => {
  it('follows a chain of CTEs; a literal has no upstream', () => {
    expect(
      lineage(`
        with a as (select id, amount * 2 as doubled, status from shop.orders),
             b as (select id as order_id, doubled from a where status = 'paid')
        select order_id, doubled, 'x' as label, current_timestamp as loaded_at from b`),
    ).toEqual({
      columns: { order_id: ['shop.orders.id'], doubled: ['shop.orders.amount ~'], label: [], loaded_at: [] },
      keys: ['shop.orders.status'],
      problems: [],
    });
  });

  it('resolves joined aliases, qualified or not; ON, WHERE and USING columns are keys', () => {
    expect(
      lineage(`
        select o.id, c.name as customer, amount, country
        from shop.orders as o
        left join shop.customers c on c.id = o.customer_id
        where o.status <> 'void'`),
    ).toEqual({
      columns: { id: ['shop.orders.id'], customer: ['shop.customers.name'], amount: ['shop.orders.amount'], country: ['shop.customers.country'] },
      keys: ['shop.customers.id', 'shop.orders.customer_id', 'shop.orders.status'],
      problems: [],
    });
    expect(lineage('select id, name from shop.orders join shop.customers using (id)').columns).toEqual({
      id: ['shop.orders.id'],
      name: ['shop.customers.name'],
    });
  });

  it('traces aggregates as transformations; GROUP BY (by position, by name, ALL) and HAVING are keys', () => {
    expect(lineage('select customer_id, count(*) as n, sum(amount) as total from shop.orders group by 1 having sum(amount) > 10')).toEqual({
      columns: { customer_id: ['shop.orders.customer_id'], n: [], total: ['shop.orders.amount ~'] },
      keys: ['shop.orders.customer_id', 'shop.orders.amount'],
      problems: [],
    });
    expect(lineage('select region, status, max(amount) as top from shop.orders group by all').keys).toEqual(['shop.orders.region', 'shop.orders.status']);
  });

  it('reads window functions: every column they use is upstream, PARTITION BY and QUALIFY are keys', () => {
    expect(
      lineage(`
        select id,
               row_number() over (partition by customer_id order by ordered_at desc) as recency,
               sum(amount) over w as region_total
        from shop.orders
        window w as (partition by region)
        qualify recency = 1`),
    ).toEqual({
      columns: {
        id: ['shop.orders.id'],
        recency: ['shop.orders.customer_id ~', 'shop.orders.ordered_at ~'],
        region_total: ['shop.orders.amount ~', 'shop.orders.region ~'],
      },
      keys: ['shop.orders.region', 'shop.orders.customer_id', 'shop.orders.ordered_at'],
      problems: [],
    });
  });

  it('pairs UNION branches by position (BY NAME by name); an EXCEPT branch only filters', () => {
    const tables = { a: ['id', 'amount'], b: ['key', 'total', 'extra'] };
    expect(lineage('select id, amount from a union all select key, total * 1.2 from b', tables).columns).toEqual({
      id: ['a.id', 'b.key'],
      amount: ['a.amount', 'b.total ~'],
    });
    expect(lineage('select id, amount from a union all by name select total as amount, extra from b', tables).columns).toEqual({
      id: ['a.id'],
      amount: ['a.amount', 'b.total'],
      extra: ['b.extra'],
    });
    expect(lineage('select id from a except select key from b', tables)).toEqual({ columns: { id: ['a.id'] }, keys: ['b.key'], problems: [] });
  });

  it('expands `*` and `t.*` from the known columns, in order', () => {
    expect(Object.keys(lineage('select * from shop.customers').columns)).toEqual(['id', 'name', 'country']);
    expect(lineage('with c as (select * from shop.customers) select c.*, o.amount from c join shop.orders o on o.customer_id = c.id').columns).toEqual({
      id: ['shop.customers.id'],
      name: ['shop.customers.name'],
      country: ['shop.customers.country'],
      amount: ['shop.orders.amount'],
    });
  });

  it('applies EXCLUDE, REPLACE and RENAME to a star, and BigQuery EXCEPT', () => {
    expect(lineage('select * exclude (amount, region) replace (upper(status) as status) from shop.orders').columns).toEqual({
      id: ['shop.orders.id'],
      customer_id: ['shop.orders.customer_id'],
      status: ['shop.orders.status ~'],
      ordered_at: ['shop.orders.ordered_at'],
    });
    expect(Object.keys(lineage('select * rename (name as customer_name) from shop.customers').columns)).toEqual(['id', 'customer_name', 'country']);
    const bigquery = { 'p.shop.customers': ['id', 'name', 'country'] };
    expect(lineage('select * except (country) from `p.shop.customers`', bigquery, 'bigquery').columns).toEqual({
      id: ['p.shop.customers.id'],
      name: ['p.shop.customers.name'],
    });
  });

  it('reads BigQuery date parts as keywords, not columns, in the bigquery dialect', () => {
    const sql = 'select datetime_diff(ordered_at, ordered_at, MINUTE) as minutes, date_trunc(ordered_at, MONTH) as month from shop.orders';
    expect(lineage(sql, SHOP, 'bigquery').columns).toEqual({ minutes: ['shop.orders.ordered_at ~'], month: ['shop.orders.ordered_at ~'] });
  });

  it("expands DuckDB's columns(…) by regular expression, list or *", () => {
    expect(lineage("select columns('^(id|name)$') from shop.customers").columns).toEqual({ id: ['shop.customers.id'], name: ['shop.customers.name'] });
    expect(lineage("select max(columns(['amount', 'ordered_at'])) from shop.orders").columns).toEqual({
      amount: ['shop.orders.amount ~'],
      ordered_at: ['shop.orders.ordered_at ~'],
    });
  });

  it('counts a CAST of a column as a passthrough, any other function as a transformation', () => {
    expect(
      lineage('select cast(id as varchar) as a, id::int as b, try_cast(amount as double) as c, trim(status) as d, (region) as e from shop.orders').columns,
    ).toEqual({
      a: ['shop.orders.id'],
      b: ['shop.orders.id'],
      c: ['shop.orders.amount'],
      d: ['shop.orders.status ~'],
      e: ['shop.orders.region'],
    });
  });

  it('follows subqueries in FROM, scalar subqueries and EXISTS; select aliases reused later (DuckDB)', () => {
    expect(
      lineage(`
        select s.id, s.twice, s.twice + 1 as more, (select max(amount) from shop.orders) as top
        from (select id, amount * 2 as twice from shop.orders) as s
        where exists (select 1 from shop.customers c where c.id = s.id)`),
    ).toEqual({
      columns: { id: ['shop.orders.id'], twice: ['shop.orders.amount ~'], more: ['shop.orders.amount ~'], top: ['shop.orders.amount ~'] },
      keys: ['shop.customers.id', 'shop.orders.id'],
      problems: [],
    });
    expect(lineage('select amount * 2 as twice, twice + 1 as more from shop.orders').columns.more).toEqual(['shop.orders.amount ~']);
  });

  it('does not take lambda parameters and comprehension variables for columns', () => {
    expect(lineage('select list_transform([amount], x -> x * 2) as a, [y + 1 for y in [amount] if y > 0] as b from shop.orders').columns).toEqual({
      a: ['shop.orders.amount ~'],
      b: ['shop.orders.amount ~'],
    });
  });

  it('reads schema.table.column and struct fields', () => {
    expect(lineage('select shop.orders.id, o.info.city as city from shop.orders, (select id as info from shop.customers) as o').columns).toEqual({
      id: ['shop.orders.id'],
      city: ['shop.customers.id ~'],
    });
  });

  it('follows a recursive CTE through its anchor branch', () => {
    expect(
      lineage('with recursive r(n, c) as (select 1, id from shop.customers union all select n + 1, c from r where n < 3) select n, c from r').columns,
    ).toEqual({
      n: [],
      c: ['shop.customers.id'],
    });
  });

  it('resolves names of a relation whose columns are unknown, and keeps its `*` as a gap', () => {
    const tables = { raw: undefined, other: undefined, 'shop.customers': SHOP['shop.customers'] };
    expect(lineage('select r.a, b, name from raw r join shop.customers c on c.id = r.customer_id', tables)).toEqual({
      columns: { a: ['raw.a'], b: ['raw.b'], name: ['shop.customers.name'] },
      keys: ['shop.customers.id', 'raw.customer_id'],
      problems: [],
    });
    expect(lineage('select *, 1 as one from raw', tables).columns).toEqual({
      '* (gap)': ['`*` over raw, whose columns are unknown (no catalog or YAML columns)'],
      one: [],
    });
    expect(lineage('select x from raw, other', tables).columns).toEqual({ x: ['! x could come from raw, other (their columns are not all known)'] });
  });

  it('marks a `*` over a partly known relation with a soft gap, through which other names resolve', () => {
    const tables = { raw: ['id'] };
    const partial = (sql: string) => {
      const parsed = parser.parse(sql, 'duckdb');
      if (!parsed.ok) throw new Error(parsed.error);
      return queryLineage(parsed.statements[0], {
        resolveTable: (path) => ({ node: path.join('.'), label: path.join('.'), columns: tables[path.join('.') as 'raw'], complete: false }),
        resolveInlinedModel: () => undefined,
      });
    };
    const result = partial('with s as (select * from raw) select id, k from s');
    expect(result.items.map((i) => (i.kind === 'column' ? `${i.name}: ${i.origins.map(edge).join(', ')}` : i.kind))).toEqual(['id: raw.id', 'k: raw.k']);
  });

  it('reports what it cannot read: an unknown table, a file read directly, PIVOT', () => {
    expect(lineage('select a from nowhere').columns).toEqual({ a: ['! reads nowhere, which is no model, seed or source of the project'] });
    expect(lineage("select a from read_parquet('/data/x.parquet')").problems).toEqual([
      'reads read_parquet(…), which is no model, seed or source of the project',
    ]);
    expect(lineage("select * from shop.orders pivot (sum(amount) for status in ('paid'))").problems).toEqual(['FROM PIVOT not followed']);
  });

  it('gives generated rows (range, unnest) columns from their arguments only', () => {
    expect(lineage('select spine.value as day, u.x from range(1, 10) as spine(value), unnest([1, 2]) as u(x)').columns).toEqual({ day: [], x: [] });
    expect(lineage("select tag from shop.orders, unnest(string_split(status, ',')) as t(tag)").columns).toEqual({ tag: ['shop.orders.status ~'] });
  });
});
