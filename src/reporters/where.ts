import { formatLocation } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execute/types.js';

/** "models/report.sql:4, compiled target/compiled/…/report.sql:7": where a failed node points. */
export function whereText(result: NodeResult): string | undefined {
  if (!result.location) return undefined;
  const inlined = result.inlinedFrom ? ` (inlined into ${result.name})` : '';
  const compiled = result.compiledLocation ? `, compiled ${formatLocation(result.compiledLocation)}` : '';
  return `${formatLocation(result.location)}${inlined}${compiled}`;
}
