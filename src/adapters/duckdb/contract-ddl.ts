import type { PlannedModel, Statement } from '../adapter.js';
import { type ContractDdlEngine, contractColumnList, contractSelect } from '../contract-sql.js';
import { embed, plain } from '../statements.js';
import { duckdbContractTypes } from './contract-types.js';
import { quoteDuckdbIdentifier as q } from './dialect.js';

const DUCKDB_DDL: ContractDdlEngine = { quote: q, constraints: duckdbContractTypes.constraints, namedPrimaryKey: true };

/**
 * The statements that create a model's table; the last one fills it. Without an enforced
 * contract, `CREATE OR REPLACE TABLE … AS (select)`. With one, the table is created with the
 * declared types and constraints, then the SELECT is inserted: a row breaking a constraint fails
 * the INSERT, and the plan's transaction leaves the previous table as it was.
 */
export function createTableStatements(model: PlannedModel): Statement[] {
  const contract = model.config.contract;
  if (!contract?.enforced) return [embed(`CREATE OR REPLACE TABLE ${model.relationName} AS (`, model.sql, ')', model.file)];
  const select = contractSelect(contract, q);
  return [
    plain(`CREATE OR REPLACE TABLE ${model.relationName} ${contractColumnList(contract, DUCKDB_DDL)}`),
    embed(`INSERT INTO ${model.relationName} (${contract.columns.map((c) => q(c.name)).join(', ')})\n${select.head}`, model.sql, select.tail, model.file),
  ];
}
