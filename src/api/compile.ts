import { writeCompiledFiles, writeManifest } from '../artifacts/manifest.js';
import { namedSelectors, type SelectionOptions, selectForCommand } from '../graph/select-project.js';
import { newInvocation, stateOf } from './invocation.js';
import type { OpenedProject } from './open-project.js';

export interface CompileOutputs {
  /** Models whose SQL was written to target/compiled. */
  compiled: number;
  /** target/manifest.json, relative to the project. */
  manifestPath: string;
}

/** `tsdbt parse`: the manifest only. */
export function writeParseArtifacts(opened: OpenedProject): CompileOutputs {
  writeManifest(opened.project, newInvocation(opened));
  return { compiled: 0, manifestPath: `${opened.project.targetPath}/manifest.json` };
}

/** `tsdbt compile`: every selected model's SQL (and the selected tests') to target/compiled, and the manifest. */
export function writeCompileArtifacts(
  opened: OpenedProject,
  options: { select?: string[]; exclude?: string[]; state?: string; selection?: SelectionOptions } = {},
): CompileOutputs {
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
  writeCompiledFiles(project, selected);
  writeManifest(project, invocation);
  const compiled = selected?.size ?? [...project.nodes.values()].filter((n) => n.resourceType !== 'seed').length;
  return { compiled, manifestPath: `${project.targetPath}/manifest.json` };
}
