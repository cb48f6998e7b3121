import { codeFrame } from '../errors/code-frame.js';
import { didYouMean } from '../errors/suggest.js';
import { Diagnostics, formatLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { CycleError, createDag, topologicalOrder } from '../graph/dag.js';
import { type ConfigLayer, type KeyOrigin, mergeConfig, spellingsOf } from '../project/config-merge.js';
import { sha256 } from '../project/checksum.js';
import type { Exposure, LoadedProject, ParsedNode } from '../project/types.js';
import { compileTests } from './data-tests/compile-tests.js';
import { compileUnitTests } from './compile-unit-tests.js';
import { applyContract, linkContractReferences } from './contract.js';
import type { Dialect } from './dialect.js';
import { findJinja, jinjaError } from './jinja/detect.js';
import { macroUniqueId } from './macro-params.js';
import { checkSeedCsv } from './seed-csv.js';
import { isBlankSql } from './sql-text.js';
import { type FileSelection, fileSelectionOverride, resolveFileColumns } from './file-batches.js';
import { createRelationResolver, type PlaceholderOverride, type RelationResolver } from './relations.js';
import { renderExtraTemplate } from './render-extra.js';
import { finalizeHooks, type RenderedHooks, renderHooks } from './hooks.js';
import type { HookConfig } from './hook-config.js';
import { newRenderState, TemplateEnvironment, type CompiledTemplate, type RenderState, type TemplateContextInput } from './template-environment.js';
import { type ConfigContext, type EngineConfigSpec, type ResolvedNodeConfig, resolveNodeConfig } from './node-config.js';
import { templateError } from './template-errors.js';
import type { CompiledSql, RenderedText } from './line-map.js';
import type { CompiledNode, CompiledProject, CompiledTest } from './types.js';

export interface CompileOptions {
  dialect: Dialect;
  context: TemplateContextInput;
  /** Default schema of the target, for models without a `schema` config. */
  defaultSchema: string;
  lakeRoot?: string;
  targetPath: string;
  /** The target's engine, and every engine's own config keys: configs are checked at compile time. */
  engine: ConfigContext['engine'];
  engineSpecs: readonly EngineConfigSpec[];
}

interface Rendered {
  node: ParsedNode;
  template?: CompiledTemplate;
  state: RenderState;
  /** The template's output, with placeholders where relations go. */
  output: RenderedText;
}

/** Renders every template, resolves refs and sources into relations and builds the DAG. */
export async function compileProject(project: LoadedProject, options: CompileOptions): Promise<CompiledProject> {
  const diagnostics = new Diagnostics();
  const environment = new TemplateEnvironment(options.context, options.dialect);
  (await environment.registerMacros(project.macros)).forEach((e) => diagnostics.add(e));
  const newState = (node: ParsedNode, overrides?: { isIncremental?: boolean; vars?: Record<string, unknown> }): RenderState =>
    newRenderState(node.uniqueId, node.originalFilePath, node.rawCode, overrides);

  const rendered: Rendered[] = [];
  for (const node of project.nodes) {
    const state = newState(node);
    if (node.resourceType === 'seed') {
      rendered.push({ node, state, output: { text: '', origins: [] } });
      continue;
    }
    const jinja = findJinja(node.rawCode);
    if (jinja) {
      diagnostics.add(jinjaError(node.originalFilePath, node.rawCode, jinja, node.uniqueId));
      continue;
    }
    try {
      const template = environment.compile(node.rawCode);
      const text = environment.render(template, state);
      // A template that starts below line 1 of its file (a YAML snapshot's relation:) maps there.
      const output = node.templateLine > 1 ? { ...text, origins: text.origins.map((line) => line + node.templateLine - 1) } : text;
      if (isBlankSql(output.text)) diagnostics.add(emptyModelError(node));
      rendered.push({ node, template, state, output });
    } catch (error) {
      diagnostics.add(templateError(error, node.originalFilePath, node.rawCode, node.uniqueId));
    }
  }
  diagnostics.throwIfAny();

  // Final configs first: a ref's relation depends on the referenced model's schema and alias.
  const nodes = new Map<string, CompiledNode>();
  const configWarnings = new Set<string>();
  for (const entry of rendered) {
    const compiled = withFinalConfig(entry, project.name, options, diagnostics, configWarnings);
    if (!compiled) continue;
    nodes.set(compiled.uniqueId, compiled);
    if (compiled.resolvedConfig.materialized === 'seed') {
      for (const error of checkSeedCsv(compiled.rawCode, compiled.originalFilePath, compiled.uniqueId, compiled.resolvedConfig.delimiter))
        diagnostics.add(error);
    }
  }
  const resolver = createRelationResolver(nodes.values(), project.sources, options.dialect, options.lakeRoot, project.unbuiltModels);
  const groups = new Set(project.groups.map((g) => g.name));
  const renderedHooks = new Map<string, RenderedHooks>();
  for (const { node, state } of rendered) {
    const compiled = nodes.get(node.uniqueId);
    if (!compiled) continue;
    const { parents, errors } = resolver.parentsOf(state, {
      kind: node.resourceType,
      name: node.name,
      file: node.originalFilePath,
      source: node.rawCode,
      nodeId: node.uniqueId,
    });
    errors.forEach((e) => diagnostics.add(e));
    compiled.dependsOn.nodes = parents;
    linkContractReferences(compiled, resolver).forEach((e) => diagnostics.add(e));
    checkRefAccess(compiled, state, resolver.modelsByName, groups, diagnostics, configWarnings);
    const { hooks } = compiled.resolvedConfig;
    if (hooks.pre.length + hooks.post.length === 0) continue;
    // Hooks render once every relation is known; what they ref is a parent of the node (as in dbt).
    const hooked = renderHooks(environment, resolver, compiled);
    hooked.errors.forEach((e) => diagnostics.add(e));
    compiled.dependsOn.nodes = [...new Set([...parents, ...hooked.parents])];
    compiled.dependsOn.macros = [...new Set([...compiled.dependsOn.macros, ...hooked.macros.map((m) => macroUniqueId(project.name, m))])];
    renderedHooks.set(compiled.uniqueId, hooked.rendered);
  }
  warnUngranted(nodes, options.engine, configWarnings);
  const exposures = resolveExposures(project.exposures, resolver, diagnostics);
  diagnostics.throwIfAny();

  const sources = new Map(project.sources.map((s) => [s.uniqueId, s]));
  const modelParents = (id: string): string[] => nodes.get(id)?.dependsOn.nodes ?? exposures.get(id)?.dependsOn.nodes ?? [];
  const modelOrder = orderOrThrow(createDag([...sources.keys(), ...nodes.keys(), ...exposures.keys()], modelParents), nodes);
  resolveFileColumns(modelOrder, nodes, sources, diagnostics);
  diagnostics.throwIfAny();
  const outputs = new Map(rendered.map((r) => [r.node.uniqueId, r.output]));
  /** Placeholders → relations in every model; ephemeral parents are inlined, so they go first. */
  const finalizeModels = (target: ReadonlyMap<string, CompiledNode>, using: RelationResolver) => {
    for (const id of modelOrder) {
      const node = target.get(id);
      if (node === undefined || node.resourceType === 'seed') continue;
      const sql = using.finalize(outputs.get(id)!, node);
      node.compiledCode = sql.text;
      node.compiledLines = sql.lines;
    }
    for (const [id, hooks] of renderedHooks) {
      const node = target.get(id);
      if (node) node.hooks = finalizeHooks(hooks, node, using);
    }
  };
  finalizeModels(nodes, resolver);

  const templates = new Map(rendered.filter((r) => r.template).map((r) => [r.node.uniqueId, r.template!]));
  const renderModel = (node: CompiledNode, overrides: { vars?: Record<string, unknown>; isIncremental: boolean }) =>
    environment.render(templates.get(node.uniqueId)!, newState(node, overrides));
  const relationsOf = (relations: Iterable<CompiledNode>) =>
    createRelationResolver(relations, project.sources, options.dialect, options.lakeRoot, project.unbuiltModels);

  const { tests, errors: testErrors } = compileTests({
    project,
    resolver,
    environment,
    dialect: options.dialect,
    lakeRoot: options.lakeRoot,
    targetPath: options.targetPath,
  });
  const { unitTests, errors: unitErrors } = compileUnitTests(project, resolver, renderModel, options.dialect);
  [...testErrors, ...unitErrors].forEach((e) => diagnostics.add(e));
  diagnostics.throwIfAny();

  const parentsOf = (id: string): string[] =>
    modelParents(id).length > 0 ? modelParents(id) : (tests.get(id)?.dependsOn.nodes ?? unitTests.get(id)?.dependsOn.nodes ?? []);
  const dag = createDag([...sources.keys(), ...nodes.keys(), ...tests.keys(), ...unitTests.keys(), ...exposures.keys()], parentsOf);

  /** --empty: refs and sources as zero-row subqueries (ephemeral parents stay CTEs, emptied themselves). */
  const zeroRows =
    (using: RelationResolver): PlaceholderOverride =>
    (kind, key) => {
      if (kind === 'src') return `(select * from ${options.dialect.sourceRelation(using.sourcesByKey.get(key)!, options.lakeRoot)} where false)`;
      const parent = kind === 'ref' ? using.modelsByName.get(key) : undefined;
      return parent && parent.materialized !== 'ephemeral' ? `(select * from ${parent.relationName} where false)` : undefined;
    };

  const build = (
    built: ReadonlyMap<string, CompiledNode>,
    builtTests: ReadonlyMap<string, CompiledTest>,
    using: RelationResolver,
    override?: PlaceholderOverride,
  ): CompiledProject => ({
    name: project.name,
    projectDir: project.projectDir,
    targetPath: options.targetPath,
    nodes: built as Map<string, CompiledNode>,
    sources,
    exposures,
    tests: builtTests as Map<string, CompiledTest>,
    unitTests,
    groups: project.groups,
    docs: project.docs,
    selectors: project.selectors,
    macros: [
      ...project.macros.map((m) => ({
        uniqueId: `macro.${m.namespace ?? project.name}.${m.name}`,
        name: m.name,
        packageName: m.namespace ?? project.name,
        originalFilePath: m.originalFilePath,
        checksum: m.checksum,
        macroSql: m.rawCode,
      })),
      ...project.genericTests.map((t) => ({
        uniqueId: `macro.${t.namespace ?? project.name}.test_${t.name}`,
        name: `test_${t.name}`,
        packageName: t.namespace ?? project.name,
        originalFilePath: t.originalFilePath,
        checksum: sha256(t.rawCode),
        macroSql: t.rawCode,
      })),
    ],
    dag,
    order,
    warnings: [...project.warnings, ...configWarnings],
    renderIncremental(uniqueId: string): CompiledSql {
      const node = built.get(uniqueId)!;
      return using.finalize(renderModel(node, { isIncremental: true }), node, override);
    },
    renderBatch(uniqueId: string, window: { start: string; end: string }): CompiledSql {
      const node = built.get(uniqueId)!;
      const filter = options.dialect.eventTimeFilter;
      if (!filter) throw new Error(`the ${options.dialect.type} dialect has no event-time filter: microbatch models cannot be rendered`);
      // dbt's rule: a ref or source whose target declares event_time reads only the batch's window.
      const filtered: PlaceholderOverride = (kind, key) => {
        const outer = override?.(kind, key);
        if (outer !== undefined) return outer;
        if (kind === 'src') {
          const source = using.sourcesByKey.get(key)!;
          const column = source.config.event_time;
          if (typeof column !== 'string' || column === '') return undefined;
          return `(select * from ${options.dialect.sourceRelation(source, options.lakeRoot)} where ${filter(options.dialect.quoteIdentifier(column), window.start, window.end)})`;
        }
        if (kind !== 'ref') return undefined;
        const parent = using.modelsByName.get(key);
        const column = parent?.resolvedConfig.eventTime;
        if (!parent || !column || parent.materialized === 'ephemeral') return undefined;
        return `(select * from ${parent.relationName} where ${filter(options.dialect.quoteIdentifier(column), window.start, window.end)})`;
      };
      return using.finalize(renderModel(node, { isIncremental: true }), node, filtered);
    },
    renderFiles(uniqueId: string, selection: FileSelection, mode: { incremental: boolean }): CompiledSql {
      const node = built.get(uniqueId)!;
      const files = fileSelectionOverride(selection, using, options.dialect, options.lakeRoot);
      return using.finalize(renderModel(node, { isIncremental: mode.incremental }), node, (kind, key) => override?.(kind, key) ?? files(kind, key));
    },
    renderAdHoc(source: string, file: string): string {
      const result = renderExtraTemplate(environment, using, { source, file, kind: 'query', name: file });
      if (result.errors.length > 0) throw result.errors[0];
      return result.sql;
    },
    deferTo(relations) {
      // The same renders, resolved again: deferred nodes keep their state's relation.
      const deferred = new Map([...built].map(([id, node]) => [id, { ...node, relationName: relations.get(id) ?? node.relationName }]));
      const deferredResolver = relationsOf(deferred.values());
      finalizeModels(deferred, deferredResolver);
      const deferredTests = new Map(
        [...builtTests].map(([id, test]) => [
          id,
          test.failingRowsTemplate === undefined
            ? test
            : withField(test, 'failingRowsSql', deferredResolver.finalize({ text: test.failingRowsTemplate, origins: [] }).text),
        ]),
      );
      return build(deferred, deferredTests, deferredResolver);
    },
    emptied() {
      const emptied = new Map([...built].map(([id, node]) => [id, { ...node }]));
      const emptiedResolver = relationsOf(emptied.values());
      const override = zeroRows(emptiedResolver);
      for (const id of modelOrder) {
        const node = emptied.get(id);
        if (node?.resourceType !== 'model') continue;
        const sql = emptiedResolver.finalize(outputs.get(id)!, node, override);
        node.compiledCode = sql.text;
        node.compiledLines = sql.lines;
      }
      return build(emptied, builtTests, emptiedResolver, override);
    },
    async unitTestsIn(dialect) {
      if (dialect.type === options.dialect.type) return unitTests;
      // Only the models under test render again, with the other engine's helpers.
      const scratch = new TemplateEnvironment(options.context, dialect);
      await scratch.registerMacros(project.macros);
      const scratchResolver = createRelationResolver(built.values(), project.sources, dialect, options.lakeRoot, project.unbuiltModels);
      const render = (node: CompiledNode, overrides: { vars?: Record<string, unknown>; isIncremental: boolean }) =>
        scratch.render(scratch.compile(node.rawCode), newState(node, overrides));
      return compileUnitTests(project, scratchResolver, render, dialect).unitTests;
    },
  });
  const order = orderOrThrow(dag, nodes);
  return build(nodes, tests, resolver);
}

/**
 * Hooks and grants in the config as dbt's manifest has them: each hook {sql, transaction, index},
 * grants merged role by role. Keys nobody set stay unset.
 */
function manifestHooksAndGrants(config: ResolvedNodeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const hook = (h: HookConfig) => ({ sql: h.sql, transaction: h.transaction, index: null });
  if (config.hooks.pre.length > 0) out['pre-hook'] = config.hooks.pre.map(hook);
  if (config.hooks.post.length > 0) out['post-hook'] = config.hooks.post.map(hook);
  if (Object.keys(config.grants).length > 0) out.grants = config.grants;
  return out;
}

/** An engine without access control ignores grants: one warning naming the nodes that have some. */
function warnUngranted(nodes: ReadonlyMap<string, CompiledNode>, engine: CompileOptions['engine'], warnings: Set<string>): void {
  if (engine.capabilities.grants) return;
  const granted = [...nodes.values()]
    .filter((n) => Object.keys(n.resolvedConfig.grants).length > 0)
    .map((n) => n.name)
    .sort();
  if (granted.length === 0) return;
  const names = granted.length > 10 ? `${granted.slice(0, 10).join(', ')} and ${granted.length - 10} more` : granted.join(', ');
  warnings.add(`grants are not applied on ${engine.type}, which has no access control: ${names} (they apply where the engine has grants)`);
}

function emptyModelError(node: ParsedNode): TsdbtError {
  const what = node.rawCode.trim() === '' ? 'is empty' : 'renders no SQL (only comments or blanks)';
  return new TsdbtError(`${node.resourceType} "${node.name}" ${what}`, {
    code: 'E_EMPTY_MODEL',
    kind: 'project',
    nodeId: node.uniqueId,
    location: { file: node.originalFilePath },
    hint: `a ${node.resourceType} is one select statement: write it, or delete the file`,
  });
}

/** A copy of an object with one field replaced, keeping its lazy getters lazy (spreading would call them). */
function withField<T extends object, K extends keyof T>(object: T, key: K, value: T[K]): T {
  const copy = Object.create(Object.getPrototypeOf(object), Object.getOwnPropertyDescriptors(object)) as T;
  copy[key] = value;
  return copy;
}

/** Where a config key of a node was written: its {{config}} call, else its properties YAML or project.yml. */
function originOf(node: ParsedNode, state: RenderState): (key: string) => KeyOrigin {
  return (key) => {
    const spelling = spellingsOf(key).find((k) => state.configLocations[k]);
    const at = spelling === undefined ? undefined : state.configLocations[spelling];
    if (at) return { layer: 'template', location: { file: node.originalFilePath, ...at } };
    const written = spellingsOf(key)
      .map((k) => node.locateConfig(k))
      .find((origin) => origin.layer !== 'file');
    return written ?? node.locateConfig(key);
  };
}

/** The levels that set a key whose values add up (hooks, grants): the node's, then its {{config}}'s. */
function layersOf(node: ParsedNode, state: RenderState): (key: string) => ConfigLayer[] {
  return (key) => {
    const layers = node.configLayers?.(key) ?? [];
    for (const spelling of spellingsOf(key)) {
      const value = state.config[spelling];
      const at = state.configLocations[spelling];
      if (value === undefined) continue;
      const location = { file: node.originalFilePath, ...at };
      // A quoted value's text starts after `key="`: hook errors point into it.
      const text = at && typeof value === 'string' ? node.rawCode.split('\n')[at.line - 1]?.slice(at.column - 1) : undefined;
      const quoted = text === undefined ? undefined : new RegExp(`^${spelling.replace(/[^\w]/g, '\\$&')}\\s*=\\s*["']`).exec(text);
      const start = quoted && at ? { ...location, column: at.column + quoted[0].length } : location;
      layers.push({ value, layer: 'template', locate: (item) => (item === undefined ? location : start) });
    }
    return layers;
  };
}

/**
 * dbt's model governance within one project: a `group` must be declared, a private model may be
 * referred to only from its own group, and a model past its deprecation_date is warned about.
 */
function checkRefAccess(
  node: CompiledNode,
  state: RenderState,
  models: ReadonlyMap<string, CompiledNode>,
  groups: ReadonlySet<string>,
  diagnostics: Diagnostics,
  warnings: Set<string>,
): void {
  const { group } = node.resolvedConfig;
  if (group !== undefined && !groups.has(group)) {
    diagnostics.add(
      new TsdbtError(`${node.resourceType} "${node.name}" is in group "${group}", which no groups: entry declares`, {
        code: 'E_GROUP',
        kind: 'project',
        nodeId: node.uniqueId,
        location: originOf(node, state)('group').location,
        hint: didYouMean(group, groups) ?? 'declare it in a properties file: groups: [{name: ..., owner: {name: ...}}]',
      }),
    );
  }
  for (const ref of state.refs) {
    const parent = models.get(ref.name);
    if (!parent) continue;
    const location = { file: node.originalFilePath, line: ref.location?.line, column: ref.location?.column };
    if (parent.resolvedConfig.access === 'private' && parent.resolvedConfig.group !== group) {
      diagnostics.add(
        new TsdbtError(`${node.name} refers to ${parent.name}, which is private to group "${parent.resolvedConfig.group ?? '(none)'}"`, {
          code: 'E_ACCESS',
          kind: 'project',
          nodeId: node.uniqueId,
          location,
          frame: ref.location ? codeFrame(node.rawCode, ref.location.line, ref.location.column) : undefined,
          hint: `put ${node.name} in group "${parent.resolvedConfig.group ?? ''}", or give ${parent.name} access: protected`,
        }),
      );
    }
    if (parent.deprecationDate && Date.parse(parent.deprecationDate) <= Date.now()) {
      warnings.add(`${formatLocation(location)}: ${node.name} refers to ${parent.name}, deprecated since ${parent.deprecationDate}`);
    }
  }
}

/** The node's config merged with its {{config}} and checked: the typed config the planners read. */
function withFinalConfig(
  { node, state, output }: Rendered,
  projectName: string,
  options: CompileOptions,
  diagnostics: Diagnostics,
  warnings: Set<string>,
): CompiledNode | undefined {
  const raw = mergeConfig(node.config, state.config);
  if (raw.enabled === false) return undefined;
  const resolved = resolveNodeConfig(raw, {
    origin: originOf(node, state),
    layers: layersOf(node, state),
    engine: options.engine,
    engineSpecs: options.engineSpecs,
    nodeId: node.uniqueId,
    kind: node.resourceType,
  });
  resolved.errors.forEach((e) => diagnostics.add(e));
  for (const warning of resolved.warnings) warnings.add(warning);
  const config = resolved.config;
  if (!config) return undefined;
  const contract = applyContract(node, config, raw, originOf(node, state), options.dialect);
  contract.errors.forEach((e) => diagnostics.add(e));
  for (const warning of contract.warnings) warnings.add(warning);
  const { materialized } = config;
  const schema = config.schema ?? options.defaultSchema;
  const identifier = config.alias ?? node.name;
  return {
    ...node,
    config: { ...raw, ...manifestHooksAndGrants(config), materialized },
    resolvedConfig: config,
    engineOptions: resolved.engineOptions,
    tags: config.tags,
    materialized,
    schema,
    identifier,
    relationName: materialized === 'ephemeral' ? undefined : options.dialect.relation({ database: config.database, schema, identifier }),
    dependsOn: { nodes: [], macros: [...state.macros].map((m) => macroUniqueId(projectName, m)) },
    refs: state.refs.map((r) => [r.name]),
    sources: state.sources.map((s) => [s.sourceName, s.tableName]),
    // The final SQL replaces this once every relation is known (placeholders until then).
    compiledCode: output.text,
    compiledLines: output.origins,
    compiledPath: `${options.targetPath}/compiled/${projectName}/${node.sqlPath}`,
  };
}

function resolveExposures(
  exposures: Exposure[],
  resolver: ReturnType<typeof createRelationResolver>,
  diagnostics: Diagnostics,
): Map<string, Exposure & { dependsOn: { nodes: string[] } }> {
  const resolved = new Map<string, Exposure & { dependsOn: { nodes: string[] } }>();
  for (const exposure of exposures) {
    const dependsOn: string[] = [];
    for (const raw of exposure.dependsOnRaw) {
      const target = resolver.relationOfExpression(raw);
      if ('error' in target) {
        diagnostics.add(
          new TsdbtError(`exposure "${exposure.name}" depends on ${target.error}`, {
            code: 'E_UNKNOWN_REF',
            kind: 'project',
            location: exposure.location,
            hint: target.hint,
          }),
        );
      } else dependsOn.push(target.id);
    }
    // Assigned, not spread: spreading would evaluate the lazy `location` getter (a YAML re-parse).
    const withDependencies = exposure as Exposure & { dependsOn: { nodes: string[] } };
    withDependencies.dependsOn = { nodes: dependsOn };
    resolved.set(exposure.uniqueId, withDependencies);
  }
  return resolved;
}

function orderOrThrow(dag: ReturnType<typeof createDag>, nodes: Map<string, CompiledNode>): string[] {
  try {
    return topologicalOrder(dag);
  } catch (error) {
    if (!(error instanceof CycleError)) throw error;
    const names = error.cycle.map((id) => nodes.get(id)?.name ?? id);
    const first = nodes.get(error.cycle[0]!);
    throw new TsdbtError(`dependency cycle: ${names.join(' -> ')}`, {
      code: 'E_CYCLE',
      kind: 'project',
      nodeId: first?.uniqueId,
      location: first ? { file: first.originalFilePath } : undefined,
      hint: 'a model cannot depend on itself, directly or through others: remove one ref of the cycle',
    });
  }
}
