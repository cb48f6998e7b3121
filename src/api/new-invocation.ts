import { randomUUID } from 'node:crypto';
import type { InvocationInfo } from '../execute/types.js';

/** One command's run: its id (in every artifact and job label) and when it started. */
export type Invocation = InvocationInfo;

/** The target an invocation runs on, as its artifacts name it. */
export interface InvocationTarget {
  type: string;
  name: string;
  database?: string;
  catalog: string;
}

export function newInvocation(opened: { target: InvocationTarget }): Invocation {
  return {
    invocationId: randomUUID(),
    generatedAt: new Date().toISOString(),
    adapterType: opened.target.type,
    targetName: opened.target.name,
    database: opened.target.database,
    catalog: opened.target.catalog,
  };
}
