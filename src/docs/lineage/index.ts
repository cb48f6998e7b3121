/** Column lineage for `tsdbt docs generate` (target/lineage.json). */
export { type BuildLineageOptions, buildLineage } from './build-lineage.js';
export { traceColumn } from './trace-column.js';
