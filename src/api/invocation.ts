import { randomUUID } from 'node:crypto';
import { buildManifest } from '../artifacts/manifest.js';
import type { InvocationInfo } from '../execute/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { compareWithState, type ManifestLike, readStateManifest, type StateComparison } from '../graph/state.js';
import type { OpenedProject } from './open-project.js';

/** One command's run: its id (in every artifact and job label) and when it started. */
export type Invocation = InvocationInfo;

export function newInvocation(opened: OpenedProject): Invocation {
  return {
    invocationId: randomUUID(),
    generatedAt: new Date().toISOString(),
    adapterType: opened.target.type,
    targetName: opened.target.name,
    database: opened.target.database,
    catalog: opened.target.catalog,
  };
}

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
