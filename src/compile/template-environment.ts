import Handlebars from 'handlebars';
import { pathToFileURL } from 'node:url';
import { formatLocation, TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { codeFrame } from '../errors/code-frame.js';
import type { MacroFile } from '../project/types.js';
import { parseFastTemplate, renderFastTemplate, type FastRenderEnvironment, type FastTemplate } from './fast-template.js';
import { markLines, readMarkedLines, type RenderedText } from './line-map.js';
import { declaredParams } from './macro-params.js';
import { checkSqlMacro, guardHelperOutput, jsModuleError, stackLocation } from './macro-checks.js';
import { templateError } from './template-errors.js';
import { DATE_PARTS, PORTABLE_TYPES, type CrossDialectRenderings, type Dialect } from './dialect.js';

/** A template ready to render: the fast path's parts, or a Handlebars function. */
export interface CompiledTemplate {
  fast?: FastTemplate;
  handlebars?: Handlebars.TemplateDelegate;
}

type HelperOptions = Handlebars.HelperOptions & { loc?: { start: { line: number; column: number } }; name?: string };

export interface TemplateLocation {
  line: number;
  column: number;
}

/** What one render of one template records: its references and config. */
export interface RenderState {
  nodeId: string;
  file: string;
  source: string;
  refs: Array<{ name: string; location?: TemplateLocation }>;
  sources: Array<{ sourceName: string; tableName: string; location?: TemplateLocation }>;
  macros: Set<string>;
  config: Record<string, unknown>;
  /** Where each `{{config}}` key was written, for compile errors about it. */
  configLocations: Record<string, TemplateLocation>;
  isIncremental: boolean;
  /** Variables that win over project and --vars ones (unit test overrides). */
  vars?: Record<string, unknown>;
}

/** A fresh state for one render of the template `source` of `file`. */
export function newRenderState(
  nodeId: string,
  file: string,
  source: string,
  overrides: { isIncremental?: boolean; vars?: Record<string, unknown> } = {},
): RenderState {
  return {
    nodeId,
    file,
    source,
    refs: [],
    sources: [],
    macros: new Set(),
    config: {},
    configLocations: {},
    isIncremental: overrides.isIncremental ?? false,
    vars: overrides.vars,
  };
}

/** How a render records the macro it used: `name`, or `package.name` for a package's. */
function macroId(macro: MacroFile): string {
  return macro.namespace ? `${macro.namespace}.${macro.name}` : macro.name;
}

/**
 * Where each `key=` of the `{{config}}` call at `call` is written in `source`, so that an error
 * about a key points at the key. Handlebars only locates the call; a key not found in the call's
 * text (a call from inside a macro's file) keeps the call's location.
 */
function keyLocations(source: string, call: TemplateLocation, keys: readonly string[]): Record<string, TemplateLocation> {
  let lineStart = 0;
  for (let line = 1; line < call.line && lineStart >= 0; line++) lineStart = source.indexOf('\n', lineStart) + 1 || -1;
  const start = lineStart + call.column - 1;
  const end = source.indexOf('}}', start);
  const text = lineStart >= 0 && source.startsWith('{{', start) && end > start ? source.slice(start, end) : '';
  const located: Record<string, TemplateLocation> = {};
  for (const key of keys) {
    const match = new RegExp(`(^|[\\s({])${key.replace(/[^\w]/g, '\\$&')}\\s*=`).exec(text);
    if (!match) {
      located[key] = call;
      continue;
    }
    // Keys of a call spread over lines: count the newlines between the call and its key.
    const keyAt = match.index + match[1]!.length;
    const lines = text.slice(0, keyAt).split('\n');
    const column = lines.length === 1 ? call.column + keyAt : lines[lines.length - 1]!.length + 1;
    located[key] = { line: call.line + lines.length - 1, column };
  }
  return located;
}

export interface TemplateContextInput {
  target: Record<string, unknown>;
  vars: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
}

// Placeholders stand in for relations until every model's config (schema, alias) is known.
export const PLACEHOLDER = /\u0000(ref|src|this):?([^\u0000]*)\u0000/g;
export const refPlaceholder = (name: string) => `\u0000ref:${name}\u0000`;
export const sourcePlaceholder = (source: string, table: string) => `\u0000src:${source}.${table}\u0000`;
const THIS_PLACEHOLDER = '\u0000this\u0000';

/** Writes line markers into every text node of a template (see line-map.ts). */
function markContent(node: hbs.AST.Node | undefined | null): void {
  if (!node) return;
  if (node.type === 'Program') {
    for (const statement of (node as hbs.AST.Program).body) markContent(statement);
  } else if (node.type === 'ContentStatement') {
    const content = node as hbs.AST.ContentStatement;
    content.value = markLines(content.value, content.loc.start.line);
  } else if ('program' in node) {
    const block = node as hbs.AST.BlockStatement;
    markContent(block.program);
    markContent(block.inverse);
  }
}

/**
 * The Handlebars environment models are rendered in: tsdbt's helpers, the dialect's
 * cross-dialect helpers and the project's macros. Rendering is synchronous, so the node
 * being rendered is held in `state` while its template runs.
 */
export class TemplateEnvironment {
  private readonly handlebars = Handlebars.create();
  private state: RenderState | undefined;
  /** Packages' macros by package: the objects {{package.macro}} finds on the context. */
  private readonly namespaces = new Map<string, Record<string, (...args: unknown[]) => unknown>>();
  /** SQL macros that could not be registered, by name: a call to one says so. */
  private readonly brokenMacros = new Map<string, string>();
  /** SQL macros being rendered, innermost last. */
  private readonly frames: Array<{ file: string; source: string }> = [];
  private readonly context: Record<string, unknown>;

  constructor(
    private readonly input: TemplateContextInput,
    readonly dialect: Dialect,
  ) {
    // `{{this}}` renders the context object itself, so the context stringifies to the node's relation.
    this.context = Object.create({ toString: () => THIS_PLACEHOLDER }, { target: { value: input.target, enumerable: true } });
    this.registerBuiltins();
    this.registerCrossDialect(dialect.renderings);
    this.fastEnvironment = {
      helpers: this.handlebars.helpers,
      unknownName: (name, line, column) => this.unknownName(name, line, column),
    };
  }

  compile(source: string): CompiledTemplate {
    const fast = parseFastTemplate(source);
    if (fast) return { fast };
    // Line markers go into the template's text before Handlebars applies its whitespace control.
    const ast = this.handlebars.parseWithoutProcessing(source);
    markContent(ast);
    return { handlebars: this.handlebars.compile(ast, { noEscape: true, strict: true }) };
  }

  /** Renders a template for one node; `locals` are extra names in scope (generic test arguments). */
  render(template: CompiledTemplate, state: RenderState, locals?: Record<string, unknown>): RenderedText {
    this.state = state;
    const context = locals ? this.scopeWith(locals) : this.context;
    try {
      if (template.fast) return renderFastTemplate(template.fast, this.fastEnvironment, context);
      return readMarkedLines(template.handlebars!(context, { allowProtoPropertiesByDefault: false }));
    } finally {
      this.state = undefined;
    }
  }

  private readonly fastEnvironment: FastRenderEnvironment;

  /**
   * The context with extra names (a macro's parameters, a generic test's arguments). It renders as
   * {{this}} still; target is an own property again, since Handlebars reads no inherited ones.
   */
  private scopeWith(locals: Record<string, unknown>): object {
    const own: PropertyDescriptorMap = { target: { value: this.input.target, enumerable: true } };
    for (const [name, namespace] of this.namespaces) own[name] = { value: namespace, enumerable: true };
    return Object.assign(Object.create(this.context, own) as object, locals);
  }

  private unknownName(name: string, line: number, column: number): TsdbtError {
    const state = this.state;
    return new TsdbtError(`unknown name "${name}" in template`, {
      code: 'E_TEMPLATE_UNKNOWN_NAME',
      kind: 'project',
      nodeId: state?.nodeId,
      location: { file: state?.file ?? '', line, column: column + 1 },
      frame: state ? codeFrame(state.source, line, column + 1) : undefined,
      hint: this.brokenMacros.has(name)
        ? `the macro "${name}" of ${this.brokenMacros.get(name)} has an error of its own (reported with it): fix it first`
        : `{{${name}}} is neither a helper nor a variable: check the spelling, or use {{var "${name}"}} for a project variable`,
    });
  }

  /**
   * Registers the project's macros. Every SQL macro is parsed now, used or not; a macro may not
   * take the name of a built-in helper or of another macro.
   */
  async registerMacros(macros: MacroFile[]): Promise<TsdbtError[]> {
    const errors: TsdbtError[] = [];
    const builtIn = new Set(Object.keys(this.handlebars.helpers));
    const definedIn = new Map<string, string>();
    const claim = (bare: string, macro: MacroFile): boolean => {
      const name = macro.namespace ? `${macro.namespace}.${bare}` : bare;
      const clash =
        !macro.namespace && builtIn.has(name)
          ? `the built-in helper "${name}"`
          : definedIn.has(name)
            ? `the macro "${name}" of ${definedIn.get(name)}`
            : undefined;
      if (clash) {
        errors.push(
          new TsdbtError(`${macro.originalFilePath} defines "${name}", which would replace ${clash}`, {
            code: 'E_MACRO_NAME',
            kind: 'project',
            location: { file: macro.originalFilePath },
            hint: macro.kind === 'sql' ? 'rename the file: a SQL macro is named after it' : `rename the exported function "${bare}"`,
          }),
        );
        return false;
      }
      definedIn.set(name, macro.originalFilePath);
      return true;
    };
    for (const macro of macros) {
      if (macro.kind === 'sql') {
        const problem = checkSqlMacro(macro);
        if (problem) {
          errors.push(problem);
          this.brokenMacros.set(macro.name, macro.originalFilePath);
        } else if (claim(macro.name, macro)) this.registerSqlMacro(macro);
        continue;
      }
      let module: Record<string, unknown>;
      try {
        module = (await import(pathToFileURL(macro.absolutePath).href)) as Record<string, unknown>;
      } catch (cause) {
        errors.push(jsModuleError(macro, cause));
        continue;
      }
      for (const [name, value] of Object.entries(module)) {
        if (typeof value === 'function' && claim(name, macro)) this.registerHelper(name, value as (...args: unknown[]) => unknown, macro);
      }
    }
    return errors;
  }

  private registerSqlMacro(macro: MacroFile): void {
    // {{!-- params: column, decimals=2 --}} on the first line names positional parameters.
    const params = declaredParams(macro.rawCode);
    let template: Handlebars.TemplateDelegate | undefined;
    if (!macro.namespace) this.handlebars.registerPartial(macro.name, macro.rawCode);
    this.define(macro, macro.name, (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const locals: Record<string, unknown> = {};
      params.forEach((param, i) => {
        if (i < args.length) locals[param.name] = args[i];
        else if ('default' in param) locals[param.name] = param.default;
      });
      this.state?.macros.add(macroId(macro));
      template ??= this.handlebars.compile(macro.rawCode, { noEscape: true, strict: true });
      const scope = this.scopeWith({ ...locals, ...options.hash });
      const caller = this.location(options);
      // Errors inside the macro point at the macro's own file and line, then say who called it.
      this.frames.push({ file: macro.originalFilePath, source: macro.rawCode });
      try {
        return template(scope).trim();
      } catch (error) {
        const inMacro = templateError(error, macro.originalFilePath, macro.rawCode, this.state?.nodeId);
        if (inMacro.location?.file !== macro.originalFilePath) throw inMacro;
        throw new TsdbtError(`${inMacro.message} (in macro "${macro.name}", called at ${formatLocation(caller)})`, {
          code: inMacro.code,
          kind: inMacro.kind,
          nodeId: inMacro.nodeId,
          location: inMacro.location,
          frame: inMacro.frame,
          hint: inMacro.hint,
          cause: error,
        });
      } finally {
        this.frames.pop();
      }
    });
  }

  /** A project JS helper: its failures name its own file and line, and its result must be text. */
  /**
   * A project macro is a helper ({{name}}); a package's lives in its namespace, called
   * {{package.name}} as dbt calls dbt_utils.star (Handlebars calls functions found on a path).
   */
  private define(macro: MacroFile, name: string, helper: (...args: unknown[]) => unknown): void {
    if (!macro.namespace) {
      this.handlebars.registerHelper(name, helper);
      return;
    }
    let namespace = this.namespaces.get(macro.namespace);
    if (!namespace) {
      namespace = {};
      this.namespaces.set(macro.namespace, namespace);
      Object.defineProperty(this.context, macro.namespace, { value: namespace, enumerable: true });
    }
    namespace[name] = helper;
  }

  private registerHelper(name: string, fn: (...args: unknown[]) => unknown, macro: MacroFile): void {
    const env = this;
    this.define(macro, name, function (this: unknown, ...args: unknown[]) {
      env.state?.macros.add(macroId(macro));
      const options = args[args.length - 1] as HelperOptions;
      let value: unknown;
      try {
        value = fn.apply(this, args);
      } catch (error) {
        if (error instanceof TsdbtError) throw error;
        const own = stackLocation(error, macro);
        throw env.usageError(
          options,
          `helper "${name}" failed: ${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)} (${own ? formatLocation(own) : macro.originalFilePath})`,
          `fix the helper in ${macro.originalFilePath}, or the arguments it is called with here`,
          'E_HELPER_FAILED',
        );
      }
      return guardHelperOutput(value, (kind) =>
        env.usageError(
          options,
          `helper "${name}" (${macro.originalFilePath}) returned ${kind}, which cannot be written into SQL`,
          kind === 'an array'
            ? 'return text, e.g. items.join(", "); an array can go to {{#each}} or to another helper'
            : 'return text, a number or a boolean; objects can only be arguments of other helpers or of {{#each}}',
          'E_HELPER_OUTPUT',
        ),
      );
    });
  }

  private current(): RenderState {
    if (!this.state) throw new Error('template helper called outside a render');
    return this.state;
  }

  /** The template being run: a SQL macro's while its body renders, else the node's. */
  private template(): { file: string; source: string } | undefined {
    return this.frames[this.frames.length - 1] ?? this.state;
  }

  private location(options: HelperOptions): SourceLocation {
    const start = options.loc?.start;
    return { file: this.template()?.file ?? '', line: start?.line, column: start ? start.column + 1 : undefined };
  }

  private usageError(options: HelperOptions, message: string, hint: string, code = 'E_HELPER_USAGE'): TsdbtError {
    const location = this.location(options);
    const template = this.template();
    return new TsdbtError(message, {
      code,
      kind: 'project',
      nodeId: this.state?.nodeId,
      location,
      frame: template && location.line ? codeFrame(template.source, location.line, location.column) : undefined,
      hint,
    });
  }

  private registerBuiltins(): void {
    const h = this.handlebars;
    const loc = (options: HelperOptions): TemplateLocation | undefined =>
      options.loc ? { line: options.loc.start.line, column: options.loc.start.column + 1 } : undefined;

    h.registerHelper('ref', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const names = args.map(String);
      if (names.length < 1 || names.length > 2) {
        throw this.usageError(options, `ref takes a model name, got ${names.length} arguments`, 'write {{ref "model_name"}}');
      }
      const name = names[names.length - 1]!;
      this.current().refs.push({ name, location: loc(options) });
      return refPlaceholder(name);
    });

    h.registerHelper('source', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      if (args.length !== 2) {
        throw this.usageError(
          options,
          `source takes a source name and a table name, got ${args.length} arguments`,
          'write {{source "source_name" "table_name"}}',
        );
      }
      const [sourceName, tableName] = args.map(String) as [string, string];
      this.current().sources.push({ sourceName, tableName, location: loc(options) });
      return sourcePlaceholder(sourceName, tableName);
    });

    h.registerHelper('config', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      if (args.length > 0) {
        throw this.usageError(options, 'config takes key=value pairs, not positional arguments', 'write {{config materialized="table" schema="gold"}}');
      }
      const state = this.current();
      Object.assign(state.config, options.hash);
      const at = loc(options);
      if (at) Object.assign(state.configLocations, keyLocations(state.source, at, Object.keys(options.hash)));
      return '';
    });

    h.registerHelper('var', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const name = String(args[0]);
      const overrides = this.current().vars;
      if (overrides && Object.hasOwn(overrides, name)) return overrides[name];
      if (Object.hasOwn(this.input.vars, name)) return this.input.vars[name];
      if (args.length > 1) return args[1];
      throw this.usageError(
        options,
        `required var "${name}" is not set`,
        `define it under vars: in project.yml, pass --vars '{${name}: ...}', or give a default: {{var "${name}" default}}`,
        'E_VAR_MISSING',
      );
    });

    h.registerHelper('env', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const name = String(args[0]);
      const value = this.input.env[name];
      if (value !== undefined && value !== '') return value;
      if (args.length > 1) return args[1];
      throw this.usageError(
        options,
        `environment variable ${name} is not set`,
        `export ${name}=... or give a default: {{env "${name}" "default"}}`,
        'E_ENV_MISSING',
      );
    });

    h.registerHelper('is_incremental', () => this.current().isIncremental);
    this.registerLogic();

    h.registerHelper('quote', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      if (args.length !== 1) throw this.usageError(options, `quote takes one identifier, got ${args.length} arguments`, 'write {{quote "Column name"}}');
      return this.dialect.quoteIdentifier(String(args[0]));
    });
  }

  /**
   * Values and conditions for templates (what `tsdbt import dbt` writes for Jinja's lists, dicts,
   * comparisons and boolean operators): {{#if (eq target.name "prod")}}, (list "a" "b").
   */
  private registerLogic(): void {
    const h = this.handlebars;
    const values = (args: unknown[]) => args.slice(0, -1);
    const compare = (name: string, test: (a: never, b: never) => boolean) =>
      h.registerHelper(name, (...args: unknown[]) => {
        const options = args[args.length - 1] as HelperOptions;
        const [a, b, ...extra] = values(args);
        if (extra.length > 0 || args.length < 3) throw this.usageError(options, `${name} compares two values, got ${args.length - 1}`, `write (${name} a b)`);
        return test(a as never, b as never);
      });
    compare('eq', (a, b) => a === b);
    compare('ne', (a, b) => a !== b);
    compare('lt', (a, b) => a < b);
    compare('lte', (a, b) => a <= b);
    compare('gt', (a, b) => a > b);
    compare('gte', (a, b) => a >= b);
    h.registerHelper('and', (...args: unknown[]) => values(args).every(Boolean));
    h.registerHelper('or', (...args: unknown[]) => values(args).some(Boolean));
    h.registerHelper('not', (...args: unknown[]) => !values(args)[0]);
    h.registerHelper('list', (...args: unknown[]) => values(args));
    // Text joined while compiling (Jinja's ~): {{cast (cat "trim(" col ")") "float"}}.
    h.registerHelper('cat', (...args: unknown[]) => values(args).map(String).join(''));
    h.registerHelper('dict', (...args: unknown[]) => ({ ...(args[args.length - 1] as HelperOptions).hash }));
  }

  private registerCrossDialect(r: CrossDialectRenderings): void {
    const part = (options: HelperOptions, value: unknown, extra: string[] = []): never | string => {
      const p = String(value).toLowerCase();
      if (![...DATE_PARTS, ...extra].includes(p)) {
        throw this.usageError(options, `unknown date part "${String(value)}"`, `use one of: ${[...DATE_PARTS, ...extra].join(', ')}`);
      }
      return p;
    };
    const type = (options: HelperOptions, value: unknown) => {
      const t = String(value).toLowerCase();
      if (!PORTABLE_TYPES.includes(t as never)) {
        throw this.usageError(options, `unknown portable type "${String(value)}"`, `use one of: ${PORTABLE_TYPES.join(', ')}`);
      }
      return t as (typeof PORTABLE_TYPES)[number];
    };
    const define = (name: string, arity: number, usage: string, render: (options: HelperOptions, args: string[]) => string) => {
      this.handlebars.registerHelper(name, (...args: unknown[]) => {
        const options = args.pop() as HelperOptions;
        if (arity >= 0 && args.length !== arity) {
          throw this.usageError(options, `${name} takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`, `write ${usage}`);
        }
        return render(options, args.map(String));
      });
    };
    define('type', 1, '{{type "float"}}', (o, [t]) => r.type(type(o, t)));
    define('cast', 2, '{{cast "expr" "float"}}', (o, [e, t]) => r.cast(e!, type(o, t)));
    define('safe_cast', 2, '{{safe_cast "expr" "float"}}', (o, [e, t]) => r.safe_cast(e!, type(o, t)));
    define('safe_divide', 2, '{{safe_divide "numerator" "denominator"}}', (_o, [a, b]) => r.safe_divide(a!, b!));
    define('date_trunc', 2, '{{date_trunc "day" "expr"}}', (o, [p, e]) => r.date_trunc(part(o, p) as never, e!));
    define('dateadd', 3, '{{dateadd "minute" 15 "expr"}}', (o, [p, n, e]) => r.dateadd(part(o, p) as never, n!, e!));
    define('datediff', 3, '{{datediff "minute" "start" "end"}}', (o, [p, a, b]) => r.datediff(part(o, p) as never, a!, b!));
    define('extract', 2, '{{extract "hour" "expr"}}', (o, [p, e]) => r.extract(part(o, p, ['dow', 'isodow', 'doy', 'epoch']) as never, e!));
    define('parse_timestamp', 2, '{{parse_timestamp "expr" "%Y-%m-%d %H:%M"}}', (_o, [e, f]) => r.parse_timestamp(e!, f!));
    define('to_utc', 2, '{{to_utc "local_ts" "Europe/Paris"}}', (_o, [e, z]) => r.to_utc(e!, z!));
    define('from_utc', 2, '{{from_utc "utc_ts" "Europe/Paris"}}', (_o, [e, z]) => r.from_utc(e!, z!));
    define('current_timestamp', 0, '{{current_timestamp}}', () => r.current_timestamp());
    define('string_agg', 2, `{{string_agg "expr" "', '"}}`, (_o, [e, s]) => r.string_agg(e!, s!));
    define('concat', -1, '{{concat "a" "b"}}', (_o, parts) => r.concat(parts));
    define('greatest', -1, '{{greatest "a" "b"}}', (_o, parts) => r.greatest(parts));
    define('least', -1, '{{least "a" "b"}}', (_o, parts) => r.least(parts));
    define('hash', -1, '{{hash "a" "b"}}', (_o, parts) => r.hash(parts));
    define('generate_surrogate_key', -1, '{{generate_surrogate_key "a" "b"}}', (_o, fields) => r.surrogate_key(fields));
    define('date_spine', 3, '{{date_spine "day" "start" "end"}}', (o, [p, a, b]) => r.date_spine(part(o, p) as never, a!, b!));
    this.registerDbtUtils(r);
  }

  /** dbt_utils' SQL generators that need no query at compile time, for both engines. */
  private registerDbtUtils(r: CrossDialectRenderings): void {
    const h = this.handlebars;
    const { quoteIdentifier: q, literal } = this.dialect;
    const names = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
    h.registerHelper('star', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      if (args.length > 0)
        throw this.usageError(options, 'star takes except= and relation_alias=, not positional arguments', 'write {{star except=(list "a" "b")}}');
      const { except, relation_alias: alias, prefix, suffix } = options.hash as Record<string, unknown>;
      if (prefix !== undefined || suffix !== undefined) {
        throw this.usageError(
          options,
          'star with prefix or suffix needs the column names, which tsdbt does not read while compiling',
          'list the columns with their new names',
        );
      }
      return r.star_except(alias === undefined ? undefined : String(alias), names(except).map(q));
    });
    h.registerHelper('union_relations', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const relations = names(args[0]);
      if (relations.length < 2)
        throw this.usageError(options, 'union_relations takes a list of at least two relations', 'write {{union_relations (list (ref "a") (ref "b"))}}');
      // As dbt_utils: each row says which relation it came from.
      return relations.map((relation) => `SELECT ${literal(relation)} AS _dbt_source_relation, * FROM ${relation}`).join(`\n${r.union_by_name()}\n`);
    });
    h.registerHelper('pivot', (...args: unknown[]) => {
      const options = args.pop() as HelperOptions;
      const [column, values] = args;
      if (column === undefined || values === undefined)
        throw this.usageError(options, 'pivot takes a column and a list of values', 'write {{pivot "status" (list "open" "paid")}}');
      const o = {
        agg: 'sum',
        then_value: 1,
        else_value: 0,
        prefix: '',
        suffix: '',
        quote_identifiers: true,
        alias: true,
        cmp: '=',
        ...(options.hash as Record<string, unknown>),
      };
      return names(values)
        .map((value) => {
          const expression = `${String(o.agg)}(case when ${String(column)} ${String(o.cmp)} ${literal(value)} then ${String(o.then_value)} else ${String(o.else_value)} end)`;
          if (!o.alias) return expression;
          const name = `${String(o.prefix)}${value}${String(o.suffix)}`;
          return `${expression} as ${o.quote_identifiers ? q(name) : name.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`;
        })
        .join(',\n  ');
    });
  }
}
