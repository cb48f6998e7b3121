import type { SourceLocation } from '../errors/tsdbt-error.js';

/**
 * `partial success`: a microbatch model some of whose batches failed (the others are built).
 * `reused`: left as its last build (nothing it reads changed), or a test's last pass on the same inputs. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'warn' | 'pass' | 'fail' | 'reused' | 'partial success';

export interface TimingInfo {
  name: 'compile' | 'execute';
  startedAt: string;
  completedAt: string;
}

/** The outcome of one node in one invocation (becomes a run_results.json entry). */
export interface NodeResult {
  uniqueId: string;
  name: string;
  resourceType: string;
  materialized?: string;
  relationName?: string;
  status: NodeStatus;
  message: string;
  rowsAffected?: number;
  failures?: number | null;
  executionTime: number;
  timing: TimingInfo[];
  threadId: string;
  compiledCode?: string;
  compiledPath?: string;
  /** Errors: where to look in the user's files (the template line an engine error maps to). */
  location?: SourceLocation;
  /** Errors: the line of the compiled SQL, when an engine reported one. */
  compiledLocation?: SourceLocation;
  /** Errors: the template lines around `location`, caret under the column. */
  frame?: string;
  /** Errors: the location is in an ephemeral model inlined into this one. */
  inlinedFrom?: string;
  hint?: string;
  /** The statements that ran for the node (target/run/** writes exactly these). */
  statements?: string[];
  /** Tests: the resource and column under test. */
  attachedNode?: string;
  columnName?: string;
  /** Failing tests: the first failing rows (for the console and JUnit). */
  sampleRows?: Array<Record<string, unknown>>;
  /** --dry-run: bytes the statement would process. */
  bytesProcessed?: number;
  /** store_failures: where the failing rows were written. */
  storedFailures?: string;
  /** What the console shows in place of the row count (how many batches or files ran). */
  detail?: string;
  /** A model that loaded only a slice this run (new files, new batches): the condition selecting it, for its `incremental: true` tests. */
  slice?: string;
  /** Said once the node is done (a lake file gone whose rows are kept). */
  warnings?: string[];
  /** A microbatch model: the [start, end) windows (ISO instants) that were built and that failed. */
  batchResults?: { successful: Array<[string, string]>; failed: Array<[string, string]> };
}

/** One invocation of a command: its id and target, stamped on every artifact and history row. */
export interface InvocationInfo {
  invocationId: string;
  generatedAt: string;
  adapterType: string;
  targetName: string;
  /** The target's warehouse location (DuckDB file), so a later --defer can read it. */
  database?: string;
  /** The database relations live in (DuckDB's catalog, BigQuery's project): `database` of artifacts. */
  catalog: string;
}
