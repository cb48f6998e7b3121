import type { NodeResult } from './types.js';

export interface RunStartEvent {
  command: string;
  target: string;
  adapter: string;
  threads: number;
  total: number;
}

export interface RunEndEvent {
  results: NodeResult[];
  elapsed: number;
  interrupted: boolean;
  /** Queries that evaluated data tests (several batched tests share one). */
  testQueries?: number;
}

/**
 * What a run tells its listeners as it goes: the console and JSON reporters, and the writers of
 * run_results.json, junit.xml and target/run/**. Every hook is optional.
 */
export interface RunListener {
  onInfo?(message: string): void;
  onWarning?(message: string): void;
  onRunStart?(event: RunStartEvent): void;
  onNodeStart?(node: { uniqueId: string; name: string }, index: number, total: number): void;
  onNodeFinish?(result: NodeResult, index: number, total: number): void;
  onRunEnd?(event: RunEndEvent): void;
}

type Hook = keyof RunListener;
const HOOKS: Hook[] = ['onInfo', 'onWarning', 'onRunStart', 'onNodeStart', 'onNodeFinish', 'onRunEnd'];

/** One listener that passes every event on to several. */
export function fanOut(listeners: readonly RunListener[]): Required<RunListener> {
  const out = {} as Record<Hook, (...args: unknown[]) => void>;
  for (const hook of HOOKS) {
    out[hook] = (...args: unknown[]) => {
      for (const listener of listeners) (listener[hook] as ((...a: unknown[]) => void) | undefined)?.(...args);
    };
  }
  return out as Required<RunListener>;
}
