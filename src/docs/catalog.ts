import { join } from 'node:path';
import type { Adapter, CatalogRelation, RelationRef } from '../adapters/adapter.js';
import { writeArtifactFile } from '../artifacts/write-file.js';
import { CATALOG_SCHEMA, metadata } from '../artifacts/schema-versions.js';
import type { CompiledProject } from '../compile/types.js';
import type { InvocationInfo } from '../execute/types.js';

/** What the warehouse says of the project's relations, by unique id (models, seeds, sources). */
export interface WarehouseCatalog {
  relations: Map<string, CatalogRelation & { relation: RelationRef }>;
  /** Relations not in the warehouse yet (never built), by unique id: not an error, but said. */
  missing: string[];
  /** Sources whose columns could not be read, with the engine's reason. */
  errors: string[];
}

/**
 * Reads the catalog of every built model and seed and of every source: relations through the
 * engine's catalog (a few queries per schema), sources read inline as file readers (DuckDB over
 * lake files) through the columns of a `SELECT *` over them, which reads no data.
 */
export async function readWarehouseCatalog(project: CompiledProject, adapter: Adapter, lakeRoot: string): Promise<WarehouseCatalog> {
  const wanted = new Map<string, RelationRef>();
  for (const node of project.nodes.values()) {
    if (node.materialized === 'ephemeral' || !node.relationName) continue;
    wanted.set(node.uniqueId, { relationName: node.relationName, schema: node.schema, identifier: node.identifier });
  }
  // Lake sources the engine makes queryable with a plan of their own (external tables) are
  // relations like the others; the rest are read inline.
  const plans = new Map(adapter.planner.sources([...project.sources.values()], lakeRoot).map((p) => [p.source.uniqueId, p]));
  for (const source of project.sources.values()) {
    const plan = plans.get(source.uniqueId);
    if (plan) wanted.set(source.uniqueId, { relationName: plan.relation, schema: plan.schema, identifier: source.identifier });
    else if (!source.external)
      wanted.set(source.uniqueId, sourceRelationRef(source.schema, source.identifier, adapter.dialect.sourceRelation(source, lakeRoot)));
  }
  const byRelation = await adapter.connection.catalog([...wanted.values()]);
  const relations: WarehouseCatalog['relations'] = new Map();
  const missing: string[] = [];
  for (const [id, relation] of wanted) {
    const found = byRelation.get(relation.relationName);
    if (found) relations.set(id, { ...found, relation });
    else missing.push(id);
  }
  const errors: string[] = [];
  for (const source of project.sources.values()) {
    if (!source.external || plans.has(source.uniqueId)) continue;
    const sql = `SELECT * FROM ${adapter.dialect.sourceRelation(source, lakeRoot)}`;
    try {
      const columns = await adapter.connection.queryColumns({ sql }, { kind: 'source', name: source.name });
      relations.set(source.uniqueId, { kind: 'external', columns, relation: sourceRelationRef(source.schema, source.identifier, sql) });
    } catch (error) {
      errors.push(`${source.uniqueId}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { relations, missing, errors };
}

const sourceRelationRef = (schema: string, identifier: string, relationName: string): RelationRef => ({ relationName, schema, identifier });

/** target/catalog.json in dbt's catalog v1 layout. */
export function writeCatalogArtifact(project: CompiledProject, catalog: WarehouseCatalog, invocation: InvocationInfo): string {
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  for (const [id, entry] of catalog.relations) {
    const isSource = id.startsWith('source.');
    (isSource ? sources : nodes)[id] = {
      metadata: {
        type: TABLE_TYPES[entry.kind],
        schema: entry.relation.schema,
        name: entry.relation.identifier,
        database: (isSource ? project.sources.get(id)?.database : project.nodes.get(id)?.resolvedConfig.database) ?? invocation.catalog,
        comment: entry.comment ?? null,
        owner: null,
      },
      columns: Object.fromEntries(entry.columns.map((c, i) => [c.name, { type: c.type, index: i + 1, name: c.name, comment: null }])),
      stats: catalogStats(entry),
      unique_id: id,
    };
  }
  const path = join(project.projectDir, project.targetPath, 'catalog.json');
  const errors = catalog.errors.length > 0 ? catalog.errors : null;
  writeArtifactFile(path, `${JSON.stringify({ metadata: metadata(CATALOG_SCHEMA, invocation), nodes, sources, errors })}\n`);
  return path;
}

const TABLE_TYPES: Record<CatalogRelation['kind'], string> = { table: 'BASE TABLE', view: 'VIEW', external: 'EXTERNAL', other: 'OTHER' };

/** dbt's stats: `has_stats` always, then the row count and size the engine keeps. */
function catalogStats(entry: CatalogRelation): Record<string, unknown> {
  const stats: Record<string, unknown> = {};
  if (entry.rows !== undefined) stats.num_rows = { id: 'num_rows', label: '# Rows', value: entry.rows, include: true, description: 'Rows in the table' };
  if (entry.bytes !== undefined) {
    stats.num_bytes = { id: 'num_bytes', label: 'Approximate Size', value: entry.bytes, include: true, description: 'Size of the table on disk, in bytes' };
  }
  const has = Object.keys(stats).length > 0;
  stats.has_stats = { id: 'has_stats', label: 'Has Stats?', value: has, include: false, description: 'Indicates whether there are statistics for this table' };
  return stats;
}
