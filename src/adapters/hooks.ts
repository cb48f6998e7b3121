import type { CompiledHook, NodeHooks } from '../compile/hook-config.js';
import { formatLocation } from '../errors/tsdbt-error.js';
import type { MaterializationPlan, Statement } from './adapter.js';

export interface HookPlacement {
  /**
   * The engine runs a plan in one transaction: hooks with transaction: false run outside it (pre
   * ones before it begins, post ones after it commits), and a failure of any other statement
   * undoes the plan. Without one, every statement that ran stays.
   */
  transactional: boolean;
  /** Statements after the post-hooks that run inside the transaction and before the others (grants). */
  afterPostHooks?: readonly Statement[];
}

/** A hook as a statement: its SQL, whose lines map to where the hook is written. */
function hookStatement(hook: CompiledHook, afterBuild: boolean, outsideTransaction: boolean): Statement {
  return {
    sql: hook.sql.text,
    embeds: { line: 1, sql: hook.sql, file: hook.location.file },
    hook: { label: `${hook.label} (${formatLocation(hook.location)})`, afterBuild },
    ...(outsideTransaction ? { outsideTransaction: true } : {}),
  };
}

/**
 * A plan with the node's hooks around it, in dbt's order: pre-hooks with transaction: false, the
 * other pre-hooks, the plan's statements, the other post-hooks (then `afterPostHooks`), post-hooks
 * with transaction: false. Within each group, the order they are configured in.
 */
export function withHooks(plan: MaterializationPlan, hooks: NodeHooks | undefined, placement: HookPlacement): MaterializationPlan {
  const after = placement.afterPostHooks ?? [];
  const pre = hooks?.pre ?? [];
  const post = hooks?.post ?? [];
  if (pre.length === 0 && post.length === 0 && after.length === 0) return plan;
  const outside = (hook: CompiledHook) => !hook.transaction && placement.transactional;
  const before = [
    ...pre.filter((h) => !h.transaction).map((h) => hookStatement(h, false, outside(h))),
    ...pre.filter((h) => h.transaction).map((h) => hookStatement(h, false, false)),
  ];
  const afterward = [
    ...post.filter((h) => h.transaction).map((h) => hookStatement(h, !placement.transactional, false)),
    ...after,
    ...post.filter((h) => !h.transaction).map((h) => hookStatement(h, true, outside(h))),
  ];
  return {
    ...plan,
    statements: [...before, ...plan.statements, ...afterward],
    ...(plan.countsNewRows === undefined ? {} : { countsNewRows: plan.countsNewRows + before.length }),
  };
}
