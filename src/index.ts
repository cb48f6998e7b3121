/**
 * tsdbt's programmatic API: what the CLI does, as functions returning what the CLI reports.
 *
 *   const project = await openProject({ projectDir: 'my-project' });
 *   const outcome = await build(project, { command: 'build', listeners: [createConsoleReporter()] });
 */
export type { Adapter, AdapterCapabilities, Connection, MaterializationPlan, Planner, ResolvedTarget, Statement } from './adapters/adapter.js';
export { build, type BuildCommand, type BuildOptions, type BuildOutcome } from './api/build.js';
export { type CompileOutputs, writeCompileArtifacts, writeParseArtifacts } from './api/compile.js';
export { type ParseReport, type ParseRequest, parseWithCache } from './api/parse.js';
export { type DocsOutcome, generateDocs } from './api/docs.js';
export { testConnection } from './api/debug.js';
export { type FreshnessOutcome, sourceFreshness } from './api/freshness.js';
export type { Invocation } from './api/invocation.js';
export { type ListedResource, listIntervals, listResources, type ModelIntervals } from './api/list.js';
export type { BatchSelection } from './execute/batches.js';
export { type OpenedProject, type OpenProjectOptions, openProject } from './api/open-project.js';
export { type Preview, preview } from './api/show.js';
export type { CompiledSql, LineMap, SourceLine } from './compile/line-map.js';
export type { IncrementalConfig, ResolvedModelConfig, ResolvedNodeConfig, ResolvedSeedConfig } from './compile/node-config.js';
export type { CompiledNode, CompiledProject, CompiledTest, CompiledUnitTest } from './compile/types.js';
export { DiagnosticsError, type SourceLocation, TsdbtError } from './errors/tsdbt-error.js';
export type { RunEndEvent, RunListener, RunStartEvent } from './execute/events.js';
export type { NodeResult, NodeStatus } from './execute/types.js';
export { createConsoleReporter } from './reporters/console-reporter.js';
export { createJsonReporter } from './reporters/json-reporter.js';
export type { Reporter } from './reporters/reporter.js';
export { TSDBT_VERSION } from './version.js';
