import { lookerStudioLinks } from '../docs/looker-studio.js';
import { resolveSelection, type SelectionOptions, selectionInput } from '../graph/select-project.js';
import { type SelectableResource, selectResources } from '../graph/selector.js';
import { newInvocation, stateOf } from './invocation.js';
import type { OpenedProject } from './open-project.js';

export interface ListedResource {
  resource: SelectableResource;
  parents: readonly string[];
  relationName?: string;
  /** "Open in Looker Studio" (Linking API), for relations and dashboards on engines it reads. */
  lookerStudioUrl?: string;
}

/** `tsdbt ls`: the selected resources in DAG order, optionally of one type. */
export function listResources(
  opened: OpenedProject,
  options: { select?: string[]; exclude?: string[]; state?: string; resourceType?: string; selection?: SelectionOptions } = {},
): ListedResource[] {
  const { project } = opened;
  const input = selectionInput(project, stateOf(opened, newInvocation(opened), options));
  const { resources } = input;
  const selected = selectResources(input, resolveSelection(input, options.select, options.selection ?? {}).select, options.exclude);
  const { links } = lookerStudioLinks(project, opened.dialect);
  const listed: ListedResource[] = [];
  for (const id of project.order) {
    const resource = resources.get(id);
    if (!resource || !selected.has(id) || (options.resourceType && resource.resourceType !== options.resourceType)) continue;
    const lookerStudioUrl = links.get(id);
    listed.push({
      resource,
      parents: project.dag.parents(id),
      relationName: project.nodes.get(id)?.relationName,
      ...(lookerStudioUrl ? { lookerStudioUrl } : {}),
    });
  }
  return listed;
}
