import type { Dag } from '../graph/dag.js';
import type { Exposure, ParsedNode, SourceTable } from '../project/types.js';
import type { NodeConfig } from '../project/config-merge.js';

export interface CompiledNode extends ParsedNode {
  config: NodeConfig & { materialized: string };
  materialized: string;
  schema: string;
  identifier: string;
  /** Fully qualified, quoted as the engine needs. Ephemeral models have none. */
  relationName?: string;
  dependsOn: { nodes: string[]; macros: string[] };
  refs: string[][];
  sources: string[][];
  /** The SQL that runs (a SELECT; materializations wrap it). */
  compiledCode: string;
  /** target/compiled/<project>/<original path>, relative to the project. */
  compiledPath: string;
}

export interface CompiledProject {
  name: string;
  projectDir: string;
  targetPath: string;
  nodes: Map<string, CompiledNode>;
  sources: Map<string, SourceTable>;
  exposures: Map<string, Exposure & { dependsOn: { nodes: string[] } }>;
  macroIds: string[];
  dag: Dag;
  /** DAG order of every node, source and exposure id. */
  order: string[];
  /** Renders a model again for an incremental run (`is_incremental()` true). */
  renderIncremental(uniqueId: string): string;
  /** Renders SQL that is not a model (show --inline): refs and sources resolve, nothing is recorded. */
  renderAdHoc(source: string, file: string): string;
  warnings: string[];
}
