import type { Grants } from '../../compile/hook-config.js';
import type { Statement } from '../adapter.js';
import { plain } from '../statements.js';
import { bigqueryLiteral } from './identifiers.js';

// Grants on BigQuery are IAM bindings on the table or view, set with DCL statements in the
// model's script. What the relation already has comes from INFORMATION_SCHEMA.OBJECT_PRIVILEGES
// (its own bindings, not those inherited from the dataset or project), read before planning.

/** A grantee as GoogleSQL's DCL takes it: a double-quoted string (`"user:a@example.com"`). */
const grantee = (name: string) => `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
/** A role in backticks (`roles/bigquery.dataViewer`): its slashes and dots are one name. */
const role = (name: string) => `\`${name.replace(/`/g, '')}\``;

/**
 * GRANT / REVOKE so that the relation's bindings are exactly the config's: every configured role
 * is granted to its grantees (GRANT is idempotent, so a replaced relation that kept its policy and
 * one that lost it end the same), and every binding the relation has that the config does not list
 * is revoked, roles the config does not name included. `current` is undefined when the plan creates
 * the relation afresh (nothing to revoke). An empty config manages nothing, as in dbt.
 */
export function grantStatements(
  relationName: string,
  kind: 'TABLE' | 'VIEW',
  desired: Grants,
  current: Readonly<Record<string, readonly string[]>> | undefined,
): Statement[] {
  if (Object.keys(desired).length === 0) return [];
  const statements: Statement[] = [];
  for (const [name, members] of Object.entries(current ?? {})) {
    const wanted = new Set(desired[name] ?? []);
    const extra = members.filter((m) => !wanted.has(m));
    if (extra.length > 0) statements.push(plain(`REVOKE ${role(name)} ON ${kind} ${relationName} FROM ${extra.map(grantee).join(', ')}`));
  }
  for (const [name, members] of Object.entries(desired)) {
    if (members.length > 0) statements.push(plain(`GRANT ${role(name)} ON ${kind} ${relationName} TO ${members.map(grantee).join(', ')}`));
  }
  return statements;
}

/**
 * The bindings set on one table or view: OBJECT_PRIVILEGES of the relation's region (the view
 * needs a region qualifier), without the session's own user (revoking it would lock tsdbt out).
 */
export function currentGrantsQuery(relation: { project: string; dataset: string; table: string }, location: string): string {
  return [
    'SELECT privilege_type, grantee',
    `FROM \`${relation.project}.region-${location.toLowerCase()}.INFORMATION_SCHEMA.OBJECT_PRIVILEGES\``,
    `WHERE object_schema = ${bigqueryLiteral(relation.dataset)} AND object_name = ${bigqueryLiteral(relation.table)}`,
    "  AND grantee NOT IN (CONCAT('user:', SESSION_USER()), CONCAT('serviceAccount:', SESSION_USER()))",
    'ORDER BY privilege_type, grantee',
  ].join('\n');
}

/** Rows of currentGrantsQuery → role → grantees. */
export function grantsOfRows(rows: ReadonlyArray<Record<string, unknown>>): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const row of rows) {
    const name = String(row.privilege_type);
    grants[name] = [...(grants[name] ?? []), String(row.grantee)];
  }
  return grants;
}
