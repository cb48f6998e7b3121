import type { CompiledProject } from '../compile/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { IndirectSelection, NamedSelector } from '../project/named-selectors.js';
import { type SelectionInput, selectResources, type SelectableResource } from './selector.js';
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

/** The project's selectors.yml (read and checked once, at load). */
export function namedSelectors(project: CompiledProject): ReadonlyMap<string, NamedSelector> {
  return project.selectors;
}

/** What a selection is evaluated against: resources, graph, --state and selectors.yml. */
export function selectionInput(project: CompiledProject, state?: StateComparison): SelectionInput {
  return { resources: selectableResources(project), dag: project.dag, state, selectors: namedSelectors(project) };
}

/** --selector and --indirect-selection, beside --select / --exclude. */
export interface SelectionOptions {
  /** A selectors.yml name (exclusive with --select). */
  selector?: string;
  indirect?: IndirectSelection;
}

/**
 * The selection a command evaluates: --selector, else --select, else selectors.yml's default
 * selector (none: everything), with the indirect selection that applies.
 */
export function resolveSelection(
  input: SelectionInput,
  select: string[] | undefined,
  options: SelectionOptions,
): { select: string[] | undefined; indirect: IndirectSelection | undefined } {
  if (options.selector && select && select.length > 0) {
    throw new TsdbtError('--selector and --select cannot be combined', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'use one: a named selector of selectors.yml, or a --select expression',
    });
  }
  const named = options.selector ?? (select && select.length > 0 ? undefined : [...(input.selectors?.values() ?? [])].find((s) => s.isDefault)?.name);
  if (!named) return { select, indirect: options.indirect };
  const selector = input.selectors?.get(named);
  return { select: [`selector:${named}`], indirect: selector?.indirectSelection ?? options.indirect };
}

/**
 * The ids a command acts on: its selection, narrowed to the resource types it handles.
 * Tests are also selected indirectly, as in dbt: a test runs when something it tests is selected
 * (and is dropped when that is excluded). `indirect` says how (dbt's --indirect-selection):
 * eager — any resource it reads is selected; cautious — all of them are; buildable — each is
 * selected or upstream of the selection; empty — no test is added. Default: eager, except for
 * commands that also build, where a test reading several models runs only when all of them are
 * selected (cautious): otherwise it would query a relation this run may not have built.
 */
export function selectForCommand(
  project: CompiledProject,
  select: string[] | undefined,
  exclude: string[] | undefined,
  types: ReadonlySet<ResourceType>,
  state?: StateComparison,
  options: SelectionOptions = {},
): Set<string> {
  const input = selectionInput(project, state);
  const { resources } = input;
  const resolved = resolveSelection(input, select, options);
  const buildable = types.has('model') || types.has('seed') || types.has('snapshot');
  const indirect = resolved.indirect ?? (buildable ? 'cautious' : 'eager');
  const isTest = (id: string) => resources.get(id)?.resourceType === 'test' || resources.get(id)?.resourceType === 'unit_test';
  const withTests = (ids: Set<string>, mode: IndirectSelection) => {
    if ((!types.has('test') && !types.has('unit_test')) || mode === 'empty') return ids;
    const upstream = mode === 'buildable' ? ancestorsOf(project, ids) : undefined;
    for (const id of resources.keys()) {
      if (!isTest(id) || ids.has(id)) continue;
      const parents = project.dag.parents(id);
      const built = parents.filter((p) => project.nodes.has(p));
      let qualifies: boolean;
      if (mode === 'eager' || built.length === 0) qualifies = parents.some((p) => ids.has(p));
      else if (mode === 'cautious') qualifies = built.every((p) => ids.has(p));
      else qualifies = built.some((p) => ids.has(p)) && built.every((p) => ids.has(p) || upstream!.has(p));
      if (qualifies) ids.add(id);
    }
    return ids;
  };
  const selected = withTests(selectResources(input, resolved.select, undefined), indirect);
  if (exclude && exclude.length > 0) {
    for (const id of withTests(selectResources(input, exclude, undefined), 'eager')) selected.delete(id);
  }
  for (const id of selected) if (!types.has(resources.get(id)!.resourceType)) selected.delete(id);
  return selected;
}

/** Every ancestor of the given ids (for --indirect-selection buildable). */
function ancestorsOf(project: CompiledProject, ids: ReadonlySet<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    for (const parent of project.dag.parents(stack.pop()!)) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      stack.push(parent);
    }
  }
  return seen;
}
