import type { CommandContext } from '../main.js';
import type { Flags } from '../flags.js';
import { invocationFor, openFromFlags, stateFromFlags } from '../invocation.js';
import { selectableResources } from '../selection.js';
import { selectResources } from '../../graph/selector.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

const OUTPUTS = ['selector', 'name', 'path', 'json'];
const TYPES = ['model', 'seed', 'source', 'exposure', 'test', 'unit_test'];

export async function lsCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const output = flags.output ?? 'selector';
  if (!OUTPUTS.includes(output)) {
    throw new TsdbtError(`--output must be one of ${OUTPUTS.join(', ')}, got "${output}"`, { code: 'E_USAGE', kind: 'usage', hint: 'use --output json' });
  }
  if (flags.resourceType && !TYPES.includes(flags.resourceType)) {
    throw new TsdbtError(`--resource-type must be one of ${TYPES.join(', ')}, got "${flags.resourceType}"`, {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'use --resource-type model',
    });
  }
  const opened = await openFromFlags(flags);
  const { project } = opened;
  const resources = selectableResources(project);
  const state = stateFromFlags(flags, opened, invocationFor(opened));
  const selected = selectResources({ resources, dag: project.dag, state }, flags.select, flags.exclude);
  const lines: string[] = [];
  for (const id of project.order) {
    const resource = resources.get(id);
    if (!resource || !selected.has(id) || (flags.resourceType && resource.resourceType !== flags.resourceType)) continue;
    if (output === 'json') {
      const node = project.nodes.get(id);
      lines.push(
        JSON.stringify({
          unique_id: id,
          name: resource.name,
          resource_type: resource.resourceType,
          original_file_path: resource.originalFilePath,
          tags: resource.tags,
          config: resource.config,
          depends_on: { nodes: [...project.dag.parents(id)] },
          relation_name: node?.relationName ?? null,
        }),
      );
    } else if (output === 'name') lines.push(resource.name);
    else if (output === 'path') lines.push(resource.originalFilePath);
    else
      lines.push(
        resource.resourceType === 'source'
          ? `source:${resource.fqn.join('.')}`
          : resource.resourceType === 'exposure'
            ? `exposure:${resource.fqn.join('.')}`
            : resource.fqn.join('.'),
      );
  }
  if (lines.length > 0) reporter.onOutput(lines.join('\n'));
  else reporter.onWarning('the selection matched nothing');
  return 0;
}
