import { createHash } from 'node:crypto';
import type { TestSpec } from '../../project/test-entries.js';

/**
 * dbt's names for generic tests, so CI dashboards and selectors carry over:
 * `not_null_orders_id`, `accepted_values_orders_status__a__b`,
 * `relationships_orders_customer_id__id__ref_customers_`, `source_unique_raw_orders_id`;
 * names of 64+ characters are shortened with a hash.
 */
export function genericTestName(spec: TestSpec): string {
  if (spec.customName) return spec.customName;
  const args: Record<string, unknown> = { ...spec.args };
  if (spec.columnName !== undefined) args.column_name = spec.columnName;
  const flat: string[] = [];
  for (const key of Object.keys(args).sort()) {
    const value = args[key];
    const parts = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [value];
    flat.push(...parts.map(pythonStr));
  }
  const unique = flat.map((part) => part.replace(/[^0-9a-zA-Z_]+/g, '_')).join('__');
  const target = spec.attachedKind === 'source' ? `${spec.sourceName}_${spec.attachedName}` : spec.attachedName;
  const prefix = `${spec.namespace ? `${spec.namespace}_` : ''}${spec.attachedKind === 'source' ? 'source_' : ''}`;
  const identifier = `${prefix}${spec.testName}_${target}`;
  const full = unique ? `${identifier}_${unique}` : identifier;
  if (full.length < 64) return full;
  return `${identifier.slice(0, 30)}_${md5(full)}`;
}

// dbt renders argument values with Python's str(): True/False/None.
function pythonStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  return String(value);
}

export function testUniqueId(projectName: string, name: string, salt: string): string {
  return `test.${projectName}.${name}.${md5(`${name}|${salt}`).slice(0, 10)}`;
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
