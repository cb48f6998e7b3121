import { createAdapter } from '../adapters/registry.js';
import { lookerStudioLinks } from '../docs/looker-studio.js';
import { checksumOf, intervalReport, readIntervals } from '../execute/microbatch.js';
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

/** A microbatch model's batches from its begin to now: those the state table holds for its current SQL, and the others. */
export interface ModelIntervals {
  built: Array<[string, string]>;
  missing: Array<[string, string]>;
}

/**
 * The built and missing intervals of the listed microbatch models, read from the target's state
 * table (`tsdbt ls --output json`). Connects only when one of them is a microbatch model.
 */
export async function listIntervals(opened: OpenedProject, listed: readonly ListedResource[], now = new Date()): Promise<Map<string, ModelIntervals>> {
  const out = new Map<string, ModelIntervals>();
  const models = listed
    .map((l) => opened.project.nodes.get(l.resource.uniqueId))
    .filter((node) => node?.resolvedConfig.materialized === 'incremental' && node.resolvedConfig.incremental.microbatch);
  if (models.length === 0) return out;
  const adapter = await createAdapter(opened.target, {});
  await adapter.connection.open();
  try {
    for (const node of models) {
      const config = node!.resolvedConfig;
      if (config.materialized !== 'incremental' || !config.incremental.microbatch) continue;
      const exists = await adapter.connection.describeRelation({ relationName: node!.relationName!, schema: node!.schema, identifier: node!.identifier }, {});
      const built = exists ? await readIntervals(adapter, node!.uniqueId) : [];
      out.set(node!.uniqueId, intervalReport(config.incremental.microbatch, built, checksumOf(node!), now));
    }
  } finally {
    await adapter.connection.close();
  }
  return out;
}
