import type { NodeResult } from '../execute/types.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';

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

/** Every hook is optional: a reporter listens only to what it shows. */
export interface Reporter {
  onInfo?(message: string): void;
  onWarning?(message: string): void;
  onRunStart?(event: RunStartEvent): void;
  onNodeStart?(result: { uniqueId: string; name: string }, index: number, total: number): void;
  onNodeFinish?(result: NodeResult, index: number, total: number): void;
  onRunEnd?(event: RunEndEvent): void;
  onError?(error: TsdbtError, debug: boolean): void;
  /** Command output meant for stdout (ls listings, show tables, compiled SQL). */
  onOutput?(text: string, data?: unknown): void;
}

/** Fans every event out to several reporters. */
export function combineReporters(reporters: Reporter[]): Required<Reporter> {
  const fan = <K extends keyof Reporter>(key: K) =>
    ((...args: unknown[]) => {
      for (const reporter of reporters) (reporter[key] as ((...a: unknown[]) => void) | undefined)?.(...args);
    }) as Required<Reporter>[K];
  return {
    onInfo: fan('onInfo'),
    onWarning: fan('onWarning'),
    onRunStart: fan('onRunStart'),
    onNodeStart: fan('onNodeStart'),
    onNodeFinish: fan('onNodeFinish'),
    onRunEnd: fan('onRunEnd'),
    onError: fan('onError'),
    onOutput: fan('onOutput'),
  };
}
