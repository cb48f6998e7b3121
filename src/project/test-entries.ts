import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { TEST_CONFIG } from './config-keys.js';

/** One data test as declared in YAML, before its SQL is generated. */
export interface TestSpec {
  testName: string;
  /** `dbt_utils` for `dbt_utils.expression_is_true` (dbt prefixes test names with it), or an installed package. */
  namespace?: string;
  attachedId: string;
  attachedName: string;
  attachedKind: 'model' | 'seed' | 'snapshot' | 'source';
  /** For sources: `<source>_<table>` is the name dbt puts in test names. */
  sourceName?: string;
  columnName?: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  customName?: string;
  /** fqn of the attached resource, for folder-level test config in project.yml. */
  fqn: string[];
  file: string;
  locate(): SourceLocation;
}

// Keys of a test entry that configure how it runs rather than what it checks.
const CONFIG_KEYS = new Set([...TEST_CONFIG.known, ...Object.keys(TEST_CONFIG.unsupported)]);

// Packages whose tests tsdbt ships built in, so `dbt_utils.expression_is_true` works unchanged.
export const BUILT_IN_NAMESPACES = ['dbt_utils', 'dbt_expectations', 'tsdbt'];

export interface TestOwner {
  attachedId: string;
  attachedName: string;
  attachedKind: 'model' | 'seed' | 'snapshot' | 'source';
  sourceName?: string;
  fqn: string[];
  file: string;
}

/** Turns one `tests:`/`data_tests:` entry into a TestSpec, or an error pointing at it. */
export function parseTestEntry(entry: unknown, owner: TestOwner, columnName: string | undefined, locate: () => SourceLocation): TestSpec | TsdbtError {
  let testName: string;
  let body: Record<string, unknown> = {};
  if (typeof entry === 'string') {
    testName = entry;
  } else if (entry && typeof entry === 'object' && !Array.isArray(entry) && Object.keys(entry).length === 1) {
    const [key, value] = Object.entries(entry)[0]!;
    testName = key;
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return invalid(`test "${key}" takes a mapping of arguments, got ${JSON.stringify(value)}`, `write "- ${key}: {argument: value}"`);
      }
      body = value as Record<string, unknown>;
    }
  } else if (entry && typeof entry === 'object' && typeof (entry as Record<string, unknown>).test_name === 'string') {
    const { test_name, ...rest } = entry as Record<string, unknown>;
    testName = test_name as string;
    body = rest;
  } else {
    return invalid(`cannot read this test entry: ${JSON.stringify(entry)}`, 'write "- not_null" or "- accepted_values: {values: [a, b]}"');
  }
  // package.test: a built-in package's (dbt_utils.x) or an installed tsdbt package's.
  let namespace: string | undefined;
  const qualified = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)$/.exec(testName);
  if (qualified) {
    namespace = qualified[1];
    testName = qualified[2]!;
  }

  const args: Record<string, unknown> = {};
  let config: Record<string, unknown> = {};
  let customName: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'config') config = { ...config, ...(value as Record<string, unknown>) };
    else if (key === 'arguments' && value && typeof value === 'object') Object.assign(args, value);
    else if (key === 'name') customName = String(value);
    else if (CONFIG_KEYS.has(key)) config[key] = value;
    else args[key] = value;
  }
  if (args.column_name !== undefined && columnName === undefined) columnName = String(args.column_name);
  delete args.column_name;
  return { testName, namespace, ...owner, columnName, args, config, customName, locate };

  function invalid(message: string, hint: string): TsdbtError {
    return new TsdbtError(message, { code: 'E_TEST_ENTRY', kind: 'project', location: locate(), hint });
  }
}
