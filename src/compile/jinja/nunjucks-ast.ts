import { createRequire } from 'node:module';

/**
 * nunjucks reads Jinja2's syntax (whitespace control, macros with defaults, keyword arguments,
 * if/elif/for/set, filters) and says where each node starts: tsdbt only uses its parser, never
 * its renderer. Its parser module is untyped: these are the node shapes tsdbt reads.
 */
export interface JinjaNode {
  typename: string;
  lineno: number;
  colno: number;
  value?: unknown;
  children?: JinjaNode[];
  // Named fields of the node kinds tsdbt translates.
  name?: JinjaNode;
  args?: JinjaNode;
  body?: JinjaNode;
  cond?: JinjaNode;
  else_?: JinjaNode | null;
  arr?: JinjaNode;
  target?: JinjaNode;
  val?: JinjaNode;
  left?: JinjaNode;
  right?: JinjaNode;
  expr?: JinjaNode;
  ops?: Array<{ expr: JinjaNode; type: string }>;
  key?: JinjaNode;
  targets?: JinjaNode[];
}

const require = createRequire(import.meta.url);
const parser = require('nunjucks/src/parser.js') as { parse(source: string): JinjaNode };

/** The template's syntax tree; throws nunjucks' error (with its line and column) on a syntax error. */
export function parseJinja(source: string): JinjaNode {
  return parser.parse(source);
}
