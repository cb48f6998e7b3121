import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Dialect } from '../compile/dialect.js';
import type { CompiledProject, CompiledTest } from '../compile/types.js';
import type { ColumnInfo } from '../project/types.js';
import { TSDBT_VERSION } from '../version.js';
import type { WarehouseCatalog } from './catalog.js';
import type { DocsColumn, DocsData, DocsNode, DocsTest, LineageDocument } from './docs-data.js';
import { lookerStudioLinks } from './looker-studio.js';

/** The last result of each test, from target/run_results.json (absent file: none ran yet). */
export interface LastRun {
  generatedAt: string;
  command: string;
  results: Map<string, { status: string; failures?: number; message?: string }>;
}

export function readLastRun(project: CompiledProject): LastRun | undefined {
  const path = join(project.projectDir, project.targetPath, 'run_results.json');
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
      metadata?: { generated_at?: string };
      args?: { which?: string };
      results?: Array<{ unique_id: string; status: string; failures?: number | null; message?: string | null }>;
    };
    const results = new Map(
      (parsed.results ?? []).map((r) => [
        r.unique_id,
        { status: r.status, ...(typeof r.failures === 'number' ? { failures: r.failures } : {}), ...(r.message ? { message: r.message } : {}) },
      ]),
    );
    return { generatedAt: parsed.metadata?.generated_at ?? '', command: parsed.args?.which ?? '', results };
  } catch {
    return undefined;
  }
}

const DEFAULT_OVERVIEW = (name: string) =>
  `# ${name}\n\nThis site documents every model, seed, source and exposure of the project. Write a \`{% docs __overview__ %}\` block in a Markdown file of the project to replace this text.`;

/**
 * Everything the site shows, from the compiled project, the warehouse catalog (when connected),
 * the column lineage and the last run. Warnings (e.g. a malformed `meta.looker_studio`) are returned.
 */
export function buildDocsData(input: {
  project: CompiledProject;
  dialect: Dialect;
  target: { name: string; type: string };
  catalog?: WarehouseCatalog;
  lineage: LineageDocument;
  lastRun?: LastRun;
  previews?: ReadonlyMap<string, string>;
  generatedAt: string;
}): { data: DocsData; warnings: string[] } {
  const { project, catalog, lastRun, dialect } = input;
  const warnings: string[] = [];
  const testsByNode = groupTests(project, lastRun);
  const looker = lookerStudioLinks(project, dialect);
  warnings.push(...looker.warnings);
  const documented = new Set<string>([...project.nodes.keys(), ...project.sources.keys(), ...project.exposures.keys()]);
  const edges = (ids: readonly string[]) => ids.filter((id) => documented.has(id));
  const childrenOf = new Map<string, string[]>();
  const addChild = (parent: string, child: string) => {
    if (!childrenOf.has(parent)) childrenOf.set(parent, []);
    childrenOf.get(parent)!.push(child);
  };
  for (const node of project.nodes.values()) for (const parent of edges(node.dependsOn.nodes)) addChild(parent, node.uniqueId);
  for (const exposure of project.exposures.values()) for (const parent of edges(exposure.dependsOn.nodes)) addChild(parent, exposure.uniqueId);

  const nodes: DocsNode[] = [];
  for (const node of project.nodes.values()) {
    const relation = node.materialized === 'ephemeral' ? undefined : node.relationName;
    const warehouse = catalog?.relations.get(node.uniqueId);
    const tests = testsByNode.get(node.uniqueId);
    const dataSource = looker.links.get(node.uniqueId);
    nodes.push({
      id: node.uniqueId,
      resourceType: node.resourceType,
      name: node.name,
      label: node.name,
      packageName: node.packageName,
      folder: [
        `${node.resourceType}s`,
        ...dirname(node.path)
          .split('/')
          .filter((p) => p !== '.'),
      ],
      originalFilePath: node.originalFilePath,
      description: node.description,
      tags: node.tags,
      config: node.config as Record<string, unknown>,
      materialized: node.materialized,
      ...(relation ? { relation } : {}),
      columns: mergeColumns(node.columns, warehouse?.columns, tests?.byColumn),
      tests: tests?.model ?? [],
      ...(node.resourceType === 'seed' ? {} : { rawSql: node.rawCode, compiledSql: node.compiledCode }),
      parents: edges(node.dependsOn.nodes),
      children: childrenOf.get(node.uniqueId) ?? [],
      ...statsOf(warehouse),
      ...(dataSource ? { lookerStudioUrl: dataSource } : {}),
      ...(input.previews?.has(node.uniqueId) ? { previewSvg: input.previews.get(node.uniqueId)! } : {}),
    });
  }
  for (const source of project.sources.values()) {
    const warehouse = catalog?.relations.get(source.uniqueId);
    const tests = testsByNode.get(source.uniqueId);
    nodes.push({
      id: source.uniqueId,
      resourceType: 'source',
      name: source.name,
      label: `${source.sourceName}.${source.name}`,
      packageName: source.packageName,
      folder: ['sources', source.sourceName],
      originalFilePath: source.originalFilePath,
      description: source.description || source.sourceDescription,
      tags: source.tags,
      config: source.config as Record<string, unknown>,
      relation: source.external ? `${source.external.location}` : dialect.sourceRelation(source, undefined),
      columns: mergeColumns(source.columns, warehouse?.columns, tests?.byColumn),
      tests: tests?.model ?? [],
      parents: [],
      children: childrenOf.get(source.uniqueId) ?? [],
      ...statsOf(warehouse),
    });
  }
  for (const exposure of project.exposures.values()) {
    const parents = edges(exposure.dependsOn.nodes);
    const url = looker.links.get(exposure.uniqueId);
    nodes.push({
      id: exposure.uniqueId,
      resourceType: 'exposure',
      name: exposure.name,
      label: exposure.label ?? exposure.name,
      packageName: exposure.packageName,
      folder: ['exposures'],
      originalFilePath: exposure.originalFilePath,
      description: exposure.description,
      tags: exposure.tags,
      config: exposure.config as Record<string, unknown>,
      columns: [],
      tests: [],
      parents,
      children: [],
      exposure: {
        type: exposure.type,
        owner: exposure.owner,
        ...(exposure.url ? { url: exposure.url } : {}),
        ...(exposure.maturity ? { maturity: exposure.maturity } : {}),
      },
      ...(url ? { lookerStudioUrl: url } : {}),
    });
  }
  const overview = project.docs.find((d) => d.name === '__overview__');
  return {
    data: {
      project: {
        name: project.name,
        generatedAt: input.generatedAt,
        tsdbtVersion: TSDBT_VERSION,
        target: input.target,
        overviewMarkdown: overview?.contents ?? DEFAULT_OVERVIEW(project.name),
        ...(lastRun ? { lastRun: { generatedAt: lastRun.generatedAt, command: lastRun.command } } : {}),
      },
      nodes,
      lineage: input.lineage,
    },
    warnings,
  };
}

function statsOf(entry: { rows?: number; bytes?: number } | undefined): { stats?: DocsNode['stats'] } {
  if (!entry || (entry.rows === undefined && entry.bytes === undefined)) return {};
  return { stats: { ...(entry.rows !== undefined ? { rowCount: entry.rows } : {}), ...(entry.bytes !== undefined ? { bytes: entry.bytes } : {}) } };
}

/** The warehouse's columns in their order, then declared columns it does not have (not built yet). */
function mergeColumns(
  declared: Record<string, ColumnInfo>,
  actual: ReadonlyArray<{ name: string; type: string }> | undefined,
  tests: ReadonlyMap<string, DocsTest[]> | undefined,
): DocsColumn[] {
  const declaredByName = new Map(Object.values(declared).map((c) => [c.name.toLowerCase(), c]));
  const columns: DocsColumn[] = [];
  const seen = new Set<string>();
  for (const column of actual ?? []) {
    const key = column.name.toLowerCase();
    seen.add(key);
    columns.push({
      name: column.name,
      type: column.type,
      description: declaredByName.get(key)?.description ?? '',
      index: columns.length + 1,
      tests: tests?.get(key) ?? [],
    });
  }
  for (const column of Object.values(declared)) {
    const key = column.name.toLowerCase();
    if (seen.has(key)) continue;
    columns.push({
      name: column.name,
      ...(column.dataType ? { type: column.dataType } : {}),
      description: column.description,
      index: columns.length + 1,
      tests: tests?.get(key) ?? [],
    });
  }
  return columns;
}

function groupTests(project: CompiledProject, lastRun: LastRun | undefined) {
  const byNode = new Map<string, { model: DocsTest[]; byColumn: Map<string, DocsTest[]> }>();
  for (const test of project.tests.values()) {
    if (!test.attachedNode) continue;
    if (!byNode.has(test.attachedNode)) byNode.set(test.attachedNode, { model: [], byColumn: new Map() });
    const entry = byNode.get(test.attachedNode)!;
    const docsTest = toDocsTest(test, lastRun);
    if (test.columnName) {
      const key = test.columnName.toLowerCase();
      if (!entry.byColumn.has(key)) entry.byColumn.set(key, []);
      entry.byColumn.get(key)!.push(docsTest);
    } else entry.model.push(docsTest);
  }
  return byNode;
}

const STATUSES = new Set(['pass', 'fail', 'warn', 'error', 'skipped']);

function toDocsTest(test: CompiledTest, lastRun: LastRun | undefined): DocsTest {
  const result = lastRun?.results.get(test.uniqueId);
  const name = test.testMetadata
    ? test.testMetadata.namespace
      ? `${test.testMetadata.namespace}.${test.testMetadata.name}`
      : test.testMetadata.name
    : test.testName;
  return {
    id: test.uniqueId,
    name,
    severity: test.severity,
    ...(result && STATUSES.has(result.status) ? { status: result.status as DocsTest['status'] } : {}),
    ...(result?.failures !== undefined ? { failures: result.failures } : {}),
    ...(result?.message ? { message: result.message } : {}),
  };
}
