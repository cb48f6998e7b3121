import { writeCompiledFiles, writeManifest } from '../artifacts/manifest.js';
import { namedSelectors, type SelectionOptions, selectForCommand } from '../graph/select-project.js';
import { newInvocation, stateOf } from './invocation.js';
import type { OpenedProject } from './open-project.js';

export interface CompileOutputs {
  /** Models whose SQL was written to target/compiled. */
  compiled: number;
  /** target/manifest.json, relative to the project. */
  manifestPath: string;
  /** Absolute paths of the files written to target/compiled (unchanged ones included). */
  compiledFiles: string[];
  /** The manifest's metadata length, for restampManifest. */
  metadataBytes: number;
}

export interface CompileSelection {
  select?: string[];
  exclude?: string[];
  state?: string;
  selection?: SelectionOptions;
}

/** `tsdbt parse`: the manifest only. */
export function writeParseArtifacts(opened: OpenedProject): CompileOutputs {
  const { metadataBytes } = writeManifest(opened.project, newInvocation(opened));
  return { compiled: 0, manifestPath: `${opened.project.targetPath}/manifest.json`, compiledFiles: [], metadataBytes };
}

/** `tsdbt compile`: every selected model's SQL (and the selected tests') to target/compiled, and the manifest. */
export function writeCompileArtifacts(opened: OpenedProject, options: CompileSelection = {}): CompileOutputs {
  const { project } = opened;
  const invocation = newInvocation(opened);
  const selected =
    options.select || options.exclude || options.selection?.selector || [...namedSelectors(project).values()].some((s) => s.isDefault)
      ? selectForCommand(
          project,
          options.select,
          options.exclude,
          new Set(['model', 'snapshot', 'test']),
          stateOf(opened, invocation, options),
          options.selection,
        )
      : undefined;
  const compiledFiles = writeCompiledFiles(project, selected);
  const { metadataBytes } = writeManifest(project, invocation);
  const compiled = selected?.size ?? [...project.nodes.values()].filter((n) => n.resourceType !== 'seed').length;
  return { compiled, manifestPath: `${project.targetPath}/manifest.json`, compiledFiles, metadataBytes };
}
