/**
 * Column lineage of the reference project itself (the eCO2mix models over the committed sample
 * lake), opened with the public API from a copy so that the developer's target/ is never touched:
 * built once, so that its catalog gives the known columns as `docs generate` passes them.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckdb } from '../../../test/helpers/tmp-project.js';
import { build } from '../../api/build.js';
import { type OpenedProject, openProject } from '../../api/open-project.js';
import type { LineageDocument, LineageEdge } from '../docs-data.js';
import { buildLineage } from './build-lineage.js';
import { traceColumn } from './trace-column.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
let opened: OpenedProject;
/** Columns of every built relation, in position order (the warehouse catalog). */
const catalog = new Map<string, string[]>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-lineage-'));
  for (const path of ['models', 'lake', 'macros', 'seeds', 'tests', 'project.yml', 'profiles.yml']) {
    if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
  }
  opened = await openProject({ projectDir: dir, target: 'dev', env: {} });
  for (const command of ['seed', 'run'] as const) expect((await build(opened, { command })).exitCode).toBe(0);
  const rows = await queryDuckdb<{ s: string; t: string; c: string }>(
    join(dir, 'target/dev.duckdb'),
    'select table_schema as s, table_name as t, column_name as c from information_schema.columns order by table_schema, table_name, ordinal_position',
  );
  for (const node of opened.project.nodes.values()) {
    const columns = rows.filter((r) => r.s === node.schema && r.t === node.identifier).map((r) => r.c);
    if (columns.length > 0) catalog.set(node.uniqueId, columns);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lineage = (knownColumns: ReadonlyMap<string, readonly string[]>): Promise<LineageDocument> =>
  buildLineage(opened.project, { knownColumns, generatedAt: '2024-05-01T00:00:00Z', tsdbtVersion: 'test', dialect: opened.dialect });

const MIX = 'model.eco2mix.mix_energetique_quotidien';
const SILVER_15MIN = 'model.eco2mix.silver_eco2mix_national_15min';
const SILVER_ROWS = 'model.eco2mix.silver_eco2mix_national_tr_rows';
const RTE_LAKE = 'source.eco2mix.rte.eco2mix_national_tr';
const t = (node: string, column: string): LineageEdge => ({ node, column, kind: 'transformation' });

describe('lineage of the reference project', () => {
  it.each([
    ['the catalog', () => catalog],
    ['no columns (the SQL alone)', () => new Map()],
  ])('traces every column of every model, given %s', async (_, known) => {
    const doc = await lineage(known());
    const models = [...opened.project.nodes.values()].filter((n) => n.resourceType === 'model');
    expect(Object.keys(doc.nodes).sort()).toEqual(models.map((m) => m.uniqueId).sort());
    const statuses: Record<string, number> = {};
    for (const node of Object.values(doc.nodes)) statuses[node.status] = (statuses[node.status] ?? 0) + 1;
    expect(statuses).toEqual({ ok: 43 });
    // Every column the warehouse has, in its order, and no other; none unresolved.
    expect(models.filter((m) => catalog.has(m.uniqueId)).length).toBe(43);
    for (const model of models) expect(Object.keys(doc.nodes[model.uniqueId]!.columns), model.name).toEqual(catalog.get(model.uniqueId));
    const unresolved = Object.entries(doc.nodes).flatMap(([id, n]) =>
      Object.entries(n.columns)
        .filter(([, c]) => c.unresolved)
        .map(([c]) => `${id}.${c}`),
    );
    expect(unresolved).toEqual([]);
  });

  it('traces part_renouvelables_pct down to the silver national columns and the lake files', async () => {
    const doc = await lineage(catalog);
    expect(doc.nodes[MIX]!.columns.part_renouvelables_pct).toEqual({
      upstream: [t(SILVER_15MIN, 'renouvelables_mw'), t(SILVER_15MIN, 'duree_minutes'), t(SILVER_15MIN, 'production_totale_mw')],
    });
    expect(doc.nodes[MIX]!.keys).toEqual([{ node: SILVER_15MIN, column: 'date_locale', kind: 'filter' }]);
    const trace = traceColumn(doc, MIX, 'part_renouvelables_pct');
    for (const column of ['eolien_mw', 'solaire_mw', 'hydraulique_mw', 'bioenergies_mw']) expect(trace).toContainEqual(t(SILVER_ROWS, column));
    // The RTE download files (a DuckDB reader over lake/eco2mix_national_tr_xls/*.xls), column by column.
    expect(trace.filter((e) => e.node === RTE_LAKE).map((e) => e.column)).toEqual([
      'Eolien',
      'Solaire',
      'Hydraulique',
      'Bioénergies',
      'Nucléaire',
      'Gaz',
      'Fioul',
      'Charbon',
    ]);
    expect(trace.every((e) => e.kind === 'transformation')).toBe(true);
  });
});
