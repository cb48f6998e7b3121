import { selectableResources } from '../graph/select-project.js';
import { type SelectableResource, selectResources } from '../graph/selector.js';
import { newInvocation, stateOf } from './invocation.js';
import type { OpenedProject } from './open-project.js';

export interface ListedResource {
  resource: SelectableResource;
  parents: readonly string[];
  relationName?: string;
}

/** `tsdbt ls`: the selected resources in DAG order, optionally of one type. */
export function listResources(
  opened: OpenedProject,
  options: { select?: string[]; exclude?: string[]; state?: string; resourceType?: string } = {},
): ListedResource[] {
  const { project } = opened;
  const resources = selectableResources(project);
  const state = stateOf(opened, newInvocation(opened), options);
  const selected = selectResources({ resources, dag: project.dag, state }, options.select, options.exclude);
  const listed: ListedResource[] = [];
  for (const id of project.order) {
    const resource = resources.get(id);
    if (!resource || !selected.has(id) || (options.resourceType && resource.resourceType !== options.resourceType)) continue;
    listed.push({ resource, parents: project.dag.parents(id), relationName: project.nodes.get(id)?.relationName });
  }
  return listed;
}
