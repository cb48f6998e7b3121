import { TsdbtError } from '../errors/tsdbt-error.js';
import { didYouMean } from '../errors/suggest.js';
import type { ResourceBase } from '../project/types.js';
import { reachable, type Dag } from './dag.js';
import type { NamedSelector, SelectorDefinition } from '../project/named-selectors.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { ModifiedFacet, StateComparison } from './state.js';

export interface SelectableResource extends ResourceBase {
  /** For sources: the source name (source:<name>). */
  sourceName?: string;
  testType?: string;
}

export interface SelectionInput {
  resources: ReadonlyMap<string, SelectableResource>;
  dag: Dag;
  /** Comparison with --state, for state:new / state:modified. */
  state?: StateComparison;
  /** selectors.yml, for selector:<name> (and --selector). */
  selectors?: ReadonlyMap<string, NamedSelector>;
}

const METHODS = [
  'tag',
  'path',
  'file',
  'fqn',
  'source',
  'resource_type',
  'exposure',
  'package',
  'config',
  'test_type',
  'test_name',
  'state',
  'selector',
] as const;

interface Atom {
  raw: string;
  method: string;
  value: string;
  parentsDepth?: number | 'all';
  childrenDepth?: number | 'all';
  at: boolean;
}

/**
 * dbt selection syntax: space = union, comma = intersection, `+`/`N+` graph operators, `@`.
 * Each atom scans the resources once and walks the graph once, so cost is linear in graph size.
 */
export function selectResources(input: SelectionInput, select: string[] | undefined, exclude: string[] | undefined): Set<string> {
  const selected = select && select.length > 0 ? evaluate(input, select) : new Set(input.resources.keys());
  if (exclude && exclude.length > 0) {
    for (const id of evaluate(input, exclude)) selected.delete(id);
  }
  return selected;
}

function evaluate(input: SelectionInput, expressions: string[]): Set<string> {
  const union = new Set<string>();
  for (const expression of expressions) {
    for (const term of expression.split(/\s+/).filter(Boolean)) {
      let intersection: Set<string> | undefined;
      for (const atomText of term.split(',').filter(Boolean)) {
        const ids = evaluateAtom(input, parseAtom(atomText));
        intersection = intersection ? new Set([...intersection].filter((id) => ids.has(id))) : ids;
      }
      intersection?.forEach((id) => union.add(id));
    }
  }
  return union;
}

const RESOURCE_TYPES = ['model', 'seed', 'snapshot', 'test', 'unit_test', 'source', 'exposure'];
const TEST_TYPES = ['data', 'unit'];

/** `[@][N+]selector[+N]`: the graph operators around a name or a method:value. */
function parseAtom(text: string): Atom {
  const match = /^(@)?(?:(\d*)\+)?(.*?)(?:\+(\d*))?$/.exec(text)!;
  const [, at, parents, body, children] = match;
  if (body === '') throw selectorError(text, 'nothing to select: a graph operator needs a name or a method:value beside it');
  if (at && (parents !== undefined || children !== undefined))
    throw selectorError(text, '"@" selects parents and children already: it cannot be combined with "+"');
  if (body!.startsWith('@') && parents !== undefined) throw selectorError(text, '"@" selects parents and children already: it cannot be combined with "+"');
  if (/[@+]/.test(body!)) {
    throw selectorError(text, `"${body!.includes('@') ? '@' : '+'}" can only stand at the start or the end of a selector`);
  }
  const colon = body!.indexOf(':');
  if (colon < 0 && body!.startsWith('config.')) {
    throw selectorError(text, `${body} needs a value`, `write ${body}:<value> (e.g. config.materialized:table)`);
  }
  const method = colon < 0 ? 'fqn' : body!.slice(0, colon);
  const value = colon < 0 ? body! : body!.slice(colon + 1);
  const base = method.startsWith('config.') ? 'config' : method;
  if (!(METHODS as readonly string[]).includes(base)) {
    throw selectorError(text, `unknown selector method "${method}"`, didYouMean(method, METHODS) ?? `methods: ${METHODS.join(', ')}, or a model name`);
  }
  if (method === 'config.') throw selectorError(text, 'config. needs a config key', 'write config.<key>:<value> (e.g. config.materialized:incremental)');
  if (value === '') throw selectorError(text, `${method}: needs a value`, `write ${method}:<value>${method === 'tag' ? ' (e.g. tag:nightly)' : ''}`);
  const allowed = method === 'resource_type' ? RESOURCE_TYPES : method === 'test_type' ? TEST_TYPES : undefined;
  if (allowed && !allowed.includes(value)) {
    throw selectorError(text, `unknown ${method} "${value}"`, didYouMean(value, allowed) ?? `use one of: ${allowed.join(', ')}`);
  }
  return {
    raw: text,
    method,
    value,
    at: Boolean(at),
    parentsDepth: parents === undefined ? undefined : parents === '' ? 'all' : Number(parents),
    childrenDepth: children === undefined ? undefined : children === '' ? 'all' : Number(children),
  };
}

function evaluateAtom(input: SelectionInput, atom: Atom): Set<string> {
  const base = atom.method === 'selector' ? namedSelection(input, atom.value) : new Set<string>();
  if (atom.method !== 'selector') {
    const matches = methodMatcher(atom, input.state);
    for (const [id, resource] of input.resources) if (matches(resource)) base.add(id);
  }
  const result = new Set(base);
  const { dag } = input;
  const depth = (d: number | 'all') => (d === 'all' ? undefined : d);
  if (atom.parentsDepth !== undefined) reachable(base, dag.parents, depth(atom.parentsDepth)).forEach((id) => result.add(id));
  if (atom.childrenDepth !== undefined || atom.at) {
    const descendants = reachable(base, dag.children, atom.childrenDepth === undefined || atom.at ? undefined : depth(atom.childrenDepth));
    descendants.forEach((id) => result.add(id));
    if (atom.at) reachable(new Set([...base, ...descendants]), dag.parents).forEach((id) => result.add(id));
  }
  return result;
}

/** selector:<name>: a selectors.yml definition; a mistake in its text points at its line. */
function namedSelection(input: SelectionInput, name: string): Set<string> {
  return evaluateNamed(input.selectors ?? new Map(), name, (text, location) => {
    try {
      return evaluate(input, [text]);
    } catch (error) {
      if (!(error instanceof TsdbtError)) throw error;
      throw new TsdbtError(`selectors.yml: selector "${name}": ${error.message}`, { code: error.code, kind: 'config', location, hint: error.hint });
    }
  });
}

/** Evaluates a named selector with `expression` (the --select evaluator) for its text parts. */
function evaluateNamed(
  selectors: ReadonlyMap<string, NamedSelector>,
  name: string,
  expression: (text: string, location: SourceLocation) => Set<string>,
): Set<string> {
  const selector = selectors.get(name);
  if (!selector) {
    throw new TsdbtError(`no selector named "${name}"${selectors.size === 0 ? ' (the project has no selectors.yml)' : ''}`, {
      code: 'E_SELECTOR',
      kind: 'usage',
      hint: didYouMean(name, selectors.keys()) ?? (selectors.size > 0 ? `selectors: ${[...selectors.keys()].join(', ')}` : 'define it in selectors.yml'),
    });
  }
  const run = (definition: SelectorDefinition): Set<string> => {
    if (definition.kind === 'expression') return expression(definition.text, definition.location);
    if (definition.kind === 'selector') return run(selectors.get(definition.name)!.definition);
    const sets = definition.items.map(run);
    const [first, ...others] = sets;
    const result =
      definition.kind === 'union' ? new Set(sets.flatMap((set) => [...set])) : new Set([...(first ?? [])].filter((id) => others.every((set) => set.has(id))));
    for (const excluded of definition.exclude.map(run)) for (const id of excluded) result.delete(id);
    return result;
  };
  return run(selector.definition);
}

function methodMatcher(atom: Atom, state: StateComparison | undefined): (r: SelectableResource) => boolean {
  const { method, value } = atom;
  const glob = globMatcher(value);
  switch (method) {
    case 'fqn':
      return (r) => glob(r.name) || fqnMatches(r.fqn, value.split('.'));
    case 'tag':
      return (r) => r.tags.some(glob);
    case 'path': {
      const prefix = value.replace(/\/+$/, '');
      return (r) => r.originalFilePath === prefix || r.originalFilePath.startsWith(`${prefix}/`) || glob(r.originalFilePath);
    }
    case 'file':
      return (r) => glob(r.originalFilePath.slice(r.originalFilePath.lastIndexOf('/') + 1)) || glob(r.name);
    case 'package':
      return (r) => glob(r.packageName);
    case 'resource_type':
      return (r) => r.resourceType === value;
    case 'exposure':
      return (r) => r.resourceType === 'exposure' && glob(r.name);
    case 'source': {
      const [sourceName, tableName] = value.split('.');
      const sourceGlob = globMatcher(sourceName!);
      const tableGlob = tableName ? globMatcher(tableName) : () => true;
      return (r) => r.resourceType === 'source' && sourceGlob(r.sourceName ?? '') && tableGlob(r.name);
    }
    case 'test_type':
      return (r) => (r.resourceType === 'test' || r.resourceType === 'unit_test' ? (r.testType ?? 'data') === value : false);
    case 'test_name':
      return (r) => (r.resourceType === 'test' || r.resourceType === 'unit_test') && glob(r.name);
    case 'state': {
      if (!state)
        throw selectorError(atom.raw, 'state: selection needs --state <dir> (a folder with an earlier manifest.json)', 'add --state path/to/prod-target');
      if (value === 'new') return (r) => state.isNew(r.uniqueId);
      const facet = /^modified(?:\.(body|configs|macros))?$/.exec(value);
      if (!facet)
        throw selectorError(
          atom.raw,
          `unknown state "${value}"`,
          'use state:new, state:modified, state:modified.body, state:modified.configs or state:modified.macros',
        );
      return (r) => state.isModified(r.uniqueId, facet[1] as ModifiedFacet | undefined);
    }
    default: {
      const key = method.slice('config.'.length);
      return (r) => {
        const configured = r.config[key];
        if (Array.isArray(configured)) return configured.map(String).some(glob);
        return configured !== undefined && glob(String(configured));
      };
    }
  }
}

function fqnMatches(fqn: string[], parts: string[]): boolean {
  // `staging` matches every node under models/staging; `eco2mix.staging.x` a full path.
  for (const offset of [0, 1]) {
    if (parts.length + offset > fqn.length) continue;
    if (parts.every((part, i) => globMatcher(part)(fqn[i + offset]!))) return true;
  }
  return false;
}

const globCache = new Map<string, (s: string) => boolean>();
function globMatcher(pattern: string): (s: string) => boolean {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    if (!/[*?]/.test(pattern)) matcher = (s) => s === pattern;
    else {
      const regex = new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      );
      matcher = (s) => regex.test(s);
    }
    globCache.set(pattern, matcher);
  }
  return matcher;
}

const GRAMMAR =
  'selectors are name, +name (and parents), name+ (and children), 2+name, name+1, @name, or method:value (tag:x, path:models/gold, config.materialized:table, source:raw+, resource_type:model, test_type:unit, state:modified, selector:<selectors.yml name>); a space is a union, a comma an intersection';

function selectorError(selector: string, message: string, hint = GRAMMAR): TsdbtError {
  return new TsdbtError(`invalid selector "${selector}": ${message}`, { code: 'E_SELECTOR', kind: 'usage', hint });
}
