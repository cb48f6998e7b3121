import type { CompiledProject } from '../compile/types.js';
import { selectResources, type SelectableResource } from '../graph/selector.js';
import type { ResourceType } from '../project/types.js';
import type { StateComparison } from '../graph/state.js';

/** Every selectable resource of a compiled project, keyed by unique id. */
export function selectableResources(project: CompiledProject): Map<string, SelectableResource> {
  const resources = new Map<string, SelectableResource>();
  for (const node of project.nodes.values()) resources.set(node.uniqueId, node);
  for (const source of project.sources.values()) resources.set(source.uniqueId, source);
  for (const exposure of project.exposures.values()) resources.set(exposure.uniqueId, exposure);
  for (const test of project.tests.values()) resources.set(test.uniqueId, test);
  for (const test of project.unitTests.values()) resources.set(test.uniqueId, test);
  return resources;
}

/**
 * The ids a command acts on: its selection, narrowed to the resource types it handles.
 * Tests are also selected indirectly, as in dbt: a test runs when something it tests is selected
 * (and is dropped when that is excluded).
 */
export function selectIds(
  project: CompiledProject,
  select: string[] | undefined,
  exclude: string[] | undefined,
  types: ReadonlySet<ResourceType>,
  state?: StateComparison,
): Set<string> {
  const resources = selectableResources(project);
  const input = { resources, dag: project.dag, state };
  const withTests = (ids: Set<string>) => {
    if (!types.has('test') && !types.has('unit_test')) return ids;
    for (const [id, resource] of resources) {
      if ((resource.resourceType === 'test' || resource.resourceType === 'unit_test') && project.dag.parents(id).some((p) => ids.has(p))) ids.add(id);
    }
    return ids;
  };
  const selected = withTests(selectResources(input, select, undefined));
  if (exclude && exclude.length > 0) {
    for (const id of withTests(selectResources(input, exclude, undefined))) selected.delete(id);
  }
  for (const id of selected) if (!types.has(resources.get(id)!.resourceType)) selected.delete(id);
  return selected;
}
