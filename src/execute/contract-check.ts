import type { Adapter, Column, JobInfo } from '../adapters/adapter.js';
import { alone } from '../adapters/statements.js';
import type { ModelContract } from '../compile/contract.js';
import type { CompiledSql } from '../compile/line-map.js';
import type { CompiledNode } from '../compile/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** One column where the model's SELECT and its contract disagree. */
export interface ContractMismatch {
  column: string;
  /** The contract's type on the engine; undefined: the column is not in the contract. */
  contract?: string;
  /** The SELECT's type; undefined: the SELECT has no such column. */
  model?: string;
}

/**
 * The columns of `actual` against the contract: names compare case-insensitively and in any
 * order, types after the engine's normalisation (aliases equal; size, precision and scale not
 * compared, as in dbt). Contract columns first, in its order; then the SELECT's extra ones.
 */
export function compareContract(contract: ModelContract, actual: readonly Column[], normalize: (type: string) => string): ContractMismatch[] {
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const declared = new Set(contract.columns.map((c) => c.name.toLowerCase()));
  const mismatches: ContractMismatch[] = [];
  for (const column of contract.columns) {
    const found = byName.get(column.name.toLowerCase());
    if (!found) mismatches.push({ column: column.name, contract: column.type });
    else if (normalize(found.type) !== normalize(column.type)) mismatches.push({ column: column.name, contract: column.type, model: found.type });
  }
  for (const column of actual) if (!declared.has(column.name.toLowerCase())) mismatches.push({ column: column.name, model: column.type });
  return mismatches;
}

/** `column | contract | model` rows, aligned, with what is wrong on each. */
export function mismatchTable(mismatches: readonly ContractMismatch[]): string {
  const rows = [
    ['column', 'contract', 'model', ''],
    ...mismatches.map((m) => [
      m.column,
      m.contract ?? '-',
      m.model ?? '-',
      m.contract === undefined ? 'not in the contract' : m.model === undefined ? 'missing from the model' : 'data type differs',
    ]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    `  ${row
      .slice(0, 3)
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' | ')}${row[3] ? `   ${row[3]}` : ''}`.trimEnd();
  return [line(rows[0]!), `  ${widths.map((w) => '-'.repeat(w)).join('-+-')}`, ...rows.slice(1).map(line)].join('\n');
}

/**
 * Before a contracted model is built: the engine's columns of the SELECT (DuckDB binds it,
 * BigQuery dry-runs it) compared with the contract. A mismatch is an error naming the model's
 * file, each column listed; nothing has been built. Returns the SELECT's columns (the planner
 * can reuse them), or undefined for a model without an enforced contract.
 */
export async function checkContract(
  adapter: Adapter,
  node: Pick<CompiledNode, 'uniqueId' | 'name' | 'originalFilePath' | 'patchPath'> & { resolvedConfig: { contract?: ModelContract } },
  sql: CompiledSql,
  job: JobInfo,
  describe: (run: () => Promise<Column[]>) => Promise<Column[]> = (run) => run(),
): Promise<Column[] | undefined> {
  const contract = node.resolvedConfig.contract;
  if (!contract?.enforced) return undefined;
  const actual = await describe(() => adapter.connection.queryColumns(alone(sql, node.originalFilePath), job));
  const normalize = adapter.dialect.contracts?.normalize ?? ((type: string) => type.trim().replace(/\s+/g, ' ').toUpperCase());
  const mismatches = compareContract(contract, actual, normalize);
  if (mismatches.length === 0) return actual;
  const yaml = node.patchPath ? ` or the data_type in ${node.patchPath}` : '';
  throw new TsdbtError(
    `model ${node.name} does not match its contract (${mismatches.length} column${mismatches.length === 1 ? '' : 's'}):\n${mismatchTable(mismatches)}`,
    {
      code: 'E_CONTRACT_MISMATCH',
      kind: 'runtime',
      nodeId: node.uniqueId,
      location: { file: node.originalFilePath },
      hint: `change the SELECT (cast the column, add or drop it)${yaml}; nothing was built, the previous relation is untouched`,
    },
  );
}
