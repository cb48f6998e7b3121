import type {
  Adapter,
  FilesChange,
  FilesPlanner,
  LakeFile,
  LoadedFile,
  MaterializationPlan,
  PlannedModel,
  RelationRef,
  Statement,
} from '../adapters/adapter.js';
import { alone } from '../adapters/statements.js';
import { filesConfigOf, isFileSource } from '../compile/file-batches.js';
import type { CompiledSql } from '../compile/line-map.js';
import { type FilesConfig, fullRefreshOf, type ResolvedModelConfig } from '../compile/node-config.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import type { SourceTable } from '../project/types.js';
import { countOf } from '../text/plural.js';
import { checksumOf } from './microbatch.js';

/** Where tsdbt records the lake files each files model has loaded, in the target. */
export const FILES_TABLE: RelationRef = { relationName: 'tsdbt_state.files', schema: 'tsdbt_state', identifier: 'files' };

/** A file an input offers now: a lake file, or a file a files parent holds the rows of. */
export interface OfferedFile {
  file: string;
  path: string;
  size: number;
  modifiedMs: number;
  /** Known for a parent's file; read on demand for a lake file. */
  checksum(): Promise<string>;
}

/** An input of a files model: a lake source (its listing) or a files parent (its records). */
export interface FileInput {
  id: string;
  kind: 'source' | 'parent';
  files: OfferedFile[];
}

/** What one run of a files model reads, replaces and records. */
export interface FilePlan {
  /** Everything is read again (no table, --full-refresh, or the model's SQL changed). */
  rebuild: boolean;
  /** Input id → the paths this run reads. */
  read: Map<string, string[]>;
  change: Pick<FilesChange, 'deletePaths' | 'forget' | 'loaded'>;
  added: number;
  changed: number;
  /** Files no longer offered whose rows were deleted. */
  removed: number;
  /** Lake files no longer there whose rows are kept (removed_files: keep). */
  kept: string[];
  /** Files offered and already loaded as they are. */
  unchanged: number;
}

/**
 * Compares what the inputs offer with what the model has loaded. A file is new, changed (another
 * size, modification time and checksum: a file only touched is not read again), unchanged, or
 * gone. A changed file is read whole and replaces its rows; a file gone from a parent takes its
 * rows with it; a lake file gone keeps its rows unless removed_files is delete.
 */
export async function planFiles(
  inputs: readonly FileInput[],
  recorded: ReadonlyArray<LoadedFile & { sqlChecksum: string }>,
  options: { sqlChecksum: string; refresh: boolean; removedFiles: FilesConfig['removedFiles'] },
): Promise<FilePlan> {
  // No record at all: the table (if any) was not built file by file (a first run, or a model that
  // was another kind of incremental): which files it holds is unknown, so every file is read again.
  const rebuild = options.refresh || recorded.length === 0 || recorded.some((r) => r.sqlChecksum !== options.sqlChecksum);
  const key = (inputId: string, file: string) => `${inputId}\u0000${file}`;
  const known = new Map(rebuild ? [] : recorded.map((r) => [key(r.inputId, r.file), r]));
  const plan: FilePlan = {
    rebuild,
    read: new Map(),
    change: { deletePaths: [], forget: [], loaded: [] },
    added: 0,
    changed: 0,
    removed: 0,
    kept: [],
    unchanged: 0,
  };
  const deletePaths: string[] = [];
  const forget: Array<{ inputId: string; file: string }> = [];
  const loaded: LoadedFile[] = [];
  const offered = new Set<string>();
  for (const input of inputs) {
    const read: string[] = [];
    plan.read.set(input.id, read);
    for (const file of input.files) {
      offered.add(key(input.id, file.file));
      const before = known.get(key(input.id, file.file));
      const record = async (): Promise<LoadedFile> => ({
        inputId: input.id,
        file: file.file,
        path: file.path,
        size: file.size,
        modifiedMs: file.modifiedMs,
        checksum: await file.checksum(),
      });
      if (!before) {
        if (!rebuild) plan.added++;
        read.push(file.path);
        loaded.push(await record());
        continue;
      }
      if (before.size === file.size && before.modifiedMs === file.modifiedMs && before.path === file.path) {
        plan.unchanged++;
        continue;
      }
      const now = await record();
      if (now.checksum === before.checksum && now.size === before.size) {
        // Touched, not changed: not read (it is hashed again on later runs until its content changes).
        plan.unchanged++;
        continue;
      }
      plan.changed++;
      deletePaths.push(before.path);
      read.push(file.path);
      loaded.push(now);
    }
  }
  for (const before of known.values()) {
    if (offered.has(key(before.inputId, before.file))) continue;
    const input = inputs.find((i) => i.id === before.inputId);
    if (input?.kind === 'source' && options.removedFiles === 'keep') {
      plan.kept.push(before.file);
      continue;
    }
    plan.removed++;
    deletePaths.push(before.path);
    forget.push({ inputId: before.inputId, file: before.file });
  }
  plan.change = { deletePaths, forget, loaded };
  return plan;
}

/** The files model planner of an engine, or an internal error (the compiler refuses files models elsewhere). */
function filesPlanner(adapter: Adapter): FilesPlanner {
  const planner = adapter.planner.files;
  if (!planner || !adapter.connection.lakeFiles) throw new Error(`incremental_strategy files reached the ${adapter.type} adapter, which does not build it`);
  return planner;
}

type RecordedFile = LoadedFile & { uniqueId: string; sqlChecksum: string };

/**
 * What one run knows of the lake and of tsdbt_state.files: each source listed once (files models
 * and state-aware reuse share the listing), the records read once and kept current as each files
 * model commits (its children, which run after it, see what it loaded).
 */
export class FileLedger {
  private readonly listings = new Map<string, Promise<LakeFile[]>>();
  private records?: Promise<Map<string, RecordedFile[]>>;
  private ready?: Promise<unknown>;

  constructor(
    private readonly adapter: Adapter,
    private readonly project: CompiledProject,
    readonly lakeRoot: string,
  ) {}

  /** The files of an external source now (undefined: the engine cannot list its lake). */
  listing(source: SourceTable): Promise<LakeFile[]> | undefined {
    const list = this.adapter.connection.lakeFiles;
    if (!list) return undefined;
    let listed = this.listings.get(source.uniqueId);
    if (!listed) {
      listed = list.call(this.adapter.connection, source, this.lakeRoot);
      this.listings.set(source.uniqueId, listed);
    }
    return listed;
  }

  /** Creates the state table when missing, once per run. */
  prepare(): Promise<unknown> {
    this.ready ??= this.adapter.connection.execute(
      { statements: filesPlanner(this.adapter).filesTable(FILES_TABLE), verb: 'STATE' },
      { kind: 'query', name: 'files' },
    );
    return this.ready;
  }

  /** A model's recorded files. */
  async recordsOf(uniqueId: string): Promise<RecordedFile[]> {
    this.records ??= this.readAll();
    return (await this.records).get(uniqueId) ?? [];
  }

  /** After a model's load committed: its records as the state table now holds them. */
  async settle(uniqueId: string, rebuild: boolean, change: FilesChange): Promise<void> {
    this.records ??= this.readAll();
    const all = await this.records;
    const key = (f: { inputId: string; file: string }) => `${f.inputId}\u0000${f.file}`;
    const replaced = new Set([...change.loaded, ...change.forget].map(key));
    const kept = rebuild ? [] : (all.get(uniqueId) ?? []).filter((f) => !replaced.has(key(f)));
    all.set(uniqueId, [...kept, ...change.loaded.map((f) => ({ ...f, uniqueId, sqlChecksum: change.sqlChecksum }))]);
  }

  private async readAll(): Promise<Map<string, RecordedFile[]>> {
    const ids = [...this.project.nodes.values()].filter((n) => filesConfigOf(n) !== undefined).map((n) => n.uniqueId);
    const out = new Map<string, RecordedFile[]>();
    if (ids.length === 0 || !(await this.adapter.connection.describeRelation(FILES_TABLE, {}))) return out;
    const result = await this.adapter.connection.query(filesPlanner(this.adapter).readFiles(FILES_TABLE, ids));
    for (const row of result.rows) {
      const uniqueId = String(row.unique_id);
      const record: RecordedFile = {
        uniqueId,
        inputId: String(row.input_id),
        file: String(row.file),
        path: String(row.path),
        size: Number(row.size),
        modifiedMs: Number(row.modified_ms),
        checksum: String(row.checksum),
        sqlChecksum: String(row.sql_checksum),
      };
      out.set(uniqueId, [...(out.get(uniqueId) ?? []), record]);
    }
    return out;
  }
}

/** A lake path's identity: its path under the lake root, so that moving the root reloads nothing. */
function identityOf(path: string, lakeRoot: string): string {
  const root = lakeRoot.replace(/\/+$/, '');
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

const offeredLake = (file: LakeFile, lakeRoot: string): OfferedFile => ({ ...file, file: identityOf(file.path, lakeRoot) });

export interface FilesOutcome {
  plan: FilePlan;
  statements: Statement[];
  rows: number;
  executedSql?: CompiledSql;
  message: string;
  warnings: string[];
}

/**
 * One run of a files model: lists its lake sources, reads its parents' records and its own, then
 * (when something changed) reads only the new and changed files and replaces their rows, with the
 * records, in one unit. Nothing changed: no query runs.
 */
export async function buildFiles(
  adapter: Adapter,
  project: CompiledProject,
  node: CompiledNode & { resolvedConfig: ResolvedModelConfig },
  model: (sql: CompiledSql) => PlannedModel,
  options: { fullRefresh: boolean; invocationId: string; ledger: FileLedger; run<T>(plan: MaterializationPlan, work: () => Promise<T>): Promise<T> },
): Promise<FilesOutcome> {
  const planner = filesPlanner(adapter);
  const config = filesConfigOf(node)!;
  const { connection } = adapter;
  const { ledger } = options;
  const job = { kind: 'model' as const, name: node.name };
  const relation = { relationName: node.relationName!, schema: node.schema, identifier: node.identifier };
  await ledger.prepare();
  const existing = await connection.describeRelation(relation, { columns: true });
  const refresh = fullRefreshOf(node.resolvedConfig, options.fullRefresh) || existing?.kind !== 'table';

  const inputs: FileInput[] = [];
  for (const id of node.dependsOn.nodes) {
    const source = project.sources.get(id);
    const parent = project.nodes.get(id);
    if (isFileSource(source)) {
      const listed = (await ledger.listing(source))!;
      inputs.push({ id, kind: 'source', files: listed.map((f) => offeredLake(f, ledger.lakeRoot)) });
    } else if (parent && filesConfigOf(parent)) {
      const files = (await ledger.recordsOf(id)).map((r) => ({ ...r, checksum: async () => r.checksum }));
      inputs.push({ id, kind: 'parent', files });
    }
  }
  const own = await ledger.recordsOf(node.uniqueId);
  const sqlChecksum = checksumOf(node);
  const plan = await planFiles(inputs, own, { sqlChecksum, refresh, removedFiles: config.removedFiles });
  const total = inputs.reduce((n, i) => n + i.files.length, 0);
  const warnings = plan.kept.length === 0 ? [] : [keptMessage(plan.kept)];
  if (!plan.rebuild && plan.change.loaded.length === 0 && plan.change.deletePaths.length === 0) {
    return { plan, statements: [], rows: 0, message: `FILES (up to date: ${countOf(total, 'file')})`, warnings };
  }

  // A rebuild reads every file it records (the listing, not the glob again), and parents whole.
  const selection = {
    sources: new Map(inputs.filter((i) => i.kind === 'source').map((i) => [i.id, plan.read.get(i.id)!])),
    parents: new Map(plan.rebuild ? [] : inputs.filter((i) => i.kind === 'parent').map((i) => [i.id, plan.read.get(i.id)!])),
  };
  const sql = project.renderFiles(node.uniqueId, selection, { incremental: !plan.rebuild });
  const change: FilesChange = {
    table: FILES_TABLE,
    uniqueId: node.uniqueId,
    sqlChecksum,
    invocationId: options.invocationId,
    fileColumn: config.fileColumn!,
    ...plan.change,
  };
  const planned = model(sql);
  // The new rows' columns cost a query that binds every reader: only on_schema_change needs them.
  const ignore = node.resolvedConfig.materialized === 'incremental' && node.resolvedConfig.incremental.onSchemaChange === 'ignore';
  const newColumns = plan.rebuild || ignore ? undefined : await connection.queryColumns(alone(sql, node.originalFilePath), job);
  const loadPlan = planner.load(planned, existing, change, { replace: plan.rebuild, newColumns });
  const report = await options.run(loadPlan, () => connection.execute(loadPlan, job));
  await ledger.settle(node.uniqueId, plan.rebuild, change);
  const rows = report.newRows ?? (await connection.describeRelation(relation, { rows: true }))?.rows ?? 0;
  const what = plan.rebuild
    ? `${countOf(change.loaded.length, 'file')} read`
    : [`${plan.added} new`, `${plan.changed} changed`, plan.removed > 0 ? `${plan.removed} removed` : ''].filter(Boolean).join(', ') +
      ` of ${countOf(total, 'file')}`;
  return {
    plan,
    statements: loadPlan.statements,
    rows,
    executedSql: sql,
    message: `${loadPlan.verb} (${what}; ${countOf(rows, 'row')})`,
    warnings,
  };
}

function keptMessage(kept: readonly string[]): string {
  const listed = kept.slice(0, 3).join(', ') + (kept.length > 3 ? `, … (${kept.length - 3} more)` : '');
  return `${countOf(kept.length, 'file')} no longer in the lake, rows kept: ${listed} (removed_files: delete removes them)`;
}
