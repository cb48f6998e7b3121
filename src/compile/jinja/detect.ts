import { codeFrame } from '../../errors/code-frame.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { handlebarsFor } from './to-handlebars.js';

/** The first Jinja construct of a template: a `{% … %}` tag, a `{# … #}` comment, or `{{ call(…) }}`. */
export interface JinjaFound {
  line: number;
  column: number;
  tag: string;
}

// `{%`, `{#` (not Handlebars' `{{#`), `{{ name(` (Handlebars writes `{{name (sub)}}`, with a
// space) and `{{ name | filter }}`: none of them is Handlebars.
const JINJA = /\{%|(?<!\{)\{#|\{\{-?\s*[A-Za-z_][\w.]*(?:\(|\s*\|)/g;
const CLOSERS: Record<string, string> = { '{%': '%}', '{#': '#}', '{{': '}}' };

export function findJinja(source: string): JinjaFound | undefined {
  JINJA.lastIndex = 0;
  const match = JINJA.exec(source);
  if (!match) return undefined;
  const close = source.indexOf(CLOSERS[match[0].slice(0, 2)]!, match.index);
  const tag = source.slice(match.index, close < 0 ? source.indexOf('\n', match.index) >>> 0 : close + 2);
  const before = source.slice(0, match.index);
  return { line: before.split('\n').length, column: match.index - before.lastIndexOf('\n'), tag };
}

const BLOCK_ENDS: Record<string, string> = { if: '{% endif %}', for: '{% endfor %}', macro: '{% endmacro %}' };

/** The Handlebars to write instead of a Jinja tag, when it has one. */
export function handlebarsEquivalent(tag: string): string | undefined {
  const keyword = /^\{%-?\s*(\w+)/.exec(tag)?.[1];
  if (keyword === 'macro') return undefined;
  const end = keyword ? BLOCK_ENDS[keyword] : undefined;
  if (!end) return handlebarsFor(tag) || undefined;
  // A block's opening tag: translated with its end, shown as "opening … closing".
  const whole = handlebarsFor(`${tag}x${end}`);
  const split = whole?.lastIndexOf('x{{/');
  return whole && split !== undefined && split >= 0 ? `${whole.slice(0, split)} … ${whole.slice(split + 1)}` : undefined;
}

/** "this is Jinja": at the construct, with its Handlebars and the way to convert a whole project. */
export function jinjaError(file: string, source: string, found: JinjaFound, nodeId?: string): TsdbtError {
  const equivalent = handlebarsEquivalent(found.tag);
  const macro = /^\{%-?\s*(macro|endmacro)\b/.test(found.tag);
  const snapshot = /^\{%-?\s*(snapshot|endsnapshot)\b/.test(found.tag);
  const what = macro
    ? 'a macro is a file of its own: macros/<name>.sql holds the body, {{!-- params: a, b=1 --}} on its first line names its arguments, and models call it as {{name "x" "y"}}'
    : snapshot
      ? 'a snapshot is a file of its own, without the block: snapshots/<name>.sql holds its SELECT and {{config strategy="timestamp" unique_key="id" updated_at="updated_at"}}'
      : equivalent
        ? `write ${equivalent}`
        : found.tag.startsWith('{#')
          ? 'write the comment as {{!-- … --}}'
          : 'tsdbt has no equivalent: write the SQL, or a macro in macros/';
  return new TsdbtError(`this is Jinja; tsdbt templates are Handlebars: ${found.tag}`, {
    code: 'E_JINJA',
    kind: 'project',
    nodeId,
    location: { file, line: found.line, column: found.column },
    frame: codeFrame(source, found.line, found.column),
    hint: `${what} (to convert a whole dbt project: tsdbt import dbt <dbt-project> --out <new-folder>)`,
  });
}
