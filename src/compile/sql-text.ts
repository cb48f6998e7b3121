/**
 * A statement's text as it can be embedded in another (a subquery, CREATE … AS): trailing
 * blanks and a trailing semicolon removed. Leading lines are kept: error lines map through them.
 */
export function sqlBody(sql: string): string {
  return sql.trimEnd().replace(/;\s*$/, '').trimEnd();
}

/** Whether a statement holds nothing but blanks, comments and semicolons. */
export function isBlankSql(sql: string): boolean {
  return (
    sql
      .replace(/\/\*[\s\S]*?(\*\/|$)/g, '')
      .replace(/--[^\n]*/g, '')
      .replace(/;/g, '')
      .trim() === ''
  );
}
