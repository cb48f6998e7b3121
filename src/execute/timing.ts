import type { NodeResult } from './types.js';

/** executionTime and the run_results timing entry for work that began at `started`. */
export function timingSince(started: Date): Pick<NodeResult, 'executionTime' | 'timing'> {
  const completed = new Date();
  return {
    executionTime: (completed.getTime() - started.getTime()) / 1000,
    timing: [{ name: 'execute', startedAt: started.toISOString(), completedAt: completed.toISOString() }],
  };
}
