import { parse as parseCsv } from 'csv-parse/sync';
import type { MaterializationPlan, PlannedSeed } from '../adapter.js';
import { plain } from '../statements.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { bigqueryColumnType } from './external.js';
import { bigqueryLiteral, bigqueryName, quoteBigqueryIdentifier as q } from './identifiers.js';

/** Largest INSERT statement sent in one job (BigQuery accepts queries up to 1 MB of text). */
const CHUNK_CHARS = 700_000;

export interface SeedPlan {
  /** Jobs to run in order: the first creates the table (and inserts the first rows). */
  plans: MaterializationPlan[];
  rows: number;
  columns: Array<{ name: string; type: string }>;
}

function inferType(values: string[]): string {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'STRING';
  const all = (re: RegExp) => present.every((v) => re.test(v));
  if (all(/^-?\d{1,18}$/)) return 'INT64';
  if (all(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/)) return 'FLOAT64';
  if (all(/^(true|false)$/i)) return 'BOOL';
  if (all(/^\d{4}-\d{2}-\d{2}$/)) return 'DATE';
  if (all(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/)) return 'DATETIME';
  return 'STRING';
}

function valueSql(value: string, type: string): string {
  if (value === '') return 'NULL';
  switch (type) {
    case 'STRING':
      return bigqueryLiteral(value);
    case 'INT64':
    case 'FLOAT64':
      return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? value : `CAST(${bigqueryLiteral(value)} AS ${type})`;
    case 'BOOL':
      return /^(true|false)$/i.test(value) ? value.toUpperCase() : `CAST(${bigqueryLiteral(value)} AS BOOL)`;
    case 'DATE':
    case 'DATETIME':
    case 'TIMESTAMP':
      return `${type} ${bigqueryLiteral(value)}`;
    default:
      return `CAST(${bigqueryLiteral(value)} AS ${type})`;
  }
}

/**
 * A seed CSV as GoogleSQL: CREATE OR REPLACE TABLE with the column types (column_types from YAML,
 * else inferred), then INSERT … VALUES in chunks that fit BigQuery's query size.
 */
export function seedPlan(seed: PlannedSeed, csvText: string): SeedPlan {
  const delimiter = seed.config.delimiter ?? ',';
  let records: string[][];
  try {
    records = parseCsv(csvText.replace(/^\uFEFF/, ''), { delimiter, relax_column_count: false, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new TsdbtError(`cannot read seed ${seed.name}: ${(error as Error).message}`, {
      code: 'E_SEED_CSV',
      kind: 'runtime',
      location: { file: seed.csvPath },
      hint: 'fix the CSV (or its delimiter config)',
    });
  }
  const [header, ...rows] = records;
  if (!header || header.length === 0) {
    throw new TsdbtError(`seed ${seed.name} has no header line`, {
      code: 'E_SEED_CSV',
      kind: 'runtime',
      location: { file: seed.csvPath },
      hint: 'the first line names the columns',
    });
  }
  const declared = seed.config.columnTypes;
  const columns = header.map((name, i) => ({
    name,
    type: declared[name] ? bigqueryColumnType(declared[name]!) : inferType(rows.map((r) => r[i] ?? '')),
  }));
  const names = columns.map((c) => q(c.name)).join(', ');
  const create = `CREATE OR REPLACE TABLE ${seed.relationName} (\n${columns.map((c) => `  ${q(c.name)} ${c.type}`).join(',\n')}\n)`;
  const inserts: string[] = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    inserts.push(`INSERT INTO ${seed.relationName} (${names}) VALUES\n${chunk.join(',\n')}`);
    chunk = [];
    size = 0;
  };
  for (const row of rows) {
    const tuple = `(${columns.map((c, i) => valueSql(row[i] ?? '', c.type)).join(', ')})`;
    if (size + tuple.length > CHUNK_CHARS) flush();
    chunk.push(tuple);
    size += tuple.length + 2;
  }
  flush();
  const [first, ...rest] = inserts;
  return {
    plans: [
      // The first job counts every row the seed loads; the others only carry the rest of them.
      { statements: [plain(create), ...(first ? [plain(first)] : [])], verb: 'INSERT', rows: rows.length },
      ...rest.map((insert) => ({ statements: [plain(insert)], verb: 'INSERT', rows: 0 })),
    ],
    rows: rows.length,
    columns: columns.map((c) => ({ name: bigqueryName(c.name), type: c.type })),
  };
}
