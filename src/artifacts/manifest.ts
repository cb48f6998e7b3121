import { join } from 'node:path';
import type { CompiledProject } from '../compile/types.js';
import { sha256 } from '../project/checksum.js';
import { writeArtifactFiles, writeArtifactStream } from './write-file.js';
import type { InvocationInfo } from '../execute/types.js';
import { MANIFEST_SCHEMA, metadata } from './schema-versions.js';

type Entries = Iterable<[string, unknown]>;

/**
 * target/manifest.json, section by section: every resource, its config and code, and the graph.
 * Sections are generated lazily so a large manifest can be streamed to disk.
 */
function manifestSections(project: CompiledProject, invocation: InvocationInfo): Array<[string, Entries | unknown]> {
  return [
    ['metadata', metadata(MANIFEST_SCHEMA, invocation, project.name)],
    ['nodes', nodeEntries(project)],
    ['sources', sourceEntries(project)],
    ['exposures', exposureEntries(project)],
    [
      'macros',
      project.macros.map(
        (m) =>
          [m.uniqueId, { unique_id: m.uniqueId, name: m.name, original_file_path: m.originalFilePath, checksum: { name: 'sha256', checksum: m.checksum } }] as [
            string,
            unknown,
          ],
      ),
    ],
    ['docs', {}],
    ['metrics', {}],
    [
      'groups',
      project.groups.map(
        (g) =>
          [
            `group.${project.name}.${g.name}`,
            {
              name: g.name,
              resource_type: 'group',
              package_name: project.name,
              unique_id: `group.${project.name}.${g.name}`,
              owner: g.owner,
              description: g.description,
            },
          ] as [string, unknown],
      ),
    ],
    ['selectors', {}],
    ['disabled', {}],
    ['parent_map', graphEntries(project, (id) => project.dag.parents(id))],
    ['child_map', graphEntries(project, (id) => project.dag.children(id))],
    ['semantic_models', {}],
    ['unit_tests', unitTestEntries(project)],
    ['saved_queries', {}],
  ];
}

/** The manifest as one object (for --state comparisons and tests). */
export function buildManifest(project: CompiledProject, invocation: InvocationInfo): Record<string, unknown> {
  return Object.fromEntries(manifestSections(project, invocation).map(([key, value]) => [key, isEntries(value) ? Object.fromEntries(value) : value]));
}

/** Writes the manifest in chunks: no single giant string, far less memory on large projects. */
export function writeManifest(project: CompiledProject, invocation: InvocationInfo): string {
  const path = join(project.projectDir, project.targetPath, 'manifest.json');
  writeArtifactStream(path, (write) => {
    let buffer = '{';
    const flush = (force = false) => {
      if (force || buffer.length > 1 << 20) {
        write(buffer);
        buffer = '';
      }
    };
    manifestSections(project, invocation).forEach(([key, value], index) => {
      buffer += `${index === 0 ? '' : ','}${JSON.stringify(key)}:`;
      if (!isEntries(value)) {
        buffer += JSON.stringify(value);
        return;
      }
      buffer += '{';
      let first = true;
      for (const [id, entry] of value) {
        buffer += `${first ? '' : ','}${JSON.stringify(id)}:${JSON.stringify(entry)}`;
        first = false;
        flush();
      }
      buffer += '}';
    });
    buffer += '}\n';
    flush(true);
  });
  return path;
}

function isEntries(value: unknown): value is Entries {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

function* nodeEntries(project: CompiledProject): Generator<[string, unknown]> {
  for (const node of project.nodes.values()) {
    yield [
      node.uniqueId,
      {
        unique_id: node.uniqueId,
        resource_type: node.resourceType,
        package_name: node.packageName,
        name: node.name,
        path: node.path,
        original_file_path: node.originalFilePath,
        fqn: node.fqn,
        alias: node.identifier,
        schema: node.schema,
        database: node.resolvedConfig.database ?? null,
        checksum: { name: 'sha256', checksum: node.checksum },
        config: node.config,
        tags: node.tags,
        description: node.description,
        docs: { show: node.resolvedConfig.docs.show, node_color: node.resolvedConfig.docs.nodeColor ?? null },
        ...(node.resourceType === 'model' ? { access: node.resolvedConfig.access, group: node.resolvedConfig.group ?? null } : {}),
        columns: Object.fromEntries(
          Object.values(node.columns).map((c) => [
            c.name,
            { name: c.name, description: c.description, data_type: c.dataType ?? null, meta: c.meta, tags: c.tags },
          ]),
        ),
        meta: node.meta,
        patch_path: node.patchPath ?? null,
        depends_on: node.dependsOn,
        refs: node.refs.map(([name]) => ({ name, package: null, version: null })),
        sources: node.sources,
        language: 'sql',
        raw_code: node.resourceType === 'seed' ? '' : node.rawCode,
        compiled: node.resourceType === 'model',
        compiled_code: node.resourceType === 'model' ? node.compiledCode : undefined,
        compiled_path: node.resourceType === 'model' ? node.compiledPath : undefined,
        relation_name: node.relationName ?? null,
      },
    ];
  }
  for (const test of project.tests.values()) {
    yield [
      test.uniqueId,
      {
        unique_id: test.uniqueId,
        resource_type: 'test',
        package_name: test.packageName,
        name: test.name,
        original_file_path: test.originalFilePath,
        fqn: test.fqn,
        schema: test.auditSchema,
        alias: test.name,
        checksum: { name: 'sha256', checksum: sha256(`${test.failingRowsSql}\n${JSON.stringify(test.config)}`) },
        config: { ...test.config, severity: test.severity.toUpperCase(), warn_if: test.warnIf, error_if: test.errorIf, store_failures: test.storeFailures },
        tags: test.tags,
        depends_on: test.dependsOn,
        test_metadata: test.kind === 'generic' ? { name: test.testName } : undefined,
        column_name: test.columnName ?? null,
        attached_node: test.attachedNode ?? null,
        language: 'sql',
        compiled: true,
        compiled_code: test.failingRowsSql,
        compiled_path: test.compiledPath,
      },
    ];
  }
}

function* unitTestEntries(project: CompiledProject): Generator<[string, unknown]> {
  for (const test of project.unitTests.values()) {
    yield [
      test.uniqueId,
      {
        unique_id: test.uniqueId,
        resource_type: 'unit_test',
        name: test.name,
        model: test.model.split('.').pop(),
        original_file_path: test.originalFilePath,
        fqn: test.fqn,
        description: test.description,
        given: test.inputs.map((i) => ({ input: i.input, rows: i.rows })),
        expect: { rows: test.expect },
        depends_on: test.dependsOn,
        checksum: { name: 'sha256', checksum: sha256(JSON.stringify([test.inputs, test.expect, test.sql])) },
        config: test.config,
      },
    ];
  }
}

function* sourceEntries(project: CompiledProject): Generator<[string, unknown]> {
  for (const source of project.sources.values()) {
    yield [
      source.uniqueId,
      {
        unique_id: source.uniqueId,
        resource_type: 'source',
        package_name: source.packageName,
        name: source.name,
        source_name: source.sourceName,
        identifier: source.identifier,
        schema: source.schema,
        database: source.database ?? null,
        original_file_path: source.originalFilePath,
        fqn: source.fqn,
        description: source.description,
        source_description: source.sourceDescription,
        external: source.external ?? null,
        loaded_at_field: source.loadedAtField ?? null,
        freshness: source.freshness ?? null,
        columns: Object.fromEntries(
          Object.values(source.columns).map((c) => [c.name, { name: c.name, description: c.description, data_type: c.dataType ?? null }]),
        ),
        meta: source.meta,
        tags: source.tags,
        config: source.config,
        checksum: {
          name: 'sha256',
          checksum: sha256(
            JSON.stringify([source.schema, source.identifier, source.external ?? null, source.config, source.loadedAtField ?? null, source.freshness ?? null]),
          ),
        },
      },
    ];
  }
}

function* exposureEntries(project: CompiledProject): Generator<[string, unknown]> {
  for (const exposure of project.exposures.values()) {
    yield [
      exposure.uniqueId,
      {
        unique_id: exposure.uniqueId,
        resource_type: 'exposure',
        name: exposure.name,
        type: exposure.type,
        owner: exposure.owner,
        url: exposure.url ?? null,
        label: exposure.label ?? null,
        meta: exposure.meta,
        description: exposure.description,
        maturity: exposure.maturity ?? null,
        depends_on: { nodes: exposure.dependsOn.nodes, macros: [] },
        original_file_path: exposure.originalFilePath,
        tags: exposure.tags,
        fqn: exposure.fqn,
      },
    ];
  }
}

function* graphEntries(project: CompiledProject, neighbours: (id: string) => readonly string[]): Generator<[string, unknown]> {
  for (const id of project.order) yield [id, neighbours(id)];
}

/**
 * target/compiled/**: the rendered SELECT of every model, exactly what runs, and the queries of
 * the tests in `only` (all tests' SQL is in the manifest; writing thousands of small files is
 * what a large compile would otherwise spend its time on).
 */
export function writeCompiledFiles(project: CompiledProject, only?: Set<string>): void {
  const files: Array<[string, string]> = [];
  for (const node of project.nodes.values()) {
    if (node.resourceType !== 'model' || (only && !only.has(node.uniqueId))) continue;
    files.push([join(project.projectDir, node.compiledPath), node.compiledCode.endsWith('\n') ? node.compiledCode : `${node.compiledCode}\n`]);
  }
  for (const test of project.tests.values()) {
    if (!only?.has(test.uniqueId)) continue;
    files.push([join(project.projectDir, test.compiledPath), `${test.failingRowsSql}\n`]);
  }
  writeArtifactFiles(files);
}
