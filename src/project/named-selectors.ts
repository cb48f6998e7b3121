import { fileExists } from '../config/input-journal.js';
import { join } from 'node:path';
import { readYamlFile, type YamlFile } from '../config/yaml-file.js';
import { didYouMean } from '../errors/suggest.js';
import { type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';

/** How tests are added for the selected resources (dbt's --indirect-selection). */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';
export const INDIRECT_SELECTIONS: readonly IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];

/** A selectors.yml definition, as dbt writes them: CLI text, one method, or set operations. */
export type SelectorDefinition =
  | { kind: 'expression'; text: string; location: SourceLocation }
  | { kind: 'selector'; name: string; location: SourceLocation }
  | { kind: 'union' | 'intersection'; items: SelectorDefinition[]; exclude: SelectorDefinition[]; location: SourceLocation };

export interface NamedSelector {
  name: string;
  description: string;
  /** `default: true`: the selection of commands given no --select / --selector. */
  isDefault: boolean;
  definition: SelectorDefinition;
  /** The definition's own `indirect_selection`, which wins over the flag. */
  indirectSelection?: IndirectSelection;
  location: SourceLocation;
}

const METHOD_KEYS = new Set(['method', 'value', 'parents', 'children', 'parents_depth', 'children_depth', 'childrens_parents', 'indirect_selection']);

/**
 * selectors.yml of a project (dbt's format), checked entirely at load: every mistake is an error
 * at its line. Graph operators and method names are checked when the selector is evaluated, by
 * the same parser as --select.
 */
export function loadNamedSelectors(projectDir: string): { selectors: Map<string, NamedSelector>; errors: TsdbtError[] } {
  const selectors = new Map<string, NamedSelector>();
  const errors: TsdbtError[] = [];
  const path = join(projectDir, 'selectors.yml');
  if (!fileExists(path)) return { selectors, errors };
  const file = readYamlFile(path, 'config', 'selectors.yml');
  // A key's own mistake points at the key; any other at the value.
  const fail = (at: Array<string | number>, message: string, hint: string, onKey = false) =>
    errors.push(new TsdbtError(`selectors.yml: ${message}`, { code: 'E_SELECTORS', kind: 'config', location: file.locate(at, onKey), hint }));
  const list = (file.data as { selectors?: unknown } | null)?.selectors;
  if (!Array.isArray(list)) {
    fail([], 'needs a `selectors:` list', 'write selectors: [{name: nightly, definition: "tag:nightly"}]');
    return { selectors, errors };
  }
  list.forEach((entry, i) => {
    const at = ['selectors', i];
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.definition === undefined) {
      fail(at, 'each selector needs a `name` and a `definition`', 'write - name: nightly\n    definition: "tag:nightly"');
      return;
    }
    for (const key of Object.keys(entry)) {
      if (!['name', 'description', 'default', 'definition'].includes(key)) {
        fail(
          [...at, key],
          `selector "${entry.name}" has no key "${key}"`,
          didYouMean(key, ['name', 'description', 'default', 'definition']) ?? 'keys: name, description, default, definition',
          true,
        );
      }
    }
    if (selectors.has(entry.name)) fail([...at, 'name'], `selector "${entry.name}" is defined twice`, 'give each selector its own name');
    const parsed = parseDefinition(entry.definition, [...at, 'definition'], file, fail);
    if (!parsed) return;
    selectors.set(entry.name, {
      name: entry.name,
      description: typeof entry.description === 'string' ? entry.description : '',
      isDefault: entry.default === true,
      definition: parsed.definition,
      ...(parsed.indirect ? { indirectSelection: parsed.indirect } : {}),
      location: file.locate(at),
    });
  });
  const defaults = [...selectors.values()].filter((s) => s.isDefault);
  if (defaults.length > 1) {
    errors.push(
      new TsdbtError(`selectors.yml: ${defaults.length} selectors say default: true (${defaults.map((s) => s.name).join(', ')})`, {
        code: 'E_SELECTORS',
        kind: 'config',
        location: defaults[1]!.location,
        hint: 'only one selector can be the default',
      }),
    );
  }
  for (const selector of selectors.values()) checkReferences(selector, selectors, errors);
  return { selectors, errors };
}

type Fail = (at: Array<string | number>, message: string, hint: string, onKey?: boolean) => void;

function parseDefinition(
  raw: unknown,
  at: Array<string | number>,
  file: YamlFile,
  fail: Fail,
): { definition: SelectorDefinition; indirect?: IndirectSelection } | undefined {
  const location = file.locate(at);
  if (typeof raw === 'string') return { definition: { kind: 'expression', text: raw, location } };
  if (!isRecord(raw)) {
    fail(at, 'a definition is a selector text, a method, or union/intersection', 'e.g. definition: "tag:nightly", or {method: tag, value: nightly}');
    return undefined;
  }
  const keys = Object.keys(raw);
  for (const setKey of ['union', 'intersection'] as const) {
    if (!(setKey in raw)) continue;
    if (keys.length > 1 || !Array.isArray(raw[setKey])) {
      fail([...at, setKey], `${setKey} takes a list of definitions, alone`, `write ${setKey}: [- method: tag\n    value: x, - exclude: [...]]`);
      return undefined;
    }
    const items: SelectorDefinition[] = [];
    const exclude: SelectorDefinition[] = [];
    for (const [j, item] of (raw[setKey] as unknown[]).entries()) {
      if (isRecord(item) && 'exclude' in item) {
        if (!Array.isArray(item.exclude)) {
          fail([...at, setKey, j, 'exclude'], 'exclude takes a list of definitions', 'write - exclude: [- method: tag\n      value: x]');
          return undefined;
        }
        for (const [k, excluded] of item.exclude.entries()) {
          const parsed = parseDefinition(excluded, [...at, setKey, j, 'exclude', k], file, fail);
          if (!parsed) return undefined;
          exclude.push(parsed.definition);
        }
        continue;
      }
      const parsed = parseDefinition(item, [...at, setKey, j], file, fail);
      if (!parsed) return undefined;
      items.push(parsed.definition);
    }
    return { definition: { kind: setKey, items, exclude, location } };
  }
  // One method: {method: tag, value: x, ...} or dbt's shorthand {tag: x}.
  const method = typeof raw.method === 'string' ? raw.method : keys.length === 1 && !METHOD_KEYS.has(keys[0]!) ? keys[0] : undefined;
  const value = method && typeof raw.method === 'string' ? raw.value : method ? raw[method] : undefined;
  if (!method || (typeof value !== 'string' && typeof value !== 'number')) {
    fail(at, 'a method needs `method` and `value`', 'write {method: tag, value: nightly} (or {tag: nightly})');
    return undefined;
  }
  if (typeof raw.method === 'string') {
    for (const key of keys) {
      if (!METHOD_KEYS.has(key))
        fail([...at, key], `unknown key "${key}" in a method definition`, didYouMean(key, METHOD_KEYS) ?? `keys: ${[...METHOD_KEYS].join(', ')}`, true);
    }
  }
  const indirect = raw.indirect_selection;
  if (indirect !== undefined && !(INDIRECT_SELECTIONS as readonly unknown[]).includes(indirect)) {
    fail([...at, 'indirect_selection'], `indirect_selection must be ${INDIRECT_SELECTIONS.join(', ')}`, 'e.g. indirect_selection: cautious');
    return undefined;
  }
  if (method === 'selector') return { definition: { kind: 'selector', name: String(value), location } };
  const depth = (key: string) => (typeof raw[key] === 'number' ? String(raw[key]) : '');
  const parents = raw.parents === true || raw.parents_depth !== undefined ? `${depth('parents_depth')}+` : '';
  const children = raw.children === true || raw.children_depth !== undefined ? `+${depth('children_depth')}` : '';
  const at_ = raw.childrens_parents === true ? '@' : '';
  return {
    definition: { kind: 'expression', text: `${at_}${parents}${method}:${value}${children}`, location },
    ...(indirect ? { indirect: indirect as IndirectSelection } : {}),
  };
}

/** A `selector:` method must name another selector, without a cycle. */
function checkReferences(selector: NamedSelector, selectors: ReadonlyMap<string, NamedSelector>, errors: TsdbtError[]): void {
  const walk = (definition: SelectorDefinition, stack: string[]): void => {
    if (definition.kind === 'expression') return;
    if (definition.kind === 'selector') {
      const target = selectors.get(definition.name);
      if (!target) {
        errors.push(
          new TsdbtError(`selectors.yml: selector "${stack[0]}" uses unknown selector "${definition.name}"`, {
            code: 'E_SELECTORS',
            kind: 'config',
            location: definition.location,
            hint: didYouMean(definition.name, selectors.keys()) ?? `selectors: ${[...selectors.keys()].join(', ')}`,
          }),
        );
      } else if (stack.includes(target.name)) {
        errors.push(
          new TsdbtError(`selectors.yml: selectors refer to each other in a cycle: ${[...stack, target.name].join(' → ')}`, {
            code: 'E_SELECTORS',
            kind: 'config',
            location: definition.location,
            hint: 'break the cycle',
          }),
        );
      } else walk(target.definition, [...stack, target.name]);
      return;
    }
    for (const item of [...definition.items, ...definition.exclude]) walk(item, stack);
  };
  walk(selector.definition, [selector.name]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
