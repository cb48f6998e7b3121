import type { TsdbtError } from '../errors/tsdbt-error.js';
import { fanOut, type RunListener } from '../execute/events.js';

/** A run listener that also shows errors and command output (ls listings, show tables, compiled SQL). */
export interface Reporter extends RunListener {
  onError?(error: TsdbtError, debug: boolean): void;
  onOutput?(text: string, data?: unknown): void;
}

/** Fans every event out to several reporters. */
export function combineReporters(reporters: Reporter[]): Required<Reporter> {
  return {
    ...fanOut(reporters),
    onError: (error, debug) => {
      for (const reporter of reporters) reporter.onError?.(error, debug);
    },
    onOutput: (text, data) => {
      for (const reporter of reporters) reporter.onOutput?.(text, data);
    },
  };
}
