/**
 * GoogleSQL names and literals. Pure functions shared by the dialect (compile, no connection)
 * and the adapter (DDL): nothing here may import a Google client library.
 */

// GoogleSQL reserved keywords: as bare identifiers they are syntax errors.
const RESERVED = new Set(
  (
    'all and any array as asc assert_rows_modified at between by case cast collate contains create cross cube current ' +
    'default define desc distinct else end enum escape except exclude exists extract false fetch following for from full ' +
    'group grouping groups hash having if ignore in inner intersect interval into is join lateral left like limit lookup ' +
    'merge natural new no not null nulls of on or order outer over partition preceding proto qualify range recursive ' +
    'respect right rollup rows select set some struct tablesample then to treat true unbounded union unnest using when ' +
    'where window with within'
  ).split(' '),
);

const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A name as BigQuery can store it: ASCII letters, digits and underscores, not starting with a
 * digit. Accents are dropped and every other character becomes `_`, so a lake column such as
 * `Prévision J-1` is `Prevision_J_1` in external tables and wherever a model writes
 * `{{quote "Prévision J-1"}}`. Names that are already valid are unchanged.
 */
export function bigqueryName(name: string): string {
  if (PLAIN.test(name)) return name;
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const cleaned = ascii.replace(/[^A-Za-z0-9_]/g, '_');
  if (cleaned === '') return '_';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** An identifier (column, alias): made storable, backticked only when it is a reserved word. */
export function quoteBigqueryIdentifier(name: string): string {
  const clean = bigqueryName(name);
  return RESERVED.has(clean.toLowerCase()) ? `\`${clean}\`` : clean;
}

/** A GoogleSQL string literal (single quotes, backslash escapes). */
export function bigqueryLiteral(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

/** `project.dataset.table` in one pair of backticks (the project may hold dashes). */
export function bigqueryRelation(project: string | undefined, dataset: string, table: string): string {
  const parts = [bigqueryName(dataset), bigqueryName(table)];
  if (project) parts.unshift(project);
  return `\`${parts.join('.')}\``;
}

/** The parts of a relation this module rendered (or `dataset.table` written by hand). */
export function parseBigqueryRelation(relation: string): { project?: string; dataset: string; table: string } | undefined {
  const parts = relation.replace(/`/g, '').split('.');
  if (parts.length === 3) return { project: parts[0]!, dataset: parts[1]!, table: parts[2]! };
  if (parts.length === 2) return { dataset: parts[0]!, table: parts[1]! };
  return undefined;
}

/** A value for an OPTIONS(...) list: strings quoted, lists as arrays, booleans and numbers bare. */
export function optionValue(value: unknown): string {
  if (typeof value === 'string') return bigqueryLiteral(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return `[${value.map(optionValue).join(', ')}]`;
  if (typeof value === 'object') {
    // labels = [('key', 'value'), ...]
    return `[${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `(${bigqueryLiteral(k)}, ${bigqueryLiteral(String(v))})`)
      .join(', ')}]`;
  }
  return bigqueryLiteral(String(value));
}

/** A label value BigQuery accepts: lowercase letters, digits, `_` and `-`, at most 63 characters. */
export function labelValue(value: string): string {
  return bigqueryName(value)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, 63);
}

export const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
