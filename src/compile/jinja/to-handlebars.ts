import { type JinjaNode, parseJinja } from './nunjucks-ast.js';

/** A construct left as Jinja: where, what, and what the user should do. */
export interface Untranslated {
  line: number;
  column: number;
  construct: string;
  todo: string;
}

/** A dbt macro definition found in a file, translated into a tsdbt SQL macro body. */
export interface TranslatedMacro {
  name: string;
  /** `{% test name() %}` blocks are generic tests. */
  kind: 'macro' | 'test';
  params: Array<{ name: string; default?: string }>;
  body: string;
  line: number;
}

export interface Translation {
  text: string;
  macros: TranslatedMacro[];
  problems: Untranslated[];
}

export interface TranslateOptions {
  /** Names of the dbt project's own macros: calls to them become helper calls. */
  projectMacros: ReadonlySet<string>;
}

/** Raised inside a construct tsdbt cannot express; the construct stays as Jinja and is reported. */
class Untranslatable extends Error {
  constructor(
    message: string,
    readonly todo: string,
  ) {
    super(message);
  }
}

type Binding = { kind: 'name'; as: string } | { kind: 'value'; node: JinjaNode };

// dbt package calls tsdbt has a helper for. Each takes the Jinja call's positional and keyword
// arguments (already Handlebars arguments) and returns the helper call, or throws.
type Mapped = (positional: string[], keywords: Map<string, string>) => string;
const PACKAGE_CALLS: Record<string, Mapped> = {
  safe_divide: (p) => `safe_divide ${p.join(' ')}`,
  // dbt.datediff(first, second, part) → tsdbt's part-first order.
  datediff: (p, k) => `datediff ${k.get('datepart') ?? p[2]} ${k.get('first_date') ?? p[0]} ${k.get('second_date') ?? p[1]}`,
  dateadd: (p, k) => `dateadd ${k.get('datepart') ?? p[0]} ${k.get('interval') ?? p[1]} ${k.get('from_date_or_timestamp') ?? p[2]}`,
  date_trunc: (p, k) => `date_trunc ${k.get('datepart') ?? p[0]} ${k.get('date') ?? p[1]}`,
  generate_surrogate_key: (p, k) => `generate_surrogate_key ${unwrapList(k.get('field_list') ?? p[0] ?? '')}`,
  surrogate_key: (p, k) => `generate_surrogate_key ${unwrapList(k.get('field_list') ?? p.join(' '))}`,
  star: (p, k) => {
    const parts = ['star'];
    const except = k.get('except') ?? p[1];
    if (except) parts.push(`except=${except}`);
    const alias = k.get('relation_alias') ?? p[2];
    if (alias) parts.push(`relation_alias=${alias}`);
    for (const key of ['prefix', 'suffix']) if (k.has(key)) parts.push(`${key}=${k.get(key)}`);
    return parts.join(' ');
  },
  date_spine: (p, k) => `date_spine ${k.get('datepart') ?? p[0]} ${k.get('start_date') ?? p[1]} ${k.get('end_date') ?? p[2]}`,
  union_relations: (p, k) => {
    const relations = k.get('relations') ?? p[0];
    if (!relations) throw new Untranslatable('union_relations without relations', 'give relations=[ref(...), ...]');
    for (const key of k.keys()) {
      if (key !== 'relations')
        throw new Untranslatable(`union_relations(${key}=…)`, `tsdbt's union_relations takes only the relations; write the SQL for ${key}`);
    }
    return `union_relations ${relations}`;
  },
  pivot: (p, k) => {
    const column = k.get('column') ?? p[0];
    const values = k.get('values') ?? p[1];
    if (!column || !values) throw new Untranslatable('pivot without a column and its values', 'give the column and a list of values');
    const parts = ['pivot', column, values];
    for (const key of ['agg', 'then_value', 'else_value', 'prefix', 'suffix', 'quote_identifiers', 'alias', 'cmp'])
      if (k.has(key)) parts.push(`${key}=${k.get(key)}`);
    return parts.join(' ');
  },
};

const NEEDS_A_QUERY = new Set(['get_column_values', 'get_query_results_as_dict', 'get_relations_by_pattern', 'get_filtered_columns_in_relation', 'run_query']);

/** `(list "a" "b")` → `"a" "b"`: generate_surrogate_key takes its fields as arguments. */
function unwrapList(list: string): string {
  const inner = /^\(list\s*(.*)\)$/.exec(list);
  return inner ? inner[1]! : list;
}

/**
 * Translates a dbt Jinja template into tsdbt's Handlebars. What tsdbt cannot express stays as the
 * original Jinja (so compiling the result stops at it with a clear error) and is listed.
 */
export function translateJinja(source: string, options: TranslateOptions): Translation {
  const prepared = prepare(source);
  let ast: JinjaNode;
  try {
    ast = parseJinja(prepared.text);
  } catch (error) {
    const message = String((error as Error).message);
    const at = /\[Line (\d+), Column (\d+)\]/.exec(message);
    return {
      text: source,
      macros: [],
      problems: [
        {
          line: at ? Number(at[1]) : 1,
          column: at ? Number(at[2]) : 1,
          construct: 'the template',
          todo: `nunjucks cannot parse it (${message.split('\n').pop()!.trim()}): translate the file by hand`,
        },
      ],
    };
  }
  const translator = new Translator(prepared, options);
  const text = translator.nodes(ast.children ?? []);
  return { text, macros: translator.macros, problems: translator.problems };
}

/** The names of the macros (and `{% test %}` blocks) a file defines, without translating them. */
export function definedMacros(source: string): string[] {
  try {
    return (parseJinja(prepare(source).text).children ?? [])
      .filter((node) => node.typename === 'Macro')
      .map((node) => String(node.name?.value ?? '').replace(/^__test__/, ''));
  } catch {
    return [];
  }
}

/** The Handlebars for one Jinja expression or tag (`{{ ref('x') }}`), for error messages. */
export function handlebarsFor(jinja: string): string | undefined {
  const result = translateJinja(jinja, { projectMacros: new Set() });
  return result.problems.length === 0 && result.macros.length === 0 ? result.text : undefined;
}

interface Prepared {
  text: string;
  comments: string[];
}

/**
 * Rewrites what nunjucks does not read, keeping every line where it was: comments become calls
 * that keep their text (nunjucks drops comments), dbt's `{% test %}` blocks become macros,
 * `{% do %}` an expression the translator reports.
 */
function prepare(source: string): Prepared {
  const comments: string[] = [];
  let text = source.replace(/\{#(-?)([\s\S]*?)(-?)#\}/g, (_m, open: string, body: string, close: string) => {
    comments.push(body.trim());
    return `{{${open} __comment__(${comments.length - 1}) ${close}}}`;
  });
  text = text.replace(/\{%(-?)\s*test\s+(\w+)\s*\(/g, (_m, dash: string, name: string) => `{%${dash} macro __test__${name}(`);
  text = text.replace(/\{%(-?)\s*endtest\s*(-?)%\}/g, (_m, a: string, b: string) => `{%${a} endmacro ${b}%}`);
  text = text.replace(/\{%(-?)\s*do\s+([\s\S]*?)\s*(-?)%\}/g, (_m, a: string, body: string, b: string) => `{{${a} __do__(${body}) ${b}}}`);
  return { text, comments };
}

class Translator {
  readonly macros: TranslatedMacro[] = [];
  readonly problems: Untranslated[] = [];
  private readonly scopes: Array<Map<string, Binding>> = [new Map()];
  private loops = 0;
  private readonly lineStarts: number[];

  constructor(
    private readonly prepared: Prepared,
    private readonly options: TranslateOptions,
  ) {
    this.lineStarts = [0];
    for (let i = prepared.text.indexOf('\n'); i >= 0; i = prepared.text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  nodes(nodes: JinjaNode[]): string {
    return nodes.map((node) => this.statement(node)).join('');
  }

  private statement(node: JinjaNode): string {
    switch (node.typename) {
      case 'Output':
        return (node.children ?? [])
          .map((child) => (child.typename === 'TemplateData' ? text(String(child.value ?? '')) : this.guard(child, () => this.output(child))))
          .join('');
      case 'If':
        return this.guard(node, () => this.ifBlock(node));
      case 'For':
        return this.guard(node, () => this.forBlock(node));
      case 'Set':
        return this.guard(node, () => this.set(node));
      case 'Macro':
        return this.guard(node, () => this.macro(node));
      case 'NodeList':
        return this.nodes(node.children ?? []);
      default:
        return this.leave(node, `{% ${node.typename.toLowerCase()} %}`, 'tsdbt has no equivalent: translate this block by hand');
    }
  }

  /** Runs a translation; an untranslatable construct is left as its Jinja source and reported. */
  private guard(node: JinjaNode, translate: () => string): string {
    try {
      return translate();
    } catch (error) {
      if (!(error instanceof Untranslatable)) throw error;
      return this.leave(node, error.message, error.todo);
    }
  }

  private leave(node: JinjaNode, construct: string, todo: string): string {
    const tag = this.originalTag(node);
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1]! <= tag.offset) line++;
    this.problems.push({ line: line + 1, column: tag.offset - this.lineStarts[line]! + 1, construct, todo });
    return tag.text;
  }

  /** The source of the tag a node was parsed from (`{{ … }}` or `{% … %}`), and where it starts. */
  private originalTag(node: JinjaNode): { text: string; offset: number } {
    const source = this.prepared.text;
    const at = (this.lineStarts[node.lineno] ?? 0) + node.colno;
    const start = Math.max(source.lastIndexOf('{{', at), source.lastIndexOf('{%', at));
    if (start < 0) return { text: '', offset: at };
    const close = source.startsWith('{{', start) ? '}}' : '%}';
    const end = source.indexOf(close, start);
    return { text: end < 0 ? source.slice(start) : source.slice(start, end + 2), offset: start };
  }

  // ---- statements ----

  private output(node: JinjaNode): string {
    if (node.typename === 'FunCall' && symbolName(node.name) === '__comment__') {
      const index = Number((node.args?.children?.[0]?.value as number | undefined) ?? 0);
      return `{{!-- ${this.prepared.comments[index]} --}}`;
    }
    if (node.typename === 'FunCall' && symbolName(node.name) === '__do__')
      throw new Untranslatable('{% do … %}', 'tsdbt templates do not run statements: move the logic into a JS helper (macros/*.mjs)');
    if (node.typename === 'Literal') return text(String(node.value ?? ''));
    if (node.typename === 'FunCall') {
      const call = this.call(node);
      // {{ config(...) }}, {{ ref(...) }}: a helper call is a mustache of its own.
      return `{{${call}}}`;
    }
    const value = this.arg(node);
    return `{{${value.startsWith('(') ? value.slice(1, -1) : value}}}`;
  }

  private ifBlock(node: JinjaNode): string {
    const elseOf = (branch: JinjaNode) => (branch.else_ ? `{{else}}${this.nodes(branch.else_.children ?? [])}` : '');
    // {% if not x %} without elif reads best as {{#unless x}}.
    if (node.cond?.typename === 'Not' && node.else_?.typename !== 'If') {
      return `{{#unless ${this.arg(node.cond.target!)}}}${this.nodes(node.body?.children ?? [])}${elseOf(node)}{{/unless}}`;
    }
    let out = `{{#if ${this.arg(node.cond!)}}}${this.nodes(node.body?.children ?? [])}`;
    let branch = node;
    while (branch.else_?.typename === 'If') {
      branch = branch.else_;
      out += `{{else if ${this.arg(branch.cond!)}}}${this.nodes(branch.body?.children ?? [])}`;
    }
    return `${out}${elseOf(branch)}{{/if}}`;
  }

  private forBlock(node: JinjaNode): string {
    if (node.name?.typename !== 'Symbol')
      throw new Untranslatable('a for loop over several names (for k, v in …)', 'loop over one list: {{#each list as |item|}}');
    if (node.else_) throw new Untranslatable('{% for %} … {% else %}', 'write the empty case with {{#if list}} … {{else}} … {{/if}}');
    const list = this.arg(node.arr!);
    const name = String(node.name.value);
    this.scopes.push(new Map([[name, { kind: 'name', as: name }]]));
    this.loops++;
    try {
      return `{{#each ${list} as |${name}|}}${this.nodes(node.body?.children ?? [])}{{/each}}`;
    } finally {
      this.loops--;
      this.scopes.pop();
    }
  }

  /** `{% set x = literal %}` is inlined where x is used; anything computed cannot be. */
  private set(node: JinjaNode): string {
    const target = node.targets?.[0];
    if (!node.value || node.targets?.length !== 1 || target?.typename !== 'Symbol') {
      throw new Untranslatable('{% set %} of a block or of several names', 'inline the value where it is used, or pass it with {{var}}');
    }
    if (!isConstant(node.value as unknown as JinjaNode)) {
      throw new Untranslatable(
        `{% set ${String(target.value)} = … %} of a computed value`,
        'only literals and lists of literals can be set: write the value, or compute it in a JS helper',
      );
    }
    this.scopes[this.scopes.length - 1]!.set(String(target.value), { kind: 'value', node: node.value as unknown as JinjaNode });
    return '';
  }

  private macro(node: JinjaNode): string {
    const rawName = symbolName(node.name) ?? '';
    const kind = rawName.startsWith('__test__') ? 'test' : 'macro';
    const name = kind === 'test' ? rawName.slice('__test__'.length) : rawName;
    const params: TranslatedMacro['params'] = [];
    const scope = new Map<string, Binding>();
    for (const arg of node.args?.children ?? []) {
      if (arg.typename === 'Symbol') params.push({ name: String(arg.value) });
      else if (arg.typename === 'KeywordArgs') {
        for (const pair of arg.children ?? []) params.push({ name: String(pair.key?.value), default: this.arg(pair.value as unknown as JinjaNode) });
      }
    }
    for (const param of params) scope.set(param.name, { kind: 'name', as: param.name });
    this.scopes.push(scope);
    const problemsBefore = this.problems.length;
    try {
      const body = this.dispatcher(node, name) ?? this.nodes(node.body?.children ?? []);
      this.macros.push({ name, kind, params, body, line: node.lineno + 1 });
    } finally {
      this.scopes.pop();
    }
    if (this.problems.length > problemsBefore) {
      for (const problem of this.problems.slice(problemsBefore)) problem.construct = `${problem.construct} (in macro ${name})`;
    }
    return '';
  }

  /**
   * `{{ return(adapter.dispatch('m')(args)) }}`, dbt's cross-database macro: the implementations
   * the project defines (`duckdb__m`, `bigquery__m`, `default__m`) are chosen on target.type.
   */
  private dispatcher(node: JinjaNode, name: string): string | undefined {
    const outputs = (node.body?.children ?? []).filter(
      (c) => !(c.typename === 'Output' && c.children?.every((d) => d.typename === 'TemplateData' && String(d.value).trim() === '')),
    );
    const only = outputs.length === 1 ? outputs[0]!.children?.find((c) => c.typename !== 'TemplateData') : undefined;
    if (only?.typename !== 'FunCall' || symbolName(only.name) !== 'return') return undefined;
    // return(adapter.dispatch('m')(args)): a call of the call adapter.dispatch('m').
    const inner = only.args?.children?.[0];
    if (inner?.typename !== 'FunCall' || inner.name?.typename !== 'FunCall' || !isDispatch(inner.name.name)) return undefined;
    const args = this.callArgs(inner);
    const variants = [...this.options.projectMacros].filter((m) => m.endsWith(`__${name}`));
    const specific = variants.filter((m) => !m.startsWith('default__'));
    const fallback = variants.find((m) => m.startsWith('default__'));
    if (variants.length === 0)
      throw new Untranslatable(`adapter.dispatch('${name}') without implementations in the project`, `write ${name} for tsdbt's engines directly`);
    const call = (macro: string) => `{{${[macro, ...args].join(' ')}}}`;
    let out = '';
    specific.forEach((macro, i) => {
      const engine = macro.slice(0, -`__${name}`.length);
      out += `${i === 0 ? '{{#if' : '{{else if'} (eq @root.target.type "${engine}")}}${call(macro)}`;
    });
    if (specific.length === 0) return call(fallback!);
    return `${out}${fallback ? `{{else}}${call(fallback)}` : ''}{{/if}}`;
  }

  // ---- expressions ----

  /** A helper call without its braces: `ref "x"`, `config materialized="table"`. */
  private call(node: JinjaNode): string {
    const name = calleeName(node.name);
    if (name === undefined) {
      if (node.name?.typename === 'FunCall' && isDispatch(node.name.name)) {
        const target = node.name.args?.children?.[0];
        const macro = target?.typename === 'Literal' ? String(target.value) : undefined;
        if (macro && this.options.projectMacros.has(macro)) return [macro, ...this.callArgs(node)].join(' ');
      }
      throw new Untranslatable('a call tsdbt cannot name', 'call a macro of the project, or a tsdbt helper');
    }
    const args = this.callArgs(node);
    const { positional, keywords } = this.splitArgs(node);
    switch (name) {
      case 'ref': {
        if (keywords.has('version') || keywords.has('v')) {
          throw new Untranslatable(`ref(…, version=…)`, 'tsdbt has no model versions: ref the model by name');
        }
        return ['ref', ...positional].join(' ');
      }
      case 'source':
        return ['source', ...positional].join(' ');
      case 'var':
        return ['var', ...positional].join(' ');
      case 'env_var':
        return ['env', ...positional].join(' ');
      case 'config': {
        if (positional.length > 0) throw new Untranslatable('config(…) with positional arguments', 'write config(key=value, …)');
        return ['config', ...[...keywords].map(([k, v]) => `${k}=${v}`)].join(' ');
      }
      case 'is_incremental':
        return 'is_incremental';
      case 'return':
        throw new Untranslatable('return(…)', 'a macro that returns a value is logic: write it as a JS helper in macros/*.mjs');
    }
    const bare = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
    const namespace = name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : undefined;
    if (NEEDS_A_QUERY.has(bare)) {
      throw new Untranslatable(
        `${name}(…)`,
        'it queries the warehouse while compiling, which tsdbt never does: write the values (or keep them in a seed and join it)',
      );
    }
    if (namespace === undefined && this.options.projectMacros.has(bare)) return [bare, ...args].join(' ');
    const mapped = PACKAGE_CALLS[bare];
    if (mapped && (namespace === undefined || ['dbt_utils', 'dbt', 'dbt_date', 'dbt_expectations'].includes(namespace))) return mapped(positional, keywords);
    throw new Untranslatable(
      `${name}(…)`,
      namespace ? `${namespace} is not available in tsdbt: write the SQL it generates` : `no macro or helper "${name}": write it as a macro in macros/`,
    );
  }

  private splitArgs(node: JinjaNode): { positional: string[]; keywords: Map<string, string> } {
    const positional: string[] = [];
    const keywords = new Map<string, string>();
    for (const arg of node.args?.children ?? []) {
      if (arg.typename === 'KeywordArgs') {
        for (const pair of arg.children ?? []) keywords.set(String(pair.key?.value), this.arg(pair.value as unknown as JinjaNode));
      } else positional.push(this.arg(arg));
    }
    return { positional, keywords };
  }

  /** Arguments as Handlebars writes them: positional ones, then key=value. */
  private callArgs(node: JinjaNode): string[] {
    const { positional, keywords } = this.splitArgs(node);
    return [...positional, ...[...keywords].map(([k, v]) => `${k}=${v}`)];
  }

  /** One Handlebars argument: a literal, a path, or a (sub expression). */
  private arg(node: JinjaNode): string {
    switch (node.typename) {
      case 'Literal':
        return literal(node.value);
      case 'Symbol':
        return this.symbol(String(node.value));
      case 'LookupVal':
        return this.lookup(node);
      case 'FunCall':
        return `(${this.call(node)})`;
      case 'Array':
        return `(list${(node.children ?? []).map((c) => ` ${this.arg(c)}`).join('')})`;
      case 'Dict':
        return `(dict${(node.children ?? []).map((pair) => ` ${dictKey(pair.key!)}=${this.arg(pair.value as unknown as JinjaNode)}`).join('')})`;
      case 'Group':
        return this.arg(node.children![0]!);
      case 'Concat':
        // Jinja's ~ joins texts: one (cat …) of every piece.
        return `(cat ${concatPieces(node)
          .map((piece) => this.arg(piece))
          .join(' ')})`;
      case 'Not':
        return `(not ${this.arg(node.target!)})`;
      case 'And':
        return `(and ${this.arg(node.left!)} ${this.arg(node.right!)})`;
      case 'Or':
        return `(or ${this.arg(node.left!)} ${this.arg(node.right!)})`;
      case 'Compare': {
        if (node.ops?.length !== 1) throw new Untranslatable('a chained comparison', 'split it with and');
        const op = COMPARISONS[node.ops[0]!.type];
        if (!op) throw new Untranslatable(`the comparison ${node.ops[0]!.type}`, 'compare with ==, !=, <, <=, > or >=');
        return `(${op} ${this.arg(node.expr!)} ${this.arg(node.ops[0]!.expr)})`;
      }
      case 'Filter':
        throw new Untranslatable(`the filter | ${symbolName(node.name) ?? ''}`, 'Jinja filters have no tsdbt equivalent: write the value, or a JS helper');
      default:
        throw new Untranslatable(`the expression ${node.typename}`, 'write the value, or compute it in a JS helper');
    }
  }

  private symbol(name: string): string {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const binding = this.scopes[i]!.get(name);
      if (binding?.kind === 'name') return binding.as;
      if (binding?.kind === 'value') return this.arg(binding.node);
    }
    if (name === 'this') return this.loops > 0 ? '@root' : 'this';
    if (name === 'True' || name === 'true') return 'true';
    if (name === 'False' || name === 'false') return 'false';
    if (name === 'None' || name === 'none') return 'null';
    if (name === 'is_incremental') return 'is_incremental';
    throw new Untranslatable(
      `the variable ${name}`,
      `tsdbt templates have no variable "${name}": use {{var "${name}"}} (vars: in project.yml) or a macro parameter`,
    );
  }

  private lookup(node: JinjaNode): string {
    const path = lookupPath(node);
    if (!path) throw new Untranslatable('a computed lookup (x[y])', 'write the value');
    const [head, ...rest] = path;
    if (head === 'loop' && rest.length === 1) {
      const loop = { last: '@last', first: '@first', index0: '@index' }[rest[0]!];
      if (loop) return loop;
      throw new Untranslatable(`loop.${rest[0]}`, 'use @index (from 0), @first or @last');
    }
    if (head === 'target' && rest.length === 1) return `${this.loops > 0 ? '@root.' : ''}target.${rest[0]}`;
    throw new Untranslatable(
      path.join('.'),
      head === 'this' ? 'tsdbt renders {{this}} as the whole relation name' : `no value ${path.join('.')} in tsdbt templates`,
    );
  }
}

const COMPARISONS: Record<string, string> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };

/** SQL text between tags, with what Handlebars would read as its own syntax escaped. */
function text(value: string): string {
  return value.replace(/\{\{/g, '\\{{');
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (value === null || value === undefined) return 'null';
  return String(value);
}

function dictKey(key: JinjaNode): string {
  const name = String(key.value);
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new Untranslatable(`the dictionary key "${name}"`, 'keys must be simple names');
  return name;
}

function symbolName(node: JinjaNode | undefined): string | undefined {
  return node?.typename === 'Symbol' ? String(node.value) : undefined;
}

/** `dbt_utils.star` → "dbt_utils.star"; undefined for a call of a call. */
function calleeName(node: JinjaNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.typename === 'Symbol') return String(node.value);
  if (node.typename === 'LookupVal') return lookupPath(node)?.join('.');
  return undefined;
}

function lookupPath(node: JinjaNode): string[] | undefined {
  if (node.typename === 'Symbol') return [String(node.value)];
  if (node.typename !== 'LookupVal') return undefined;
  const head = lookupPath(node.target!);
  const key = node.val?.typename === 'Literal' ? String(node.val.value) : undefined;
  return head && key !== undefined ? [...head, key] : undefined;
}

function isDispatch(node: JinjaNode | undefined): boolean {
  return node !== undefined && calleeName(node) === 'adapter.dispatch';
}

function concatPieces(node: JinjaNode): JinjaNode[] {
  return node.typename === 'Concat' ? [...concatPieces(node.left!), ...concatPieces(node.right!)] : [node];
}

function isConstant(node: JinjaNode): boolean {
  if (node.typename === 'Literal') return true;
  if (node.typename === 'Array') return (node.children ?? []).every(isConstant);
  return false;
}
