import { cpSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/registry.js';
import { writeArtifactFile } from '../artifacts/write-file.js';
import { writeCompiledFiles, writeManifest } from '../artifacts/manifest.js';
import { readWarehouseCatalog, type WarehouseCatalog, writeCatalogArtifact } from '../docs/catalog.js';
import { buildDocsData, readLastRun } from '../docs/docs-model.js';
import { buildLineage } from '../docs/lineage/index.js';
import { drawPreviews, MAX_PREVIEWS } from '../docs/previews.js';
import { writeSite } from '../docs/site/write-site.js';
import type { ProjectConfig } from '../config/project-config.js';
import { onFile } from '../errors/file-system.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { TSDBT_VERSION } from '../version.js';
import { newInvocation } from './invocation.js';
import type { OpenedProject } from './open-project.js';

export interface DocsOutcome {
  /** Paths relative to the project. */
  catalogPath?: string;
  lineagePath: string;
  siteDir: string;
  /** Relations in the catalog; those never built (not in the warehouse yet). */
  catalogued: number;
  missing: string[];
  /** Models whose lineage is partial or could not be parsed, with why. */
  lineageGaps: Array<{ id: string; status: string; reason?: string }>;
  site: { files: number; bytes: number };
  warnings: string[];
  /** What was left out on purpose (e.g. preview charts past the budget). */
  notes: string[];
}

/**
 * `tsdbt docs generate`: the manifest and compiled SQL, the catalog of the target (unless
 * `catalog: false`), column lineage, and the static site in target/docs.
 */
export async function generateDocs(opened: OpenedProject, options: { catalog: boolean }): Promise<DocsOutcome> {
  const { project, target } = opened;
  const invocation = newInvocation(opened);
  writeCompiledFiles(project);
  writeManifest(project, invocation);
  const targetDir = join(project.projectDir, project.targetPath);
  let catalog: WarehouseCatalog | undefined;
  let previews: Map<string, string> | undefined;
  const previewFailures: string[] = [];
  const notes: string[] = [];
  let catalogPath: string | undefined;
  if (options.catalog) {
    const adapter: Adapter = await createAdapter(target, { invocationId: invocation.invocationId });
    await adapter.connection.open();
    try {
      catalog = await readWarehouseCatalog(project, adapter, target.lakeRoot);
      const drawn = await drawPreviews(project, catalog, adapter);
      previews = drawn.charts;
      if (drawn.eligible > MAX_PREVIEWS) {
        notes.push(`preview charts: ${MAX_PREVIEWS} of ${drawn.eligible} models with a date column (those exposures read first, then the most downstream)`);
      }
      previewFailures.push(...drawn.failures);
    } finally {
      await adapter.connection.close();
    }
    writeCatalogArtifact(project, catalog, invocation);
    catalogPath = `${project.targetPath}/catalog.json`;
  }
  const knownColumns = new Map<string, string[]>();
  for (const [id, entry] of catalog?.relations ?? [])
    knownColumns.set(
      id,
      entry.columns.map((c) => c.name),
    );
  for (const resource of [...project.nodes.values(), ...project.sources.values()]) {
    const declared = Object.values(resource.columns).map((c) => c.name);
    if (!knownColumns.has(resource.uniqueId) && declared.length > 0) knownColumns.set(resource.uniqueId, declared);
  }
  const lineage = await buildLineage(project, { knownColumns, generatedAt: invocation.generatedAt, tsdbtVersion: TSDBT_VERSION, dialect: opened.dialect });
  writeArtifactFile(join(targetDir, 'lineage.json'), `${JSON.stringify(lineage)}\n`);
  const { data, warnings } = buildDocsData({
    project,
    dialect: opened.dialect,
    target: { name: target.name, type: target.type },
    catalog,
    lineage,
    lastRun: readLastRun(project),
    previews,
    generatedAt: invocation.generatedAt,
  });
  const site = writeSite(join(targetDir, 'docs'), data);
  copyAssets(opened.config, join(targetDir, 'docs'));
  return {
    catalogPath,
    lineagePath: `${project.targetPath}/lineage.json`,
    siteDir: `${project.targetPath}/docs`,
    catalogued: catalog?.relations.size ?? 0,
    missing: catalog?.missing ?? [],
    lineageGaps: Object.entries(lineage.nodes)
      .filter(([, node]) => node.status !== 'ok')
      .map(([id, node]) => ({ id, status: node.status, ...(node.reason ? { reason: node.reason } : {}) })),
    site,
    warnings: [...warnings, ...(catalog?.errors ?? []), ...previewFailures],
    notes,
  };
}

/** The site's own top-level names: an asset folder may not take them. */
const SITE_NAMES = new Set(['index.html', 'assets', 'data']);

/** dbt's asset-paths: each folder copied into the site under its own path (images of descriptions). */
function copyAssets(config: ProjectConfig, siteDir: string): void {
  config.assetPaths.forEach((folder, i) => {
    const name = relative(config.projectDir, folder);
    if (SITE_NAMES.has(name.split('/')[0]!) || name.startsWith('..')) {
      throw new TsdbtError(`asset-paths: "${name}" would overwrite the site's own files (or is outside the project)`, {
        code: 'E_DOCS',
        kind: 'config',
        location: config.file.locate(['asset-paths', i], true),
        hint: 'use another folder name inside the project, e.g. asset-paths: [docs-assets]',
      });
    }
    if (existsSync(folder)) onFile(join(siteDir, name), () => cpSync(folder, join(siteDir, name), { recursive: true }));
  });
}
