import type { PlannedModel } from '../adapter.js';
import { type ContractDdlEngine, contractColumnList, contractSelect } from '../contract-sql.js';
import { bigqueryContractTypes } from './contract-types.js';
import { quoteBigqueryIdentifier as q } from './identifiers.js';

const BIGQUERY_DDL: ContractDdlEngine = { quote: q, constraints: bigqueryContractTypes.constraints, namedPrimaryKey: false };

/**
 * An enforced contract's part of `CREATE OR REPLACE TABLE`: the column list (declared types,
 * NOT NULL, PRIMARY KEY / FOREIGN KEY … NOT ENFORCED) and the SELECT of its columns in that
 * order (BigQuery matches a column list with the query by position). Undefined without one.
 */
export function contractTable(model: PlannedModel): { columnList: string; select: { head: string; tail: string } } | undefined {
  const contract = model.config.contract;
  if (!contract?.enforced) return undefined;
  return { columnList: contractColumnList(contract, BIGQUERY_DDL), select: contractSelect(contract, q) };
}
