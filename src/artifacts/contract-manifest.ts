import type { ContractConstraint } from '../compile/contract.js';
import type { CompiledNode } from '../compile/types.js';

/** A constraint as dbt's manifest writes it (ColumnLevelConstraint / ModelLevelConstraint). */
function constraintEntry(c: ContractConstraint): Record<string, unknown> {
  return {
    type: c.type,
    name: c.name ?? null,
    expression: c.expression ?? null,
    warn_unenforced: c.warnUnenforced,
    warn_unsupported: c.warnUnsupported,
    to: c.toRelation ?? c.to ?? null,
    to_columns: c.toColumns,
    ...(c.level === 'model' ? { columns: c.columns } : {}),
  };
}

const contractOf = (node: CompiledNode) => ('contract' in node.resolvedConfig ? node.resolvedConfig.contract : undefined);

/** A model's `contract` config (dbt's ContractConfig): what the manifest's config holds. */
export function contractConfig(node: CompiledNode): { enforced: boolean; alias_types: boolean } {
  const contract = contractOf(node);
  return { enforced: contract?.enforced ?? false, alias_types: contract?.aliasTypes ?? true };
}

/** A model's node-level `contract` (with the checksum of its columns) and model-level `constraints`. */
export function contractFields(node: CompiledNode): { contract: Record<string, unknown>; constraints: Array<Record<string, unknown>> } {
  const contract = contractOf(node);
  return {
    contract: { ...contractConfig(node), checksum: contract?.checksum ?? null },
    constraints: (contract?.constraints ?? []).filter((c) => c.level === 'model').map(constraintEntry),
  };
}

/** The constraints declared on one column of a model. */
export function columnConstraints(node: CompiledNode, column: string): Array<Record<string, unknown>> {
  return (contractOf(node)?.constraints ?? []).filter((c) => c.level === 'column' && c.columns[0] === column).map(constraintEntry);
}
