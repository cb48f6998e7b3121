import type { Adapter } from '../adapters/adapter.js';
import type { CompiledProject } from '../compile/types.js';
import { columnTypeKind, pickPreviewColumns, previewChartSvg } from './charts.js';
import type { WarehouseCatalog } from './catalog.js';

/** Points a preview draws at most: the latest ones, one per day. */
const MAX_POINTS = 400;

/**
 * A small chart per built model that has a date column and numeric columns: the daily average
 * of each (one query per model, aggregated in the warehouse, the latest MAX_POINTS days).
 * A model whose query fails gets no chart; the failure is returned, not thrown.
 */
export async function drawPreviews(
  project: CompiledProject,
  catalog: WarehouseCatalog,
  adapter: Adapter,
): Promise<{ charts: Map<string, string>; failures: string[] }> {
  const charts = new Map<string, string>();
  const failures: string[] = [];
  const { dialect } = adapter;
  for (const node of project.nodes.values()) {
    const entry = catalog.relations.get(node.uniqueId);
    if (node.resourceType !== 'model' || !entry) continue;
    const picked = pickPreviewColumns(entry.columns);
    if (!picked) continue;
    const dateType = entry.columns.find((c) => c.name === picked.dateColumn)?.type;
    const q = (name: string) => dialect.quoteIdentifier(name);
    const day = columnTypeKind(dateType) === 'date' ? q(picked.dateColumn) : dialect.renderings.date_trunc('day', q(picked.dateColumn));
    const averages = picked.valueColumns.map((c) => `avg(${dialect.renderings.cast(q(c), 'float')}) AS ${q(c)}`);
    const sql = [
      `SELECT * FROM (SELECT ${day} AS ${q(picked.dateColumn)}, ${averages.join(', ')}`,
      `FROM ${entry.relation.relationName} WHERE ${q(picked.dateColumn)} IS NOT NULL GROUP BY 1 ORDER BY 1 DESC LIMIT ${MAX_POINTS}) AS latest`,
    ].join('\n');
    try {
      const result = await adapter.connection.query(sql);
      if (result.rows.length < 2) continue;
      charts.set(node.uniqueId, await previewChartSvg({ rows: result.rows, dateColumn: picked.dateColumn, valueColumns: picked.valueColumns }));
    } catch (error) {
      failures.push(`${node.uniqueId}: no preview chart: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { charts, failures };
}
