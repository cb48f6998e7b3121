import { buildManifest } from '../artifacts/manifest.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { compareWithState, type ManifestLike, readStateManifest, type StateComparison } from '../graph/state.js';
import type { OpenedProject } from './open-project.js';
import type { Invocation } from './new-invocation.js';

export { type Invocation, type InvocationTarget, newInvocation } from './new-invocation.js';

/** --state: the project compared with an earlier manifest, for state: selectors and --defer. */
export function stateOf(
  opened: OpenedProject,
  invocation: Invocation,
  options: { state?: string; defer?: boolean; favorState?: boolean },
): StateComparison | undefined {
  if (options.favorState && !options.defer) {
    throw new TsdbtError('--favor-state needs --defer (it says where deferred parents are read from)', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'e.g. --defer --favor-state --state prod-artifacts/',
    });
  }
  if (options.defer && !options.state) {
    throw new TsdbtError('--defer needs --state <dir> (the artifacts of the run to defer to)', {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'e.g. --defer --state prod-artifacts/',
    });
  }
  if (!options.state) return undefined;
  return { ...compareWithState(buildManifest(opened.project, invocation) as ManifestLike, readStateManifest(options.state)), stateDir: options.state };
}
