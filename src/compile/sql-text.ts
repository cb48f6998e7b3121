/**
 * A statement's text as it can be embedded in another (a subquery, CREATE … AS): trailing
 * blanks and a trailing semicolon removed. Leading lines are kept: error lines map through them.
 */
export function sqlBody(sql: string): string {
  return sql.trimEnd().replace(/;\s*$/, '').trimEnd();
}
