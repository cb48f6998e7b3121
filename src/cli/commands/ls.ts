import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';
import { listIntervals, listResources } from '../../api/list.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';

const OUTPUTS = ['selector', 'name', 'path', 'json'];
const TYPES = ['model', 'seed', 'snapshot', 'source', 'exposure', 'test', 'unit_test'];

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
  const listed = listResources(opened, {
    select: flags.select,
    exclude: flags.exclude,
    selection: { selector: flags.selector, indirect: flags.indirectSelection },
    state: flags.state,
    resourceType: flags.resourceType,
  });
  // Microbatch models: their built and missing batches, from the target's state table.
  const intervals = output === 'json' ? await listIntervals(opened, listed) : new Map();
  const lines = listed.map(({ resource, parents, relationName, lookerStudioUrl }) => {
    if (output === 'json') {
      return JSON.stringify({
        unique_id: resource.uniqueId,
        name: resource.name,
        resource_type: resource.resourceType,
        original_file_path: resource.originalFilePath,
        tags: resource.tags,
        config: resource.config,
        depends_on: { nodes: [...parents] },
        relation_name: relationName ?? null,
        ...(lookerStudioUrl ? { looker_studio_url: lookerStudioUrl } : {}),
        ...(intervals.has(resource.uniqueId) ? { intervals: intervals.get(resource.uniqueId) } : {}),
      });
    }
    if (output === 'name') return resource.name;
    if (output === 'path') return resource.originalFilePath;
    return resource.resourceType === 'source' || resource.resourceType === 'exposure'
      ? `${resource.resourceType}:${resource.fqn.join('.')}`
      : resource.fqn.join('.');
  });
  if (lines.length > 0) reporter.onOutput(lines.join('\n'));
  else reporter.onWarning('the selection matched nothing');
  return 0;
}
