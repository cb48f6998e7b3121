import { join } from 'node:path';
import type { CompiledProject } from '../compile/types.js';
import { sha256 } from '../project/checksum.js';
import { columnConstraints, contractConfig, contractFields } from './contract-manifest.js';
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
    ['metadata', metadata(MANIFEST_SCHEMA, invocation, { projectName: project.name })],
    ['nodes', nodeEntries(project, invocation.catalog)],
    ['sources', sourceEntries(project, invocation.catalog)],
    ['exposures', exposureEntries(project)],
    ['macros', macroEntries(project)],
    ['docs', docEntries(project)],
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
              path: resourcePath(g.originalFilePath),
              original_file_path: g.originalFilePath,
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
    ['group_map', groupMap(project)],
    ['unit_tests', unitTestEntries(project)],
    ['saved_queries', {}],
  ];
}

/** The manifest as one object (for --state comparisons and tests). */
export function buildManifest(project: CompiledProject, invocation: InvocationInfo): Record<string, unknown> {
  return Object.fromEntries(manifestSections(project, invocation).map(([key, value]) => [key, isEntries(value) ? Object.fromEntries(value) : value]));
}

/**
 * Writes the manifest in chunks: no single giant string, far less memory on large projects.
 * `metadataBytes`: the length of its metadata object, the only part that changes between two
 * invocations on the same inputs (see restampManifest).
 */
export function writeManifest(project: CompiledProject, invocation: InvocationInfo): { path: string; metadataBytes: number } {
  const path = join(project.projectDir, project.targetPath, 'manifest.json');
  let metadataBytes = 0;
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
        const json = JSON.stringify(value);
        if (key === 'metadata') metadataBytes = Buffer.byteLength(json);
        buffer += json;
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
  return { path, metadataBytes };
}

function isEntries(value: unknown): value is Entries {
  return typeof value === 'object' && value !== null && Symbol.iterator in value;
}

/** A path relative to its resource folder (models/x.yml → x.yml), as dbt's `path`. */
const resourcePath = (originalFilePath: string) => originalFilePath.slice(originalFilePath.indexOf('/') + 1);

function* nodeEntries(project: CompiledProject, catalog: string): Generator<[string, unknown]> {
  for (const node of project.nodes.values()) {
    const common = {
      unique_id: node.uniqueId,
      resource_type: node.resourceType,
      package_name: node.packageName,
      name: node.name,
      path: node.path,
      original_file_path: node.originalFilePath,
      fqn: node.fqn,
      alias: node.identifier,
      schema: node.schema,
      database: node.resolvedConfig.database ?? catalog,
      checksum: { name: 'sha256', checksum: node.checksum },
      // A model's contract config as dbt writes it (enforced, alias_types), whatever was written.
      config: node.resourceType === 'model' ? { ...node.config, contract: contractConfig(node) } : node.config,
      tags: node.tags,
      description: node.description,
      docs: { show: node.resolvedConfig.docs.show, node_color: node.resolvedConfig.docs.nodeColor ?? null },
      columns: Object.fromEntries(
        Object.values(node.columns).map((c) => [
          c.name,
          {
            name: c.name,
            description: c.description,
            data_type: c.dataType ?? null,
            meta: c.meta,
            tags: c.tags,
            ...(node.resourceType === 'model' ? { constraints: columnConstraints(node, c.name) } : {}),
          },
        ]),
      ),
      meta: node.meta,
      patch_path: node.patchPath ?? null,
      relation_name: node.relationName ?? null,
    };
    if (node.resourceType === 'seed') {
      yield [node.uniqueId, { ...common, raw_code: '', depends_on: { macros: node.dependsOn.macros } }];
      continue;
    }
    yield [
      node.uniqueId,
      {
        ...common,
        // dbt's snapshots have no access level.
        ...(node.resourceType === 'snapshot' ? {} : { access: node.resolvedConfig.access }),
        group: node.resolvedConfig.group ?? null,
        ...(node.resourceType === 'model' ? contractFields(node) : {}),
        depends_on: node.dependsOn,
        refs: node.refs.map(([name]) => ({ name, package: null, version: null })),
        sources: node.sources,
        language: 'sql',
        raw_code: node.rawCode,
        compiled: true,
        compiled_code: node.compiledCode,
        compiled_path: node.compiledPath,
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
        // dbt: a generic test's path is its own name; a singular test's, its file under tests/.
        path: test.kind === 'generic' ? `${test.name}.sql` : resourcePath(test.originalFilePath),
        original_file_path: test.originalFilePath,
        fqn: test.fqn,
        database: catalog,
        schema: test.auditSchema,
        alias: test.name,
        checksum: { name: 'sha256', checksum: sha256(`${test.failingRowsSql}\n${JSON.stringify(test.config)}`) },
        config: { ...test.config, severity: test.severity.toUpperCase(), warn_if: test.warnIf, error_if: test.errorIf, store_failures: test.storeFailures },
        tags: test.tags,
        description: test.description,
        depends_on: test.dependsOn,
        language: 'sql',
        raw_code: test.kind === 'generic' ? `{{ test_${test.testName}(**_dbt_generic_test_kwargs) }}` : (test.rawCode ?? ''),
        compiled: true,
        compiled_code: test.failingRowsSql,
        compiled_path: test.compiledPath,
        ...(test.kind === 'generic'
          ? {
              test_metadata: test.testMetadata,
              column_name: test.columnName ?? null,
              attached_node: test.attachedNode ?? null,
              file_key_name: test.fileKeyName ?? null,
            }
          : {}),
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
        package_name: test.packageName,
        name: test.name,
        model: test.model.split('.').pop(),
        path: resourcePath(test.originalFilePath),
        original_file_path: test.originalFilePath,
        fqn: test.fqn,
        description: test.description,
        given: test.inputs.map((i) => ({ input: i.input, rows: i.rows })),
        expect: { rows: test.expect },
        depends_on: test.dependsOn,
        checksum: sha256(JSON.stringify([test.inputs, test.expect, test.sql])),
        config: test.config,
      },
    ];
  }
}

function* sourceEntries(project: CompiledProject, catalog: string): Generator<[string, unknown]> {
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
        database: source.database ?? catalog,
        path: resourcePath(source.originalFilePath),
        original_file_path: source.originalFilePath,
        fqn: source.fqn,
        description: source.description,
        source_description: source.sourceDescription,
        loader: source.loader,
        external: source.external ?? null,
        loaded_at_field: source.loadedAtField ?? null,
        freshness: source.freshness ?? null,
        columns: Object.fromEntries(
          Object.values(source.columns).map((c) => [c.name, { name: c.name, description: c.description, data_type: c.dataType ?? null }]),
        ),
        meta: source.meta,
        tags: source.tags,
        config: source.config,
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
        package_name: exposure.packageName,
        name: exposure.name,
        type: exposure.type,
        owner: exposure.owner,
        url: exposure.url ?? null,
        label: exposure.label ?? null,
        meta: exposure.meta,
        description: exposure.description,
        maturity: exposure.maturity ?? null,
        depends_on: { nodes: exposure.dependsOn.nodes, macros: [] },
        path: resourcePath(exposure.originalFilePath),
        original_file_path: exposure.originalFilePath,
        tags: exposure.tags,
        fqn: exposure.fqn,
      },
    ];
  }
}

function* macroEntries(project: CompiledProject): Generator<[string, unknown]> {
  for (const macro of project.macros) {
    yield [
      macro.uniqueId,
      {
        unique_id: macro.uniqueId,
        resource_type: 'macro',
        package_name: macro.packageName,
        name: macro.name,
        path: resourcePath(macro.originalFilePath),
        original_file_path: macro.originalFilePath,
        macro_sql: macro.macroSql,
        depends_on: { macros: [] },
        description: '',
        arguments: [],
      },
    ];
  }
}

function* docEntries(project: CompiledProject): Generator<[string, unknown]> {
  for (const doc of project.docs) {
    const uniqueId = `doc.${project.name}.${doc.name}`;
    yield [
      uniqueId,
      {
        unique_id: uniqueId,
        resource_type: 'doc',
        package_name: project.name,
        name: doc.name,
        path: resourcePath(doc.originalFilePath),
        original_file_path: doc.originalFilePath,
        block_contents: doc.contents,
      },
    ];
  }
}

/** dbt's group_map: each group's member nodes. */
function groupMap(project: CompiledProject): Record<string, string[]> {
  const map: Record<string, string[]> = Object.fromEntries(project.groups.map((g) => [g.name, []]));
  for (const node of project.nodes.values()) {
    const group = node.resolvedConfig.group;
    // A group must be declared (checked at compile), so its list exists.
    if (group !== undefined) map[group]?.push(node.uniqueId);
  }
  return map;
}

function* graphEntries(project: CompiledProject, neighbours: (id: string) => readonly string[]): Generator<[string, unknown]> {
  for (const id of project.order) yield [id, neighbours(id)];
}

/**
 * target/compiled/**: the rendered SELECT of every model and snapshot, exactly what runs, and the queries of
 * the tests in `only` (all tests' SQL is in the manifest; writing thousands of small files is
 * what a large compile would otherwise spend its time on).
 */
export function writeCompiledFiles(project: CompiledProject, only?: Set<string>): string[] {
  const files: Array<[string, string]> = [];
  for (const node of project.nodes.values()) {
    if (node.resourceType === 'seed' || (only && !only.has(node.uniqueId))) continue;
    files.push([join(project.projectDir, node.compiledPath), node.compiledCode.endsWith('\n') ? node.compiledCode : `${node.compiledCode}\n`]);
  }
  for (const test of project.tests.values()) {
    if (!only?.has(test.uniqueId)) continue;
    files.push([join(project.projectDir, test.compiledPath), `${test.failingRowsSql}\n`]);
  }
  writeArtifactFiles(files);
  return files.map(([path]) => path);
}
