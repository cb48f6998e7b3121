/**
 * Reading `@polyglot-sql/sdk`'s AST. It is serde's JSON of the Rust enums: every expression is an
 * object with one key, its kind (`{"column": {...}}`, `{"select": {...}}`), unit kinds carry
 * `null`; identifiers are `{name, quoted}`. Only what lineage needs is typed here.
 */

export type AstBody = { readonly [key: string]: unknown };

/** The kind and fields of an expression node, or undefined for anything else (arrays, fields, identifiers). */
export function kindOf(node: unknown): { kind: string; body: AstBody } | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1) return undefined;
  const kind = keys[0]!;
  const body = (node as AstBody)[kind];
  if (body === null) return { kind, body: {} };
  if (typeof body !== 'object' || Array.isArray(body)) return undefined;
  return { kind, body: body as AstBody };
}

/** The name of an identifier field (`{name, quoted}`), if it is one. */
export function identifierName(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const name = (value as AstBody).name;
  return typeof name === 'string' ? name : undefined;
}

export function identifierList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(identifierName).filter((n): n is string => n !== undefined) : [];
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(body: AstBody, key: string): AstBody | undefined {
  const value = body[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as AstBody) : undefined;
}

/** Fields that never hold expressions: skipped when walking. */
const METADATA = new Set([
  'span',
  'trailing_comments',
  'leading_comments',
  'pre_alias_comments',
  'left_comments',
  'operator_comments',
  'comments',
  'inferred_type',
]);

/** Every value of a node worth walking into (its sub-expressions, wherever they sit). */
export function children(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (node === null || typeof node !== 'object') return [];
  const out: unknown[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (value !== null && typeof value === 'object' && !METADATA.has(key)) out.push(value);
  }
  return out;
}

/**
 * A table name as path segments: catalog, schema and name, each split at dots so that one
 * quoted `a.b.c` and `a`.`b`.`c` (or `a.b.c` unquoted) give the same path.
 */
export function tablePath(table: AstBody): string[] {
  return [identifierName(table.catalog), identifierName(table.schema), identifierName(table.name)]
    .filter((part): part is string => part !== undefined)
    .flatMap((part) => part.split('.'));
}

/**
 * A relation as compiled SQL spells it (`schema.table`, `"db"."schema"."t"`, `` `p.d.t` ``) as path
 * segments, or undefined when it is not a plain name (a table function, a subquery).
 */
export function relationTextPath(text: string): string[] | undefined {
  const segments: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    const quote = s[i];
    if (quote === '"' || quote === '`') {
      let value = '';
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === quote) {
          if (s[i + 1] === quote) {
            value += quote;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += s[i];
        i++;
      }
      segments.push(...value.split('.'));
    } else {
      const plain = /^[A-Za-z_][\w$-]*/.exec(s.slice(i));
      if (!plain) return undefined;
      segments.push(plain[0]);
      i += plain[0].length;
    }
    if (i === s.length) break;
    if (s[i] !== '.') return undefined;
    i++;
  }
  return segments.length > 0 ? segments : undefined;
}

/** Case-insensitive key of a path (SQL table and column names compare without case here). */
export function pathKey(path: readonly string[]): string {
  return path.map((p) => p.toLowerCase()).join('.');
}
