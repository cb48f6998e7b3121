import { parseCliMapping } from '../config/vars.js';
import { didYouMean } from '../errors/suggest.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Reporter } from '../reporters/reporter.js';

/**
 * The kinds of warning --warn-error-options can name (dbt's event names where dbt has the same
 * warning). Each warning tsdbt prints is of the first kind whose pattern it matches, else Warning.
 */
export const WARNING_KINDS: ReadonlyArray<{ name: string; what: string; matches?: RegExp }> = [
  { name: 'NoNodesForSelectionCriteria', what: 'a selection matched nothing', matches: /selection matched no|nothing to \w+: the selection/ },
  { name: 'UnusedResourceConfigPath', what: 'a project.yml config path that applies to nothing', matches: /so its config applies to nothing/ },
  { name: 'DeprecatedReference', what: 'a reference to a model past its deprecation_date', matches: /deprecat/i },
  { name: 'ConfigHasNoEffect', what: 'a key that does nothing where it is written', matches: /has no effect|does nothing/ },
  { name: 'UnsupportedFile', what: 'a file tsdbt does not read (Python models, analyses)', matches: /not supported|not compiled yet|not built\)/ },
  { name: 'TestWarn', what: 'a test of severity warn that found failing rows' },
  { name: 'Warning', what: 'any other warning' },
];

const NAMES = WARNING_KINDS.map((k) => k.name);

export function warningKind(message: string): string {
  return WARNING_KINDS.find((k) => k.matches?.test(message))?.name ?? 'Warning';
}

/** Which warnings --warn-error / --warn-error-options turn into errors. */
export interface WarnErrorPolicy {
  promotes(kind: string): boolean;
}

/**
 * --warn-error: every warning; --warn-error-options '{include: all | [kinds], exclude: [kinds]}':
 * those named (dbt's syntax; `error` is dbt's older name for include, `warn` for exclude).
 */
export function warnErrorPolicy(warnError: boolean, optionsText: string | undefined): WarnErrorPolicy | undefined {
  if (!optionsText) return warnError ? { promotes: () => true } : undefined;
  const options = parseCliMapping(optionsText, '--warn-error-options');
  for (const key of Object.keys(options)) {
    if (!['include', 'exclude', 'error', 'warn', 'silence'].includes(key)) {
      throw new TsdbtError(`--warn-error-options has no key "${key}"`, {
        code: 'E_USAGE',
        kind: 'usage',
        hint: didYouMean(key, ['include', 'exclude']) ?? "write --warn-error-options '{include: all, exclude: [NoNodesForSelectionCriteria]}'",
      });
    }
  }
  const names = (key: string): string[] | 'all' => {
    const value = options[key];
    if (value === undefined) return [];
    if (value === 'all' || value === '*') return 'all';
    const list = Array.isArray(value) ? value.map(String) : undefined;
    if (!list)
      throw new TsdbtError(`--warn-error-options ${key} must be all or a list of warning names`, {
        code: 'E_USAGE',
        kind: 'usage',
        hint: `names: ${NAMES.join(', ')}`,
      });
    for (const name of list) {
      if (!NAMES.includes(name)) {
        throw new TsdbtError(`--warn-error-options ${key}: unknown warning "${name}"`, {
          code: 'E_USAGE',
          kind: 'usage',
          hint: didYouMean(name, NAMES) ?? `names: ${NAMES.join(', ')}`,
        });
      }
    }
    return list;
  };
  const include = names(options.include !== undefined ? 'include' : 'error');
  const exclude = names(options.exclude !== undefined ? 'exclude' : 'warn');
  if (exclude === 'all') return undefined;
  const base = warnError && include !== 'all' && include.length === 0 ? 'all' : include;
  return { promotes: (kind) => (base === 'all' || base.includes(kind)) && !exclude.includes(kind) };
}

/**
 * The reporter with --warn-error applied: a promoted warning is printed as an error, and stops
 * the command when it comes before the run started (nothing has run yet); a warn-severity test
 * counts as an error. `promoted()` says how many there were, for the exit code.
 */
export function promotingReporter(base: Required<Reporter>, policy: WarnErrorPolicy): { reporter: Required<Reporter>; promoted: () => number } {
  let started = false;
  let count = 0;
  const reporter: Required<Reporter> = {
    ...base,
    onRunStart: (event) => {
      started = true;
      base.onRunStart(event);
    },
    onWarning: (message) => {
      const kind = warningKind(message);
      if (!policy.promotes(kind)) return base.onWarning(message);
      count++;
      const error = new TsdbtError(message, { code: 'E_WARN_ERROR', kind: 'runtime', hint: `--warn-error makes this warning (${kind}) an error` });
      if (!started) throw error;
      base.onError(error, false);
    },
    onNodeFinish: (result, index, total) => {
      base.onNodeFinish(result, index, total);
      if (result.status === 'warn' && policy.promotes('TestWarn')) count++;
    },
  };
  return { reporter, promoted: () => count };
}
