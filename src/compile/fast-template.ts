import type { HelperDelegate } from 'handlebars';
import type { RenderedText } from './line-map.js';

/**
 * Most models use only plain mustaches such as `{{ref "x"}}` or `{{config materialized="table"}}`.
 * Handlebars compiles every template to a JavaScript function, which dominates parse time on
 * large projects. Templates made only of such mustaches are evaluated here directly, with the
 * same helpers and the same output; anything else (blocks, partials, comments, whitespace
 * control, sub-expressions, escapes) goes to Handlebars.
 */

type Literal = string | number | boolean | null | undefined;
type Argument = { literal: Literal } | { path: string[] };

interface Mustache {
  name: string;
  args: Argument[];
  hash: Record<string, Argument>;
  line: number;
  column: number;
}

/** Literal template text and the template line it starts on. */
interface Text {
  text: string;
  line: number;
}

export type FastTemplate = Array<Text | Mustache>;

const UNSUPPORTED = /\{\{\{|\{\{[#/>!^~&]|\{\{\s*else\b|~\}\}|\\\{\{|\{\{\s*\(/;
const MUSTACHE = /\{\{([^{}]*)\}\}/g;
const TOKEN =
  /\s*(?:([A-Za-z_][\w-]*)=)?(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)(?![\w.])|(true|false|null|undefined)(?![\w.])|([A-Za-z_@][\w-]*(?:\.[A-Za-z_][\w-]*)*))/y;

/** Parses a template into text and mustaches, or returns undefined when it needs Handlebars. */
export function parseFastTemplate(source: string): FastTemplate | undefined {
  if (UNSUPPORTED.test(source)) return undefined;
  const parts: FastTemplate = [];
  let last = 0;
  let lastLine = 1;
  let lineStart = 0;
  let line = 1;
  let scanned = 0;
  for (const match of source.matchAll(MUSTACHE)) {
    const index = match.index!;
    for (; scanned < index; scanned++) {
      if (source.charCodeAt(scanned) === 10) {
        line++;
        lineStart = scanned + 1;
      }
    }
    const mustache = parseMustache(match[1]!, line, index - lineStart);
    if (!mustache) return undefined;
    if (index > last) parts.push({ text: source.slice(last, index), line: lastLine });
    parts.push(mustache);
    last = index + match[0].length;
    lastLine = line + newlines(match[0]);
  }
  // A stray "{{" or "}}" outside a complete mustache is a syntax error Handlebars reports best.
  const rest = source.slice(last);
  if (rest.includes('{{') || parts.some((p) => 'text' in p && p.text.includes('{{'))) return undefined;
  if (rest) parts.push({ text: rest, line: lastLine });
  return parts;
}

function parseMustache(body: string, line: number, column: number): Mustache | undefined {
  TOKEN.lastIndex = 0;
  const tokens: Array<{ key?: string; arg: Argument }> = [];
  while (TOKEN.lastIndex < body.length) {
    if (/^\s*$/.test(body.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(body);
    if (!m || m.index !== at) return undefined;
    const [, key, dq, sq, num, keyword, path] = m;
    let arg: Argument;
    if (dq !== undefined) arg = { literal: unescapeLiteral(dq) };
    else if (sq !== undefined) arg = { literal: unescapeLiteral(sq) };
    else if (num !== undefined) arg = { literal: Number(num) };
    else if (keyword !== undefined) arg = { literal: keyword === 'true' ? true : keyword === 'false' ? false : keyword === 'null' ? null : undefined };
    else if (path !== undefined && !path.startsWith('@')) arg = { path: path.split('.') };
    else return undefined;
    tokens.push({ key, arg });
  }
  const [head, ...rest] = tokens;
  if (!head || head.key || !('path' in head.arg)) return undefined;
  const hash: Record<string, Argument> = {};
  const args: Argument[] = [];
  for (const token of rest) {
    if (token.key) hash[token.key] = token.arg;
    else if (Object.keys(hash).length > 0) return undefined;
    else args.push(token.arg);
  }
  return { name: head.arg.path.join('.'), args, hash, line, column };
}

function unescapeLiteral(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

export interface FastRenderEnvironment {
  helpers: Record<string, HelperDelegate>;
  /** Called for a name that is neither a helper nor in the context (Handlebars' strict mode). */
  unknownName(name: string, line: number, column: number): Error;
}

/** The rendered text, and the template line each output line starts on. */
export function renderFastTemplate(template: FastTemplate, env: FastRenderEnvironment, context: object): RenderedText {
  let text = '';
  const origins = [template[0]?.line ?? 1];
  for (const part of template) {
    if ('text' in part) {
      // After the k-th newline of literal text, output is on the text's k-th next line.
      let line = part.line;
      for (let i = part.text.indexOf('\n'); i >= 0; i = part.text.indexOf('\n', i + 1)) origins.push(++line);
      text += part.text;
      continue;
    }
    const value = evaluate(part, env, context);
    if (value === undefined || value === null) continue;
    const output = String(value);
    // Lines a helper's output adds all come from the helper's own line.
    for (let i = output.indexOf('\n'); i >= 0; i = output.indexOf('\n', i + 1)) origins.push(part.line);
    text += output;
  }
  return { text, origins };
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function evaluate(m: Mustache, env: FastRenderEnvironment, context: object): unknown {
  const resolve = (arg: Argument): unknown => ('literal' in arg ? arg.literal : lookup(arg.path, m, env, context));
  const call = (helper: unknown) => {
    const hash: Record<string, unknown> = {};
    for (const [key, arg] of Object.entries(m.hash)) hash[key] = resolve(arg);
    const options = { hash, name: m.name, loc: { start: { line: m.line, column: m.column }, end: { line: m.line, column: m.column } }, data: {} };
    return (helper as (...a: unknown[]) => unknown).call(context, ...m.args.map(resolve), options);
  };
  const helper = m.name.includes('.') ? undefined : env.helpers[m.name];
  if (helper && !(m.name in HANDLEBARS_BUILTIN_BLOCKS)) return call(helper);
  const value = lookup(m.name === 'this' ? ['this'] : m.name.split('.'), m, env, context);
  // A function on a path (a package's macro, {{package.macro "x"}}) is called as a helper.
  if (typeof value === 'function') return call(value);
  if (m.args.length > 0 || Object.keys(m.hash).length > 0) throw env.unknownName(m.name, m.line, m.column);
  return value;
}

function lookup(path: string[], m: Mustache, env: FastRenderEnvironment, context: object): unknown {
  let value: unknown = context;
  for (const [i, segment] of path.entries()) {
    if (i === 0 && segment === 'this') continue;
    if (!hasField(value, segment)) throw env.unknownName(path.join('.'), m.line, m.column);
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

// Own fields and those of scope objects layered with Object.create, never Object.prototype's.
function hasField(value: unknown, key: string): boolean {
  for (let scope = value; scope !== null && typeof scope === 'object' && scope !== Object.prototype; scope = Object.getPrototypeOf(scope)) {
    if (Object.hasOwn(scope, key)) return true;
  }
  return false;
}

// Block helpers used as plain mustaches behave differently in Handlebars: leave them to it.
const HANDLEBARS_BUILTIN_BLOCKS = { if: 1, unless: 1, each: 1, with: 1, log: 1, lookup: 1, blockHelperMissing: 1, helperMissing: 1 };
