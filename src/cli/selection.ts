import type { CompiledProject } from '../compile/types.js';
import { selectResources, type SelectableResource } from '../graph/selector.js';
import type { ResourceType } from '../project/types.js';

/** Every selectable resource of a compiled project, keyed by unique id. */
export function selectableResources(project: CompiledProject): Map<string, SelectableResource> {
  const resources = new Map<string, SelectableResource>();
  for (const node of project.nodes.values()) resources.set(node.uniqueId, node);
  for (const source of project.sources.values()) resources.set(source.uniqueId, source);
  for (const exposure of project.exposures.values()) resources.set(exposure.uniqueId, exposure);
  return resources;
}

/** The ids a command acts on: its selection, narrowed to the resource types it handles. */
export function selectIds(
  project: CompiledProject,
  select: string[] | undefined,
  exclude: string[] | undefined,
  types: ReadonlySet<ResourceType>,
): Set<string> {
  const resources = selectableResources(project);
  const selected = selectResources({ resources, dag: project.dag }, select, exclude);
  for (const id of selected) if (!types.has(resources.get(id)!.resourceType)) selected.delete(id);
  return selected;
}
