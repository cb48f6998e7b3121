/**
 * The BigQuery dialect: every cross-dialect rendering, for every date part and every date/time
 * type it can receive, is valid GoogleSQL with the intended result type (ZetaSQL, offline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATE_PARTS, PORTABLE_TYPES, type DatePart } from '../../src/compile/dialect.js';
import { createBigqueryDialect, bigqueryTimeFormat } from '../../src/adapters/bigquery/dialect.js';
import { bigqueryLiteral, bigqueryName, quoteBigqueryIdentifier } from '../../src/adapters/bigquery/identifiers.js';
import { findDuckdbConstructs } from '../../src/adapters/bigquery/duckdb-constructs.js';
import type { SourceTable } from '../../src/project/types.js';
import { openProject } from '../../src/api/open-project.js';
import { batchedCountSql, failureCountSql } from '../../src/compile/data-tests/test-queries.js';
import { CASES, properties } from '../helpers/package-test-cases.js';
import { createTmpProject } from '../helpers/tmp-project.js';
import { PROFILES } from './helpers.js';
import { startAnalyzer, typeKindName, type Analyzer, type CatalogTable } from './zetasql-analyzer.js';

const dialect = createBigqueryDialect({ project: 'my-gcp-project' });
const r = dialect.renderings;
const TABLE: CatalogTable = {
  name: 'p.ds.t',
  columns: [
    { name: 's', type: 'STRING' },
    { name: 'i', type: 'INT64' },
    { name: 'f', type: 'FLOAT64' },
    { name: 'd', type: 'DATE' },
    { name: 'dt', type: 'DATETIME' },
    { name: 'ts', type: 'TIMESTAMP' },
  ],
};
const KIND: Record<string, string> = { d: 'TYPE_DATE', dt: 'TYPE_DATETIME', ts: 'TYPE_TIMESTAMP' };
const SUB_DAY: DatePart[] = ['hour', 'minute', 'second'];

let analyzer: Analyzer;
beforeAll(async () => {
  analyzer = await startAnalyzer();
});
afterAll(() => analyzer?.close());

async function typeOf(expression: string): Promise<string> {
  const result = await analyzer.analyze(`SELECT ${expression} AS x FROM \`p.ds.t\``, [TABLE]);
  if (!result.ok) throw new Error(`${expression}\n→ ${result.message}`);
  return typeKindName(result.columns[0]!.type);
}

describe('GoogleSQL renderings (analysed by ZetaSQL)', () => {
  it("dbt_utils' generators: surrogate key, star except, date spine, union by name", async () => {
    expect(await typeOf(r.surrogate_key(['s', 'i']))).toBe('TYPE_STRING');
    const query = async (sql: string) => {
      const result = await analyzer.analyze(sql, [TABLE, { ...TABLE, name: 'p.ds.u' }]);
      if (!result.ok) throw new Error(`${sql}\n→ ${result.message}`);
      return result.columns.map((c) => `${c.name} ${typeKindName(c.type)}`);
    };
    expect(await query(`SELECT ${r.star_except('t', ['s', 'i'])} FROM \`p.ds.t\` AS t`)).toEqual([
      'f TYPE_DOUBLE',
      'd TYPE_DATE',
      'dt TYPE_DATETIME',
      'ts TYPE_TIMESTAMP',
    ]);
    expect(await query(r.date_spine('day', "'2024-01-01'", "'2024-02-01'"))).toEqual(['date_day TYPE_DATE']);
    expect(await query(r.date_spine('month', "'2024-01-01'", "'2025-01-01'"))).toEqual(['date_month TYPE_DATE']);
    expect(await query(r.date_spine('hour', "'2024-01-01'", "'2024-01-02'"))).toEqual(['date_hour TYPE_TIMESTAMP']);
    expect(await query(`SELECT s, i FROM \`p.ds.t\`\n${r.union_by_name()}\nSELECT i, s FROM \`p.ds.u\``)).toEqual(['s TYPE_STRING', 'i TYPE_INT64']);
  });

  it('types and casts of every portable type', async () => {
    const expected: Record<string, string> = {
      string: 'TYPE_STRING',
      int: 'TYPE_INT64',
      float: 'TYPE_DOUBLE',
      numeric: 'TYPE_NUMERIC',
      boolean: 'TYPE_BOOL',
      date: 'TYPE_DATE',
      timestamp: 'TYPE_DATETIME',
      timestamp_tz: 'TYPE_TIMESTAMP',
    };
    for (const type of PORTABLE_TYPES) {
      expect(await typeOf(r.cast('s', type))).toBe(expected[type]);
      expect(await typeOf(r.safe_cast('s', type))).toBe(expected[type]);
      expect(await typeOf(`CAST(NULL AS ${r.type(type)})`)).toBe(expected[type]);
    }
  });

  it('date_trunc keeps the type of DATE, DATETIME and TIMESTAMP for every part', async () => {
    for (const part of DATE_PARTS) {
      for (const column of ['d', 'dt', 'ts']) {
        if (column === 'd' && SUB_DAY.includes(part)) continue;
        expect(await typeOf(r.date_trunc(part, column)), `${part} ${column}`).toBe(KIND[column]);
      }
    }
  });

  it('dateadd: DATE + interval is a DATETIME (as DuckDB gives a TIMESTAMP), others keep their type', async () => {
    for (const part of DATE_PARTS) {
      expect(await typeOf(r.dateadd(part, '-2', 'd'))).toBe('TYPE_DATETIME');
      expect(await typeOf(r.dateadd(part, 'i', 'dt'))).toBe('TYPE_DATETIME');
      if (!['year', 'quarter', 'month'].includes(part)) expect(await typeOf(r.dateadd(part, '1', 'ts'))).toBe('TYPE_TIMESTAMP');
    }
  });

  it('datediff accepts any mix of DATE, DATETIME and TIMESTAMP and returns INT64', async () => {
    for (const part of DATE_PARTS) {
      for (const [a, b] of [
        ['d', 'd'],
        ['dt', 'dt'],
        ['ts', 'ts'],
        ['d', 'ts'],
      ] as const) {
        expect(await typeOf(r.datediff(part, a, b)), `${part} ${a} ${b}`).toBe('TYPE_INT64');
      }
    }
  });

  it('extract: every part, including DuckDB dow/isodow/doy/epoch', async () => {
    for (const part of [...DATE_PARTS, 'dow', 'isodow', 'doy', 'epoch'] as const) {
      for (const column of ['d', 'dt', 'ts']) {
        if (column === 'd' && SUB_DAY.includes(part as DatePart)) continue;
        const type = await typeOf(r.extract(part, column));
        expect(['TYPE_INT64', 'TYPE_DOUBLE']).toContain(type);
      }
    }
  });

  it('time zones, parsing and the rest', async () => {
    expect(await typeOf(r.parse_timestamp("s || ' 00:00'", '%Y-%m-%d %H:%M'))).toBe('TYPE_DATETIME');
    expect(await typeOf(r.parse_timestamp('s', '%Y-%m-%d %H:%M:%S.%f'))).toBe('TYPE_DATETIME');
    expect(await typeOf(r.to_utc('dt', 'Europe/Paris'))).toBe('TYPE_TIMESTAMP');
    expect(await typeOf(r.to_utc(r.cast('d', 'timestamp'), 'Europe/Paris'))).toBe('TYPE_TIMESTAMP');
    expect(await typeOf(r.from_utc('ts', 'Europe/Paris'))).toBe('TYPE_DATETIME');
    expect(await typeOf(r.from_utc(r.dateadd('hour', '-1', 'ts'), 'Europe/Paris'))).toBe('TYPE_DATETIME');
    expect(await typeOf(r.current_timestamp())).toBe('TYPE_TIMESTAMP');
    expect(await typeOf(r.string_agg('s', "', '"))).toBe('TYPE_STRING');
    expect(await typeOf(r.concat(['s', 'i', 'd', "'-'"]))).toBe('TYPE_STRING');
    expect(await typeOf(r.hash(['s', 'i', 'ts']))).toBe('TYPE_STRING');
    expect(await typeOf(r.safe_divide('i', 'f'))).toBe('TYPE_DOUBLE');
    expect(await typeOf(dialect.literal("it's a \\ back\nslash\t'"))).toBe('TYPE_STRING');
  });

  it('the analyzer itself rejects what BigQuery rejects (so the validity test can fail)', async () => {
    for (const bad of ['nope', 'TRY_CAST(s AS INT64)', 's::int', "strptime(s, '%Y')", "date_trunc('day', ts)"]) {
      const result = await analyzer.analyze(`SELECT ${bad} FROM \`p.ds.t\``, [TABLE]);
      expect(result.ok, bad).toBe(false);
    }
  });
});

describe('names', () => {
  it('quotes reserved words with backticks and keeps plain names bare', () => {
    expect(quoteBigqueryIdentifier('date_locale')).toBe('date_locale');
    expect(quoteBigqueryIdentifier('order')).toBe('`order`');
    expect(quoteBigqueryIdentifier('Select')).toBe('`Select`');
  });

  it('turns lake column names into storable BigQuery names (accents dropped, other characters _)', () => {
    expect(bigqueryName('Périmètre')).toBe('Perimetre');
    expect(bigqueryName('Prévision J-1')).toBe('Prevision_J_1');
    expect(bigqueryName('Hydraulique - Fil de l?eau + éclusée')).toBe('Hydraulique___Fil_de_l_eau___eclusee');
    expect(bigqueryName('2024 total')).toBe('_2024_total');
    expect(dialect.quoteIdentifier('Ech. physiques')).toBe('Ech__physiques');
  });

  it('qualifies relations with the target project', () => {
    expect(dialect.relation({ schema: 'gold', identifier: 'mix' })).toBe('`my-gcp-project.gold.mix`');
    expect(createBigqueryDialect({}).relation({ schema: 'gold', identifier: 'mix' })).toBe('`gold.mix`');
  });

  it('reads an external source through its table, with _FILE_NAME as the file column', () => {
    const source = { schema: 'rte', identifier: 'eco2mix', external: { location: 'x/*.xls', file_name_column: '_source_file' } } as unknown as SourceTable;
    expect(dialect.sourceRelation(source, 'gs://b/p')).toBe('(SELECT *, _FILE_NAME AS _source_file FROM `my-gcp-project.rte.eco2mix`)');
    expect(dialect.sourceRelation({ ...source, external: undefined, database: 'other-project' } as SourceTable, undefined)).toBe('`other-project.rte.eco2mix`');
  });

  it('maps DuckDB strftime formats', () => {
    expect(bigqueryTimeFormat('%Y-%m-%d %H:%M:%S.%f')).toBe('%Y-%m-%d %H:%M:%E*S');
    expect(bigqueryTimeFormat('%-d/%-m/%Y')).toBe('%d/%m/%Y');
    expect(() => bigqueryTimeFormat('%g')).toThrow(/no BigQuery equivalent/);
  });

  it('escapes literals', () => {
    expect(bigqueryLiteral("l'eau\\")).toBe("'l\\'eau\\\\'");
  });
});

describe('DuckDB-only constructs', () => {
  it('finds them with line and column, outside strings and comments', () => {
    const sql = [
      'select "Périmètre" as p, x::int,',
      '  try_cast(y as int), \'a "quoted" :: string\', `ok`',
      '-- "comment" read_csv(',
      "from read_csv('f.csv') where ts > now() - interval '1 day' and d > interval 2 days",
    ].join('\n');
    const found = findDuckdbConstructs(sql).map((f) => `${f.line}:${f.column} ${f.construct}`);
    expect(found).toEqual([
      '1:8 double-quoted identifier',
      '1:27 ::cast',
      '2:3 TRY_CAST',
      '4:6 file reader',
      '4:35 now()/today()',
      '4:43 INTERVAL string',
      '4:68 INTERVAL plural unit',
    ]);
  });

  it('finds nothing in the renderings of the BigQuery dialect', () => {
    const all = [
      r.cast('x', 'int'),
      r.safe_cast('x', 'date'),
      r.date_trunc('week', 'x'),
      r.dateadd('day', '1', 'x'),
      r.datediff('day', 'a', 'b'),
      r.extract('epoch', 'x'),
      r.parse_timestamp('x', '%Y'),
      r.to_utc('x', 'UTC'),
      r.from_utc('x', 'UTC'),
      r.current_timestamp(),
      r.string_agg('x', "','"),
      r.concat(['a', 'b']),
      r.hash(['a', 'b']),
      r.safe_divide('a', 'b'),
    ].join(',\n');
    expect(findDuckdbConstructs(all)).toEqual([]);
  });
});

describe('dbt_utils and dbt_expectations tests on BigQuery (analysed by ZetaSQL)', () => {
  it('every test compiles to valid GoogleSQL, batched and alone', async () => {
    const project = createTmpProject({
      'profiles.yml': PROFILES,
      'models/good.sql': 'select 1 as id\n',
      'models/bad.sql': 'select 1 as id\n',
      'models/many.sql': 'select 1 as id\n',
      'models/schema.yml': properties(),
    });
    const opened = await openProject({ projectDir: project.dir, env: {} });
    const columns = [
      { name: 'id', type: 'INT64' },
      { name: 'status', type: 'STRING' },
      { name: 'code', type: 'STRING' },
      { name: 'amount', type: 'INT64' },
    ];
    const tables = ['good', 'bad', 'many'].map((name) => ({ name: `test-project.analytics.${name}`, columns }));
    const tests = [...opened.project.tests.values()];
    expect(tests.length).toBe(CASES.length * 2);
    for (const test of tests) {
      const alone = await analyzer.analyze(failureCountSql(test), tables);
      expect(alone.ok ? 'ok' : alone.message, test.name).toBe('ok');
    }
    const batchable = tests.filter((t) => t.batch && t.attachedNode === 'model.demo.bad');
    expect(batchable.length).toBeGreaterThan(15);
    const batched = await analyzer.analyze(batchedCountSql(batchable), tables);
    expect(batched.ok ? 'ok' : batched.message).toBe('ok');
  });
});
