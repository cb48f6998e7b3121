import type { Adapter } from '../adapters/adapter.js';
import type { CompiledProject } from '../compile/types.js';
import { columnTypeKind, pickPreviewColumns, previewChartSvg } from './charts.js';
import type { WarehouseCatalog } from './catalog.js';

/** Points a preview draws at most: the latest ones, one per day. */
const MAX_POINTS = 400;
/**
 * Charts drawn at most (each costs a query and ~15 ms of rendering): on a large project, those
 * readers look at first — models exposures read, then models nothing else reads, then the rest
 * from the most downstream.
 */
export const MAX_PREVIEWS = 200;

/**
 * A small chart per built model that has a date column and numeric columns: the daily average
 * of each (one query per model, aggregated in the warehouse, the latest MAX_POINTS days).
 * A model whose query fails gets no chart; the failure is returned, not thrown.
 */
export async function drawPreviews(
  project: CompiledProject,
  catalog: WarehouseCatalog,
  adapter: Adapter,
  limit = MAX_PREVIEWS,
): Promise<{ charts: Map<string, string>; failures: string[]; eligible: number }> {
  const charts = new Map<string, string>();
  const failures: string[] = [];
  const { dialect } = adapter;
  const candidates = previewCandidates(project, catalog);
  for (const { node, entry, picked } of candidates.slice(0, limit)) {
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
  return { charts, failures, eligible: candidates.length };
}

function previewCandidates(project: CompiledProject, catalog: WarehouseCatalog) {
  const exposed = new Set([...project.exposures.values()].flatMap((e) => e.dependsOn.nodes));
  const rank = new Map(project.order.map((id, i) => [id, i]));
  const candidates = [];
  for (const node of project.nodes.values()) {
    const entry = catalog.relations.get(node.uniqueId);
    if (node.resourceType !== 'model' || !entry) continue;
    const picked = pickPreviewColumns(entry.columns);
    if (!picked) continue;
    const leaf = project.dag.children(node.uniqueId).every((id) => !project.nodes.has(id));
    candidates.push({ node, entry, picked, priority: exposed.has(node.uniqueId) ? 0 : leaf ? 1 : 2, rank: rank.get(node.uniqueId) ?? 0 });
  }
  return candidates.sort((a, b) => a.priority - b.priority || b.rank - a.rank);
}
