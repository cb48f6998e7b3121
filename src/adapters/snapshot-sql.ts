import type { SnapshotMetaColumns } from '../compile/node-config.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Column, ExistingRelation, PlannedSnapshot } from './adapter.js';

// The SELECTs of a snapshot (SCD type 2) that both engines write the same way once their quoting,
// hashing and clock are known. Each planner wraps them in its own statements: the first run
// creates the table; later runs stage the changes, then apply them (DuckDB: UPDATE and INSERT in
// one transaction; BigQuery: one MERGE in one script).
//
// What lands in the table is dbt's (dbt-adapters' snapshot helpers):
// - a new key, or a changed row (timestamp: its updated_at is later than the current version's
//   valid_from; check: a checked column differs, NULL-safe), gets a new current version whose
//   valid_from and updated_at are its updated_at (check without updated_at: the run's time);
// - the version it replaces ends then (valid_to = that updated_at);
// - dbt_scd_id is the md5 of the key parts and updated_at, each cast to text, joined by '|';
// - a key gone from the query: hard_deletes ignore keeps its version current; invalidate ends it
//   at the run's time; new_record ends it and adds a version with dbt_is_deleted 'True', its
//   values the last ones seen, valid from the run's time; a key that comes back after that gets
//   a new version ('False') and ends the deletion record.

/** What differs between engines in a snapshot's SQL. */
export interface SnapshotEngine {
  quote(name: string): string;
  /** md5 (hex) of the parts, each cast to text (NULL as ''), joined by '|'. */
  hash(parts: string[]): string;
  /** The time of this run; with `type` (an existing column's), as a value of that type. */
  now(type?: string): string;
  /** The engine's text type, for dbt_is_deleted. */
  textType: string;
}

/** The columns a snapshot adds, quoted. */
interface MetaNames {
  from: string;
  to: string;
  scd: string;
  updated: string;
  deleted: string;
}

const quoted = (meta: SnapshotMetaColumns, engine: SnapshotEngine): MetaNames => ({
  from: engine.quote(meta.validFrom),
  to: engine.quote(meta.validTo),
  scd: engine.quote(meta.scdId),
  updated: engine.quote(meta.updatedAt),
  deleted: engine.quote(meta.isDeleted),
});

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What a run can check before it writes anything: the table under the snapshot's name is one,
 * with the meta columns; the query's columns (when known) hold the plain names the config gives
 * and none of the meta columns' names.
 */
export function checkSnapshot(snapshot: PlannedSnapshot, existing: ExistingRelation | undefined, sourceColumns: readonly Column[] | undefined): void {
  const fail = (message: string, hint: string) =>
    new TsdbtError(message, { code: 'E_SNAPSHOT', kind: 'runtime', nodeId: snapshot.uniqueId, location: { file: snapshot.file }, hint });
  const { snapshot: config } = snapshot.config;
  const meta = config.metaColumns;
  const has = (columns: readonly Column[], name: string) => columns.some((c) => c.name.toLowerCase() === name.toLowerCase());
  if (existing && existing.kind !== 'table') {
    throw fail(`${snapshot.relationName} exists and is not a table`, `drop it (a snapshot keeps its history in a table), or give the snapshot another alias`);
  }
  if (existing) {
    const missing = [meta.validFrom, meta.validTo, meta.scdId, meta.updatedAt].filter((name) => !has(existing.columns ?? [], name));
    if (missing.length > 0) {
      throw fail(
        `${snapshot.relationName} has no column ${missing.join(', ')}: it is not this snapshot's table`,
        'snapshot_meta_column_names must keep the names the table was built with; or rename the snapshot (alias) to start a new history',
      );
    }
  }
  if (!sourceColumns) return;
  const metaNames = [meta.validFrom, meta.validTo, meta.scdId, meta.updatedAt, ...(config.hardDeletes === 'new_record' ? [meta.isDeleted] : [])];
  const clash = metaNames.find((name) => has(sourceColumns, name));
  if (clash) {
    throw fail(
      `the query returns a column "${clash}", which the snapshot adds itself`,
      'rename the column in the query, or the meta column with snapshot_meta_column_names',
    );
  }
  const named: Array<[string, string]> = [
    ...config.uniqueKey.map((k): [string, string] => ['unique_key', k]),
    ...(config.updatedAt ? [['updated_at', config.updatedAt] as [string, string]] : []),
    ...(config.checkCols === 'all' ? [] : config.checkCols.map((c): [string, string] => ['check_cols', c])),
  ];
  for (const [key, name] of named) {
    if ((key === 'check_cols' || PLAIN.test(name)) && !has(sourceColumns, name)) {
      throw fail(`${key} column "${name}" is not in the query's columns (${sourceColumns.map((c) => c.name).join(', ')})`, `fix ${key}, or select the column`);
    }
  }
}

/** The first run: the query's rows, each a current version. Wraps the snapshot's SQL (`head`, SQL, `tail`). */
export function initialSnapshotSelect(snapshot: PlannedSnapshot, engine: SnapshotEngine): { head: string; tail: string } {
  const config = snapshot.config.snapshot;
  const m = quoted(config.metaColumns, engine);
  const updatedAt = config.updatedAt ?? engine.now();
  const columns = [
    `${engine.hash([...config.uniqueKey, updatedAt])} AS ${m.scd}`,
    `${updatedAt} AS ${m.updated}`,
    `${updatedAt} AS ${m.from}`,
    `${openEnd(updatedAt, config.validToCurrent)} AS ${m.to}`,
    ...(config.hardDeletes === 'new_record' ? [`'False' AS ${m.deleted}`] : []),
  ];
  return {
    head: ['SELECT', '  tsdbt_snapshot_source.*,', ...columns.map((c, i) => `  ${c}${i < columns.length - 1 ? ',' : ''}`), 'FROM ('].join('\n'),
    tail: ') AS tsdbt_snapshot_source',
  };
}

/** The staged changes of a later run, and what applying them needs. */
export interface SnapshotChanges {
  /** The SELECT of the changes around the snapshot's SQL: a column `tsdbt_change` ('insert', 'update', 'delete'), then the table's. */
  head: string;
  tail: string;
  /** Columns the new versions are inserted into (quoted): the query's, then the meta columns. */
  insertColumns: string[];
  /** Columns the table lacks (new in the query; dbt_is_deleted when new_record starts): added first. */
  addColumns: Column[];
  validTo: string;
  scdId: string;
  /** Whether a version of the table under `alias` is current (valid_to NULL, or dbt_valid_to_current). */
  isCurrent(alias: string): string;
}

/**
 * A later run: what changed between the query and the current versions of the table, one row per
 * version to insert ('insert') or to end ('update': replaced, 'delete': gone from the query), with
 * the valid_to it ends at. Columns the table does not have yet read as NULL here: the staging runs
 * before they are added.
 */
export function snapshotChanges(
  snapshot: PlannedSnapshot,
  existing: ExistingRelation,
  sourceColumns: readonly Column[],
  engine: SnapshotEngine,
): SnapshotChanges {
  const config = snapshot.config.snapshot;
  const m = quoted(config.metaColumns, engine);
  const q = engine.quote;
  const tableColumns = existing.columns ?? [];
  const typeOf = (name: string) => tableColumns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.type;
  const inTable = (name: string) => typeOf(name) !== undefined;
  const current = config.validToCurrent;
  const isCurrent = (alias: string) => `(${alias}.${m.to} IS NULL${current ? ` OR ${alias}.${m.to} = ${current}` : ''})`;
  const newRecord = config.hardDeletes === 'new_record';
  const hasDeleted = inTable(config.metaColumns.isDeleted);

  const keys = config.uniqueKey.map((key, i) => `${key} AS tsdbt_key_${i + 1}`).join(', ');
  const join = config.uniqueKey.map((_, i) => `c.tsdbt_key_${i + 1} = n.tsdbt_key_${i + 1}`).join(' AND ');
  const incomingUpdatedAt = config.updatedAt ?? engine.now(typeOf(config.metaColumns.validFrom));
  const checked = config.checkCols === 'all' ? sourceColumns.map((c) => c.name) : config.checkCols;
  const changed =
    config.strategy === 'timestamp'
      ? `c.${m.from} < n.tsdbt_updated_at`
      : checked.some((name) => !inTable(name))
        ? // A checked column the table does not have yet: every row is a new version (as dbt).
          'TRUE'
        : `(${checked.map((name) => `c.${q(name)} IS DISTINCT FROM n.${q(name)}`).join(' OR ')})`;
  // new_record: a key whose current version records its deletion and that is back in the query.
  const returned = newRecord && hasDeleted ? ` OR c.${m.deleted} = 'True'` : '';
  const notDeleted = newRecord && hasDeleted ? ` AND COALESCE(c.${m.deleted}, 'False') <> 'True'` : '';
  const deletedOf = (alias: string) => (hasDeleted ? `${alias}.${m.deleted}` : 'NULL');

  const incoming = sourceColumns.map((c) => `n.${q(c.name)}`);
  const lastSeen = sourceColumns.map((c) => (inTable(c.name) ? `c.${q(c.name)}` : `NULL AS ${q(c.name)}`));
  const fromIncoming = 'FROM tsdbt_incoming AS n';
  const branches: string[][] = [
    [
      // New keys and changed rows: a new current version.
      `SELECT 'insert' AS tsdbt_change, ${[
        ...incoming,
        `n.tsdbt_updated_at AS ${m.updated}`,
        `n.tsdbt_updated_at AS ${m.from}`,
        `${openEnd('n.tsdbt_updated_at', current)} AS ${m.to}`,
        `${engine.hash([...config.uniqueKey.map((_, i) => `n.tsdbt_key_${i + 1}`), 'n.tsdbt_updated_at'])} AS ${m.scd}`,
        ...(newRecord ? [`'False' AS ${m.deleted}`] : []),
      ].join(', ')}`,
      fromIncoming,
      `LEFT JOIN tsdbt_current AS c ON ${join}`,
      `WHERE c.tsdbt_key_1 IS NULL OR ${changed}${returned}`,
    ],
    [
      // The versions they replace end when the new ones start.
      `SELECT 'update', ${[...incoming, 'n.tsdbt_updated_at', 'n.tsdbt_updated_at', 'n.tsdbt_updated_at', `c.${m.scd}`, ...(newRecord ? [deletedOf('c')] : [])].join(', ')}`,
      fromIncoming,
      `JOIN tsdbt_current AS c ON ${join}`,
      `WHERE ${changed}${returned}`,
    ],
  ];
  if (config.hardDeletes !== 'ignore') {
    const time = (name: string) => engine.now(typeOf(name));
    branches.push([
      // Keys gone from the query: their current version ends now.
      `SELECT 'delete', ${[
        ...lastSeen,
        time(config.metaColumns.updatedAt),
        time(config.metaColumns.validFrom),
        time(config.metaColumns.validTo),
        `c.${m.scd}`,
        ...(newRecord ? [deletedOf('c')] : []),
      ].join(', ')}`,
      'FROM tsdbt_current AS c',
      `LEFT JOIN tsdbt_incoming AS n ON ${join}`,
      `WHERE n.tsdbt_key_1 IS NULL${notDeleted}`,
    ]);
    if (newRecord) {
      branches.push([
        // …and a version records the deletion, with the values last seen.
        `SELECT 'insert', ${[
          ...lastSeen,
          time(config.metaColumns.updatedAt),
          time(config.metaColumns.validFrom),
          `c.${m.to}`,
          engine.hash([`c.${m.scd}`, engine.now()]),
          `'True'`,
        ].join(', ')}`,
        'FROM tsdbt_current AS c',
        `LEFT JOIN tsdbt_incoming AS n ON ${join}`,
        `WHERE n.tsdbt_key_1 IS NULL${notDeleted}`,
      ]);
    }
  }
  const tail = [
    '),',
    'tsdbt_current AS (',
    `  SELECT *, ${keys}`,
    `  FROM ${snapshot.relationName} AS tsdbt_snapshot`,
    `  WHERE ${isCurrent('tsdbt_snapshot')}`,
    '),',
    'tsdbt_incoming AS (',
    `  SELECT *, ${keys}, ${incomingUpdatedAt} AS tsdbt_updated_at`,
    '  FROM tsdbt_source',
    ')',
    branches.map((lines) => lines.join('\n')).join('\nUNION ALL\n'),
  ].join('\n');

  const addColumns = sourceColumns.filter((c) => !inTable(c.name)).map((c) => ({ name: c.name, type: c.type }));
  if (newRecord && !hasDeleted) addColumns.push({ name: config.metaColumns.isDeleted, type: engine.textType });
  return {
    head: 'WITH tsdbt_source AS (',
    tail,
    insertColumns: [...sourceColumns.map((c) => q(c.name)), m.updated, m.from, m.to, m.scd, ...(newRecord ? [m.deleted] : [])],
    addColumns,
    validTo: m.to,
    scdId: m.scd,
    isCurrent,
  };
}

/** valid_to of a current version: NULL of updated_at's type, or dbt_valid_to_current. */
function openEnd(updatedAt: string, current: string | undefined): string {
  const none = `NULLIF(${updatedAt}, ${updatedAt})`;
  return current ? `COALESCE(${none}, ${current})` : none;
}
