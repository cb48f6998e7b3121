import type { IncrementalConfig } from '../../compile/node-config.js';
import type {
  Column,
  ExistingRelation,
  FilesChange,
  FilesPlanner,
  IntervalRecord,
  MaterializationPlan,
  MicrobatchPlanner,
  PlannedModel,
  Planner,
  RelationRef,
  Statement,
  UnitTestPlanner,
} from '../adapter.js';
import { mergeUpdateColumns, reconcileColumns } from '../incremental-columns.js';
import { freshnessQuery, testHistoryStatements, valueLiteral } from '../portable-sql.js';
import { checkSnapshot, initialSnapshotSelect, type SnapshotEngine, snapshotChanges } from '../snapshot-sql.js';
import { embed, plain } from '../statements.js';
import { type HookPlacement, withHooks } from '../hooks.js';
import { createTableStatements } from './contract-ddl.js';
import { duckdbDialect, duckdbLiteral, quoteDuckdbIdentifier as q } from './dialect.js';

// Hooks run in the plan's transaction; those with transaction: false before it begins or after it commits.
const IN_TRANSACTION: HookPlacement = { transactional: true };

/**
 * DuckDB's statements for every materialization. The connection runs a plan in one transaction
 * (DuckDB's DDL is transactional): a failure anywhere leaves the previous relation as it was.
 */
export const duckdbPlanner: Planner & UnitTestPlanner = {
  view(model, existing) {
    const plan = {
      statements: [
        ...(existing?.kind === 'table' ? [plain(`DROP TABLE ${model.relationName}`)] : []),
        embed(`CREATE OR REPLACE VIEW ${model.relationName} AS (`, model.sql, ')', model.file),
        ...comments(model, 'VIEW', model.config.persistDocs),
      ],
      verb: 'CREATE VIEW',
    };
    return withHooks(plan, model.hooks, IN_TRANSACTION);
  },

  table(model, existing) {
    const drop = existing?.kind === 'view' ? [plain(`DROP VIEW ${model.relationName}`)] : [];
    // An enforced contract creates the typed, constrained table, then inserts (contract-ddl.ts).
    const create = createTableStatements(model);
    const plan = {
      statements: [...drop, ...create, ...comments(model, 'TABLE', model.config.persistDocs)],
      verb: 'CREATE TABLE',
      countsNewRows: drop.length + create.length - 1,
    };
    return withHooks(plan, model.hooks, IN_TRANSACTION);
  },

  // DESCRIBE of a query only binds it: knowing the new rows' columns costs nothing here.
  needsNewColumns: () => true,

  incremental(model, existing, newColumns) {
    if (model.config.materialized !== 'incremental') throw new Error(`incremental plan asked for a ${model.config.materialized} model`);
    const staged = q(`__tsdbt_new_${model.identifier}`);
    const fold = foldStatements(model, model.config.incremental, staged, existing.columns ?? [], newColumns);
    const plan = {
      // The new rows are staged first (their count is the "new rows" of the run), then folded in.
      statements: [
        embed(`CREATE OR REPLACE TEMP TABLE ${staged} AS (`, model.sql, ')', model.file),
        ...fold.statements.map(plain),
        plain(`DROP TABLE ${staged}`),
        ...comments(model, 'TABLE', model.config.persistDocs),
      ],
      verb: fold.verb,
      countsNewRows: 0,
    };
    return withHooks(plan, model.hooks, IN_TRANSACTION);
  },

  snapshot(snapshot, existing, sourceColumns) {
    checkSnapshot(snapshot, existing, sourceColumns);
    const target = snapshot.relationName;
    const docs = comments(snapshot, 'TABLE', snapshot.config.persistDocs);
    if (!existing) {
      const select = initialSnapshotSelect(snapshot, snapshotEngine);
      const first = {
        statements: [embed(`CREATE TABLE ${target} AS (\n${select.head}`, snapshot.sql, `${select.tail}\n)`, snapshot.file), ...docs],
        verb: 'CREATE TABLE',
        countsNewRows: 0,
      };
      return withHooks(first, snapshot.hooks, IN_TRANSACTION);
    }
    // The changes are staged first (read against the table as it is), then applied: versions
    // that end get their valid_to, new versions are inserted; the transaction makes it one step.
    if (!sourceColumns) throw new Error(`snapshot ${snapshot.name}: a later run is planned with the columns of its query`);
    const changes = snapshotChanges(snapshot, existing, sourceColumns, snapshotEngine);
    const staged = q(`__tsdbt_snapshot_${snapshot.identifier}`);
    const columns = changes.insertColumns.join(', ');
    const statements = [
      embed(`CREATE OR REPLACE TEMP TABLE ${staged} AS (\n${changes.head}`, snapshot.sql, `${changes.tail}\n)`, snapshot.file),
      ...changes.addColumns.map((column) => plain(`ALTER TABLE ${target} ADD COLUMN ${q(column.name)} ${column.type}`)),
      plain(
        [
          `UPDATE ${target} AS tsdbt_dest`,
          `SET ${changes.validTo} = tsdbt_src.${changes.validTo}`,
          `FROM ${staged} AS tsdbt_src`,
          `WHERE tsdbt_src.${changes.scdId} = tsdbt_dest.${changes.scdId}`,
          `  AND tsdbt_src.tsdbt_change IN ('update', 'delete')`,
          `  AND ${changes.isCurrent('tsdbt_dest')}`,
        ].join('\n'),
      ),
      plain(`INSERT INTO ${target} (${columns})\nSELECT ${columns} FROM ${staged} WHERE tsdbt_change = 'insert'`),
    ];
    const plan = {
      statements: [...statements, plain(`DROP TABLE ${staged}`), ...docs],
      verb: 'SNAPSHOT',
      countsNewRows: statements.length - 1,
    };
    return withHooks(plan, snapshot.hooks, IN_TRANSACTION);
  },

  seed(seed, existing) {
    const args = [duckdbLiteral(seed.csvPath), 'header = true', 'auto_detect = true'];
    const { columnTypes, delimiter } = seed.config;
    if (Object.keys(columnTypes).length > 0) {
      args.push(
        `types = {${Object.entries(columnTypes)
          .map(([c, t]) => `${duckdbLiteral(c)}: ${duckdbLiteral(t)}`)
          .join(', ')}}`,
      );
    }
    if (delimiter) args.push(`delim = ${duckdbLiteral(delimiter)}`);
    const drop = existing?.kind === 'view' ? [plain(`DROP VIEW ${seed.relationName}`)] : [];
    const plan = {
      statements: [
        ...drop,
        plain(`CREATE OR REPLACE TABLE ${seed.relationName} AS SELECT * FROM read_csv(${args.join(', ')})`),
        ...comments(seed, 'TABLE', seed.config.persistDocs),
      ],
      verb: 'INSERT',
      countsNewRows: drop.length,
    };
    return [withHooks(plan, seed.hooks, IN_TRANSACTION)];
  },

  // Lake sources render inline as read_csv(...): there is nothing to create.
  sources: () => [],

  freshness: (source, lakeRoot, field, filter) => freshnessQuery(duckdbDialect, source, lakeRoot, field, filter),

  testHistory: (relation, rows) => testHistoryStatements(duckdbDialect, relation, rows),

  get microbatch() {
    return duckdbMicrobatch;
  },

  get files() {
    return duckdbFiles;
  },

  state: {
    readBuilds: (table) => `SELECT unique_id, input_digest, output_version FROM ${tableOf(table)}`,
    recordBuilds(table, records) {
      const ids = records.map((r) => duckdbLiteral(r.uniqueId)).join(', ');
      const values = records.map((r) => `(${[r.uniqueId, r.inputDigest, r.outputVersion].map(duckdbLiteral).join(', ')}, current_timestamp)`);
      return [
        plain(`CREATE SCHEMA IF NOT EXISTS ${q(table.schema)}`),
        plain(
          `CREATE TABLE IF NOT EXISTS ${tableOf(table)} (unique_id VARCHAR PRIMARY KEY, input_digest VARCHAR NOT NULL, output_version VARCHAR NOT NULL, built_at TIMESTAMPTZ NOT NULL)`,
        ),
        plain(`DELETE FROM ${tableOf(table)} WHERE unique_id IN (${ids})`),
        plain(`INSERT INTO ${tableOf(table)} (unique_id, input_digest, output_version, built_at) VALUES\n${values.join(',\n')}`),
      ];
    },
  },

  fixtureTable(table, rows, types, only) {
    const columns = only ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
    if (rows.length === 0 || columns.length === 0) {
      const declared = Object.entries(types);
      if (declared.length === 0) return undefined;
      return `CREATE TABLE ${table} AS SELECT ${declared.map(([c, t]) => `CAST(NULL AS ${t}) AS ${q(c)}`).join(', ')} WHERE 1 = 0`;
    }
    const cell = (row: Record<string, unknown>, column: string) => {
      const literal = valueLiteral(row[column], duckdbLiteral);
      return types[column] ? `CAST(${literal} AS ${types[column]})` : literal;
    };
    const values = rows.map((row) => `(${columns.map((c) => cell(row, c)).join(', ')})`).join(',\n  ');
    return `CREATE TABLE ${table} AS SELECT * FROM (VALUES\n  ${values}\n) AS fixture(${columns.map(q).join(', ')})`;
  },

  // EXCEPT ALL keeps duplicates: two expected identical rows need two actual ones.
  rowDiff: (expected, actual) =>
    `SELECT 'missing' AS __diff, * FROM (${expected} EXCEPT ALL ${actual}) AS m\nUNION ALL\nSELECT 'unexpected' AS __diff, * FROM (${actual} EXCEPT ALL ${expected}) AS u`,
};

const UTC_NOW = "timezone('UTC', current_timestamp)";

const instant = (iso: string) => `TIMESTAMPTZ ${duckdbLiteral(iso)}`;
const tableOf = (table: RelationRef) => `${q(table.schema)}.${q(table.identifier)}`;

/** The interval of a batch, recorded (replacing an earlier record of the same batch) with its row count. */
function recordInterval(record: IntervalRecord, rows: string): Statement[] {
  const table = tableOf(record.table);
  const id = duckdbLiteral(record.uniqueId);
  return [
    plain(`DELETE FROM ${table} WHERE unique_id = ${id} AND batch_start = ${instant(record.start)}`),
    plain(
      `INSERT INTO ${table} (unique_id, batch_start, batch_end, row_count, checksum, invocation_id, loaded_at)\n` +
        `SELECT ${id}, ${instant(record.start)}, ${instant(record.end)}, (${rows}), ${duckdbLiteral(record.checksum)}, ${duckdbLiteral(record.invocationId)}, current_timestamp`,
    ),
  ];
}

/**
 * DuckDB's microbatch: a batch is one transaction that deletes the slice (the rows whose
 * event_time is in the window), inserts the batch's rows and records the interval.
 */
const duckdbMicrobatch: MicrobatchPlanner = {
  intervalsTable: (table) => [
    plain(`CREATE SCHEMA IF NOT EXISTS ${q(table.schema)}`),
    plain(
      `CREATE TABLE IF NOT EXISTS ${tableOf(table)} (unique_id VARCHAR NOT NULL, batch_start TIMESTAMPTZ NOT NULL, batch_end TIMESTAMPTZ NOT NULL, ` +
        'row_count BIGINT, checksum VARCHAR NOT NULL, invocation_id VARCHAR, loaded_at TIMESTAMPTZ NOT NULL)',
    ),
  ],

  readIntervals: (table, uniqueId) =>
    `SELECT epoch_ms(batch_start) AS start_ms, epoch_ms(batch_end) AS end_ms, checksum, epoch_ms(loaded_at) AS loaded_at_ms, row_count\n` +
    `FROM ${tableOf(table)} WHERE unique_id = ${duckdbLiteral(uniqueId)} ORDER BY batch_start`,

  batch(model, existing, record, options) {
    if (model.config.materialized !== 'incremental' || !model.config.incremental.microbatch)
      throw new Error(`microbatch plan asked for a model that is not microbatch: ${model.name}`);
    const column = q(model.config.incremental.microbatch.eventTime);
    return loadSlice(model, existing, options, {
      staged: `__tsdbt_batch_${model.identifier}`,
      deleteWhere: duckdbDialect.eventTimeFilter!(column, record.start, record.end),
      forget: plain(`DELETE FROM ${tableOf(record.table)} WHERE unique_id = ${duckdbLiteral(record.uniqueId)}`),
      record: (rows) => recordInterval(record, `SELECT count(*) FROM ${rows}`),
      verb: 'DELETE+INSERT',
    });
  },
};

/**
 * One load of a model whose loads tsdbt records (a microbatch batch, a files run). `replace` (no
 * table, or a rebuild) creates the table from the rows and forgets the model's older records;
 * else the rows are staged, the slice they replace is deleted, they are appended and recorded:
 * one transaction either way.
 */
function loadSlice(
  model: PlannedModel,
  existing: ExistingRelation | undefined,
  options: { replace: boolean; newColumns?: Column[] },
  slice: { staged: string; deleteWhere: string | undefined; forget: Statement; record: (rows: string) => Statement[]; verb: string },
): MaterializationPlan {
  if (options.replace || existing?.kind !== 'table') {
    const created = duckdbPlanner.table(model, existing);
    return { ...created, statements: [...created.statements, slice.forget, ...slice.record(model.relationName)], verb: 'CREATE TABLE' };
  }
  if (model.config.materialized !== 'incremental') throw new Error(`an incremental load asked for a ${model.config.materialized} model: ${model.name}`);
  const staged = q(slice.staged);
  const fold = foldStatements(model, { ...model.config.incremental, strategy: 'append' }, staged, existing.columns ?? [], options.newColumns);
  const plan = {
    statements: [
      embed(`CREATE OR REPLACE TEMP TABLE ${staged} AS (`, model.sql, ')', model.file),
      ...(slice.deleteWhere === undefined ? [] : [plain(`DELETE FROM ${model.relationName} WHERE ${slice.deleteWhere}`)]),
      ...fold.statements.map(plain),
      ...slice.record(staged),
      plain(`DROP TABLE ${staged}`),
      ...comments(model, 'TABLE', model.config.persistDocs),
    ],
    verb: slice.verb,
    countsNewRows: 0,
  };
  return withHooks(plan, model.hooks, IN_TRANSACTION);
}

/** The files a run read, recorded (replacing earlier records of the same files) with their rows in `rows` (a relation). */
function recordFiles(change: FilesChange, rows: string): Statement[] {
  const table = tableOf(change.table);
  const id = duckdbLiteral(change.uniqueId);
  const keys = [...change.loaded, ...change.forget].map((f) => `(${duckdbLiteral(f.inputId)}, ${duckdbLiteral(f.file)})`);
  const statements = keys.length === 0 ? [] : [plain(`DELETE FROM ${table} WHERE unique_id = ${id} AND (input_id, file) IN (${keys.join(', ')})`)];
  if (change.loaded.length === 0) return statements;
  const values = change.loaded.map(
    (f) => `(${[f.inputId, f.file, f.path].map(duckdbLiteral).join(', ')}, ${f.size}, ${f.modifiedMs}, ${duckdbLiteral(f.checksum)})`,
  );
  statements.push(
    plain(
      `INSERT INTO ${table} (unique_id, input_id, file, path, size, modified_ms, checksum, sql_checksum, row_count, invocation_id, loaded_at)
` +
        `SELECT ${id}, v.input_id, v.file, v.path, v.size, v.modified_ms, v.checksum, ${duckdbLiteral(change.sqlChecksum)}, coalesce(c.row_count, 0), ${duckdbLiteral(change.invocationId)}, current_timestamp
` +
        `FROM (VALUES ${values.join(', ')}) AS v(input_id, file, path, size, modified_ms, checksum)
` +
        `LEFT JOIN (SELECT ${q(change.fileColumn)} AS path, count(*) AS row_count FROM ${rows} GROUP BY 1) AS c ON c.path = v.path`,
    ),
  );
  return statements;
}

/**
 * DuckDB's files models: one transaction deletes the rows of the replaced files, inserts the rows
 * of the files read and records them.
 */
const duckdbFiles: FilesPlanner = {
  filesTable: (table) => [
    plain(`CREATE SCHEMA IF NOT EXISTS ${q(table.schema)}`),
    plain(
      `CREATE TABLE IF NOT EXISTS ${tableOf(table)} (unique_id VARCHAR NOT NULL, input_id VARCHAR NOT NULL, file VARCHAR NOT NULL, path VARCHAR NOT NULL, ` +
        'size BIGINT, modified_ms BIGINT, checksum VARCHAR, sql_checksum VARCHAR NOT NULL, row_count BIGINT, invocation_id VARCHAR, loaded_at TIMESTAMPTZ NOT NULL)',
    ),
  ],

  readFiles: (table, uniqueIds) =>
    'SELECT unique_id, input_id, file, path, size, modified_ms, checksum, sql_checksum\n' +
    `FROM ${tableOf(table)} WHERE unique_id IN (${uniqueIds.map(duckdbLiteral).join(', ')}) ORDER BY unique_id, input_id, file`,

  load(model, existing, change, options) {
    const paths = change.deletePaths.map(duckdbLiteral).join(', ');
    return loadSlice(model, existing, options, {
      staged: `__tsdbt_files_${model.identifier}`,
      deleteWhere: change.deletePaths.length === 0 ? undefined : `${q(change.fileColumn)} IN (${paths})`,
      forget: plain(`DELETE FROM ${tableOf(change.table)} WHERE unique_id = ${duckdbLiteral(change.uniqueId)}`),
      record: (rows) => recordFiles(change, rows),
      verb: 'FILES',
    });
  },
};

/** DuckDB's hashing and clock for snapshots: the run's time is the transaction's start, in UTC. */
const snapshotEngine: SnapshotEngine = {
  quote: q,
  hash: duckdbDialect.renderings.hash,
  now(type) {
    if (type === undefined || /^TIMESTAMP$/i.test(type)) return UTC_NOW;
    if (/^(TIMESTAMPTZ|TIMESTAMP WITH TIME ZONE)$/i.test(type)) return 'current_timestamp';
    return `CAST(${UTC_NOW} AS ${type})`;
  },
  textType: 'VARCHAR',
};

/** The statements that fold the staged rows into the table, per strategy and on_schema_change. */
export function foldStatements(
  model: PlannedModel,
  config: IncrementalConfig,
  staged: string,
  tableColumns: Column[],
  newColumns: Column[] | undefined,
): { statements: string[]; verb: string } {
  const target = model.relationName;
  const { columns, add, drop } = reconcileColumns(tableColumns, newColumns, config, model);
  const statements = [
    ...add.map((column) => `ALTER TABLE ${target} ADD COLUMN ${q(column.name)} ${column.type}`),
    ...drop.map((column) => `ALTER TABLE ${target} DROP COLUMN ${q(column.name)}`),
  ];
  const list = columns.map(q).join(', ');
  const keyMatch = (left: string, right: string) => config.uniqueKey.map((k) => `${left}.${q(k)} = ${right}.${q(k)}`).join(' AND ');
  switch (config.strategy) {
    case 'append':
      statements.push(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staged}`);
      return { statements, verb: 'INSERT' };
    case 'delete+insert':
      statements.push(`DELETE FROM ${target} WHERE EXISTS (SELECT 1 FROM ${staged} AS s WHERE ${keyMatch('s', target)})`);
      statements.push(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${staged}`);
      return { statements, verb: 'DELETE+INSERT' };
    case 'merge': {
      const updates = mergeUpdateColumns(columns, config).map((c) => `${q(c)} = s.${q(c)}`);
      statements.push(
        [
          `MERGE INTO ${target} AS t USING ${staged} AS s ON ${keyMatch('t', 's')}`,
          updates.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${updates.join(', ')}` : '',
          `WHEN NOT MATCHED THEN INSERT (${list}) VALUES (${columns.map((c) => `s.${q(c)}`).join(', ')})`,
        ]
          .filter(Boolean)
          .join('\n'),
      );
      return { statements, verb: 'MERGE' };
    }
    default:
      // The compiler refuses the strategies DuckDB lacks (capabilities.incrementalStrategies).
      throw new Error(`incremental_strategy ${config.strategy} reached the DuckDB planner`);
  }
}

/** persist_docs: the YAML description on the relation, and the columns' on the columns. */
function comments(
  node: Pick<PlannedModel, 'relationName' | 'description' | 'columns'>,
  kind: 'TABLE' | 'VIEW',
  persist: { relation: boolean; columns: boolean },
): Statement[] {
  const out: Statement[] = [];
  if (persist.relation && node.description.trim()) out.push(plain(`COMMENT ON ${kind} ${node.relationName} IS ${duckdbLiteral(node.description.trim())}`));
  if (persist.columns) {
    for (const [name, column] of Object.entries(node.columns)) {
      if (column.description.trim()) out.push(plain(`COMMENT ON COLUMN ${node.relationName}.${q(name)} IS ${duckdbLiteral(column.description.trim())}`));
    }
  }
  return out;
}
