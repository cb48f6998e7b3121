import type { Adapter, BuildRecord, RelationRef, StatePlanner } from '../adapters/adapter.js';
import { filesConfigOf } from '../compile/file-batches.js';
import type { FileLedger } from './file-batches.js';
import type { CompiledNode, CompiledProject } from '../compile/types.js';
import { sha256 } from '../project/checksum.js';
import type { NodeResult } from './types.js';

/** Where tsdbt records, per node, the inputs it was last built from and the version of what it holds. */
export const BUILDS_TABLE: RelationRef = { relationName: 'tsdbt_state.builds', schema: 'tsdbt_state', identifier: 'builds' };

/**
 * SQL whose result changes with the clock or by chance: a model or test written with it is run
 * every time (its inputs alone do not say what it gives).
 */
const VOLATILE =
  /\b(current_date|current_time|current_timestamp|now\s*\(|today\s*\(|localtimestamp|random\s*\(|rand\s*\(|uuid\s*\(|gen_random_uuid|generate_uuid)/i;

/** What the run knows of a node before building it: can it be left as it is, and from what inputs. */
export interface ReuseCheck {
  reusable: boolean;
  /** The digest of its SQL, config and the versions of everything it reads (undefined: an input is unknown). */
  digest?: string;
}

/**
 * State-aware runs: a model whose SQL, config and inputs are those of its last build is left as it
 * is ("reused"), and so is a test that passed on the same inputs. Inputs are versioned: a lake
 * source by its files (path, size, modification time), a seed by its file, a model by what its
 * last build read. An input tsdbt cannot version (a warehouse table loaded by something else)
 * makes every node downstream run. A files model is reused when its lake files and parents did
 * not change; a microbatch model always runs its own check (its window ends now), and both keep
 * their version when that check finds nothing to do. A snapshot whose input did not change would
 * record nothing: it is reused too.
 */
export class Reuse {
  private readonly versions = new Map<string, string | undefined>();
  private readonly updates = new Map<string, BuildRecord>();

  private constructor(
    private readonly project: CompiledProject,
    private readonly adapter: Adapter,
    private readonly planner: StatePlanner | undefined,
    private readonly recorded: ReadonlyMap<string, BuildRecord>,
    private readonly ledger: FileLedger,
    private readonly invocationId: string,
    /** false: nothing is reused (--full-refresh, --no-reuse), versions are still recorded. */
    private readonly enabled: boolean,
  ) {}

  /** Reads the recorded builds (none when the engine keeps no state, or the table does not exist yet). */
  static async open(project: CompiledProject, adapter: Adapter, options: { ledger: FileLedger; invocationId: string; enabled: boolean }): Promise<Reuse> {
    const planner = adapter.planner.state;
    const recorded = new Map<string, BuildRecord>();
    if (planner && (await adapter.connection.describeRelation(BUILDS_TABLE, {}))) {
      const result = await adapter.connection.query(planner.readBuilds(BUILDS_TABLE));
      for (const row of result.rows) {
        const record = { uniqueId: String(row.unique_id), inputDigest: String(row.input_digest), outputVersion: String(row.output_version) };
        recorded.set(record.uniqueId, record);
      }
    }
    return new Reuse(project, adapter, planner, recorded, options.ledger, options.invocationId, options.enabled && planner !== undefined);
  }

  /** Whether a model, seed or test can be left as its last build or result. */
  async check(id: string): Promise<ReuseCheck> {
    if (!this.planner) return { reusable: false };
    const digest = await this.inputDigest(id);
    const before = this.recorded.get(id);
    const node = this.project.nodes.get(id);
    const reusable =
      this.enabled &&
      digest !== undefined &&
      before?.inputDigest === digest &&
      !this.windowMoves(node) &&
      !this.volatile(id) &&
      (node !== undefined || before.outputVersion === 'pass');
    return { reusable, digest };
  }

  /** After a node ran or was reused: the version downstream nodes see, recorded for the next run. */
  settle(id: string, check: ReuseCheck, result: NodeResult): void {
    if (!this.planner) return;
    const before = this.recorded.get(id);
    const node = this.project.nodes.get(id);
    if (!node) {
      // A test: only a pass on known inputs is worth reusing.
      const status = check.reusable ? 'pass' : result.status;
      if (check.digest !== undefined) this.updates.set(id, { uniqueId: id, inputDigest: check.digest, outputVersion: status });
      return;
    }
    if (result.status === 'error' || result.status === 'skipped' || result.status === 'partial success') {
      this.versions.set(id, undefined);
      return;
    }
    let version: string;
    if (check.reusable) version = before!.outputVersion;
    // A files or microbatch model that found nothing to load: what it holds did not change.
    else if (this.tracksItself(node) && (result.statements?.length ?? 0) === 0 && before) version = before.outputVersion;
    else if (check.digest === undefined || this.volatile(id) || node.resourceType === 'snapshot' || this.accumulates(node, result))
      version = sha256(`${id}\u0000${before?.outputVersion ?? ''}\u0000${check.digest ?? ''}\u0000${this.invocationId}`);
    else version = check.digest;
    this.versions.set(id, version);
    this.updates.set(id, { uniqueId: id, inputDigest: check.digest ?? '', outputVersion: version });
  }

  /** Writes this run's records in one unit (a node not recorded is simply built again next time). */
  async save(): Promise<void> {
    if (!this.planner || this.updates.size === 0) return;
    const statements = this.planner.recordBuilds(BUILDS_TABLE, [...this.updates.values()]);
    await this.adapter.connection.execute({ statements, verb: 'STATE' }, { kind: 'query', name: 'builds' });
  }

  /**
   * SQL whose result the inputs alone do not decide. A files model's clock (`current_timestamp as
   * _loaded_at`) stamps the rows it loads once: it does not make the model volatile.
   */
  private volatile(id: string): boolean {
    const node = this.project.nodes.get(id);
    if (node && filesConfigOf(node)) return false;
    return VOLATILE.test(node?.compiledCode ?? this.project.tests.get(id)?.failingRowsSql ?? '');
  }

  /** A microbatch model's window ends now: a later run may have new batches to build, whatever its inputs. */
  private windowMoves(node: CompiledNode | undefined): boolean {
    const config = node?.resolvedConfig;
    return config?.materialized === 'incremental' && config.incremental.microbatch !== undefined;
  }

  /** Files and microbatch models decide for themselves what to read again. */
  private tracksItself(node: CompiledNode | undefined): boolean {
    const config = node?.resolvedConfig;
    return config?.materialized === 'incremental' && (filesConfigOf(node!) !== undefined || config.incremental.microbatch !== undefined);
  }

  /** An incremental model that added to its table: what it holds depends on its history too. */
  private accumulates(node: CompiledNode, result: NodeResult): boolean {
    return node.resolvedConfig.materialized === 'incremental' && !/^CREATE/.test(result.message);
  }

  private async inputDigest(id: string): Promise<string | undefined> {
    const node = this.project.nodes.get(id);
    const test = this.project.tests.get(id);
    const own = node
      ? sha256(JSON.stringify([node.relationName, node.compiledCode, node.checksum, node.resolvedConfig]))
      : test
        ? sha256(
            JSON.stringify([
              test.failingRowsSql,
              test.severity,
              test.warnIf,
              test.errorIf,
              test.limit,
              test.storeFailures,
              test.auditSchema,
              test.auditIdentifier,
            ]),
          )
        : undefined;
    if (own === undefined) return undefined;
    const parents = [...(node?.dependsOn.nodes ?? test?.dependsOn.nodes ?? [])].sort();
    const versions: string[] = [];
    for (const parent of parents) {
      const version = await this.versionOf(parent);
      if (version === undefined) return undefined;
      versions.push(`${parent}=${version}`);
    }
    return sha256([own, ...versions].join('\n'));
  }

  /** What a parent holds: settled in this run, listed (a lake source), or recorded (a node not in this run). */
  private async versionOf(id: string): Promise<string | undefined> {
    if (this.versions.has(id)) return this.versions.get(id);
    let version: string | undefined;
    const source = this.project.sources.get(id);
    const node = this.project.nodes.get(id);
    if (source) {
      const listing = source.external ? this.ledger.listing(source) : undefined;
      // A lake that cannot be listed gives no version: what reads it runs, and reports why.
      const files = await listing?.catch(() => undefined);
      if (files) version = sha256(JSON.stringify([source.external, files.map((f) => [f.path, f.size, f.modifiedMs])]));
    } else if (node?.materialized === 'ephemeral') version = await this.inputDigest(id);
    else version = this.recorded.get(id)?.outputVersion;
    this.versions.set(id, version);
    return version;
  }
}
