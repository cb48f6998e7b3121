import type { CompiledProject } from '../compile/types.js';
import { selectResources, type SelectableResource } from './selector.js';
import type { ResourceType } from '../project/types.js';
import type { StateComparison } from './state.js';

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
 * (and is dropped when that is excluded). When the command also builds (`buildable`), a test
 * that reads several models or seeds runs only if all of them are selected: otherwise it would
 * query a relation this run may not have built.
 */
export function selectForCommand(
  project: CompiledProject,
  select: string[] | undefined,
  exclude: string[] | undefined,
  types: ReadonlySet<ResourceType>,
  state?: StateComparison,
): Set<string> {
  const resources = selectableResources(project);
  const input = { resources, dag: project.dag, state };
  const buildable = types.has('model') || types.has('seed');
  const isTest = (id: string) => resources.get(id)?.resourceType === 'test' || resources.get(id)?.resourceType === 'unit_test';
  const withTests = (ids: Set<string>, requireAll: boolean) => {
    if (!types.has('test') && !types.has('unit_test')) return ids;
    for (const id of resources.keys()) {
      if (!isTest(id) || ids.has(id)) continue;
      const parents = project.dag.parents(id);
      const built = parents.filter((p) => project.nodes.has(p));
      const qualifies = requireAll && built.length > 0 ? built.every((p) => ids.has(p)) : parents.some((p) => ids.has(p));
      if (qualifies) ids.add(id);
    }
    return ids;
  };
  const selected = withTests(selectResources(input, select, undefined), buildable);
  if (exclude && exclude.length > 0) {
    for (const id of withTests(selectResources(input, exclude, undefined), false)) selected.delete(id);
  }
  for (const id of selected) if (!types.has(resources.get(id)!.resourceType)) selected.delete(id);
  return selected;
}
