import type { Column, ExistingRelation, MaterializationPlan, PlannedModel, Statement } from '../adapter.js';
import { reconcileColumns } from '../incremental-columns.js';
import { embed, plain } from '../statements.js';
import { columnDocStatements, tablePlan } from './ddl.js';
import { bigqueryName, quoteBigqueryIdentifier as q } from './identifiers.js';

/**
 * One load of a model whose loads tsdbt records (a microbatch batch, a files run), as one script
 * job. `replace` (no table, or a rebuild): CREATE OR REPLACE, which lands only when its query
 * succeeds, then the model's older records forgotten and the new ones written. Else the rows are
 * built in a temporary table, then the slice they replace is deleted, they are inserted and
 * recorded in one transaction.
 */
export function loadSlice(
  model: PlannedModel,
  existing: ExistingRelation | undefined,
  options: { replace: boolean; newColumns?: Column[] },
  slice: { deleteWhere: string | undefined; forget: string; record: (rows: string) => string[]; verb: string },
): MaterializationPlan {
  if (options.replace || existing?.kind !== 'table') {
    const created = tablePlan(model, existing);
    return { ...created, statements: [...created.statements, ...[slice.forget, ...slice.record(model.relationName)].map(plain)], verb: 'CREATE TABLE' };
  }
  if (model.config.materialized !== 'incremental') throw new Error(`an incremental load asked for a ${model.config.materialized} model: ${model.name}`);
  const temp = q(`tsdbt_tmp_${bigqueryName(model.identifier)}`);
  const { columns, add, drop } = reconcileColumns(existing.columns ?? [], options.newColumns, model.config.incremental, model);
  const list = columns.map(q).join(', ');
  const statements: Statement[] = [
    ...add.map((c) => plain(`ALTER TABLE ${model.relationName} ADD COLUMN ${q(c.name)} ${c.type}`)),
    ...drop.map((c) => plain(`ALTER TABLE ${model.relationName} DROP COLUMN ${q(c.name)}`)),
    embed(`CREATE TEMP TABLE ${temp} AS (`, model.sql, ')', model.file),
    // The slice, the new rows and their records commit together.
    plain('BEGIN TRANSACTION'),
    ...(slice.deleteWhere === undefined ? [] : [plain(`DELETE FROM ${model.relationName} WHERE ${slice.deleteWhere}`)]),
    plain(`INSERT INTO ${model.relationName} (${list})\nSELECT ${list} FROM ${temp}`),
    ...slice.record(temp).map(plain),
    plain('COMMIT TRANSACTION'),
    ...columnDocStatements(model, 'TABLE').map(plain),
  ];
  return { statements, verb: slice.verb, countsNewRows: add.length + drop.length };
}
