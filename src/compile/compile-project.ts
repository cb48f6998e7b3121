import { Diagnostics, TsdbtError } from '../errors/tsdbt-error.js';
import { codeFrame } from '../errors/code-frame.js';
import { didYouMean } from '../errors/suggest.js';
import { CycleError, createDag, topologicalOrder } from '../graph/dag.js';
import { mergeConfig } from '../project/config-merge.js';
import type { Exposure, LoadedProject, ParsedNode, SourceTable } from '../project/types.js';
import type { Dialect } from './dialect.js';
import { PLACEHOLDER, TemplateEnvironment, type CompiledTemplate, type RenderState, type TemplateContextInput } from './template-environment.js';
import { templateError } from './template-errors.js';
import type { CompiledNode, CompiledProject } from './types.js';

export interface CompileOptions {
  dialect: Dialect;
  context: TemplateContextInput;
  /** Default schema of the target, for models without a `schema` config. */
  defaultSchema: string;
  lakeRoot?: string;
  targetPath: string;
}

const MATERIALIZATIONS = new Set(['view', 'table', 'incremental', 'ephemeral', 'seed']);

/** Renders every template, resolves refs and sources into relations and builds the DAG. */
export async function compileProject(project: LoadedProject, options: CompileOptions): Promise<CompiledProject> {
  const diagnostics = new Diagnostics();
  const environment = new TemplateEnvironment(options.context, options.dialect);
  (await environment.registerMacros(project.macros)).forEach((e) => diagnostics.add(e));

  interface Rendered {
    node: ParsedNode;
    template?: CompiledTemplate;
    state: RenderState;
    output: string;
  }
  const rendered: Rendered[] = [];
  for (const node of project.nodes) {
    const state = newState(node);
    if (node.resourceType === 'seed') {
      rendered.push({ node, state, output: '' });
      continue;
    }
    try {
      const template = environment.compile(node.rawCode);
      const output = environment.render(template, state);
      rendered.push({ node, template, state, output });
    } catch (error) {
      diagnostics.add(templateError(error, node.originalFilePath, node.rawCode, node.uniqueId));
    }
  }
  diagnostics.throwIfAny();

  // Final configs first: a ref's relation depends on the referenced model's schema and alias.
  const byName = new Map<string, CompiledNode>();
  const nodes = new Map<string, CompiledNode>();
  for (const { node, state, output } of rendered) {
    const config = mergeConfig(node.config, state.config);
    if (config.enabled === false) continue;
    const materialized = String(config.materialized ?? 'view');
    if (!MATERIALIZATIONS.has(materialized)) {
      diagnostics.add(new TsdbtError(`unknown materialization "${materialized}"`, {
        code: 'E_MATERIALIZATION', kind: 'project', nodeId: node.uniqueId, location: { file: node.originalFilePath },
        hint: didYouMean(materialized, MATERIALIZATIONS) ?? `use one of: ${[...MATERIALIZATIONS].join(', ')}`,
      }));
      continue;
    }
    const schema = String(config.schema ?? options.defaultSchema);
    const identifier = String(config.alias ?? node.name);
    const compiled: CompiledNode = {
      ...node,
      config: { ...config, materialized },
      tags: config.tags ?? [],
      materialized,
      schema,
      identifier,
      relationName: materialized === 'ephemeral' ? undefined : options.dialect.relation({ schema, identifier }),
      dependsOn: { nodes: [], macros: [...state.macros].map((m) => `macro.${project.name}.${m}`) },
      refs: state.refs.map((r) => [r.name]),
      sources: state.sources.map((s) => [s.sourceName, s.tableName]),
      compiledCode: output,
      compiledPath: `${options.targetPath}/compiled/${project.name}/${node.originalFilePath}`,
    };
    nodes.set(compiled.uniqueId, compiled);
    byName.set(compiled.name, compiled);
  }

  const sources = new Map<string, SourceTable>();
  const sourcesByName = new Map<string, SourceTable>();
  for (const source of project.sources) {
    sources.set(source.uniqueId, source);
    sourcesByName.set(`${source.sourceName}.${source.name}`, source);
  }

  for (const { node, state } of rendered) {
    const compiled = nodes.get(node.uniqueId);
    if (!compiled) continue;
    const parents = new Set<string>();
    for (const ref of state.refs) {
      const target = byName.get(ref.name);
      if (target) parents.add(target.uniqueId);
      else diagnostics.add(unknownReference(node, `ref "${ref.name}"`, ref.location, didYouMean(ref.name, byName.keys()),
        `there is no model or seed named "${ref.name}"`));
    }
    for (const ref of state.sources) {
      const target = sourcesByName.get(`${ref.sourceName}.${ref.tableName}`);
      if (target) parents.add(target.uniqueId);
      else diagnostics.add(unknownReference(node, `source "${ref.sourceName}" "${ref.tableName}"`, ref.location,
        didYouMean(`${ref.sourceName}.${ref.tableName}`, sourcesByName.keys()),
        `no source table ${ref.sourceName}.${ref.tableName} is declared in a sources: block`));
    }
    compiled.dependsOn.nodes = [...parents];
  }

  const exposures = new Map<string, Exposure & { dependsOn: { nodes: string[] } }>();
  for (const exposure of project.exposures) {
    const dependsOn: string[] = [];
    for (const raw of exposure.dependsOnRaw) {
      const ref = /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(raw);
      const src = /^\s*source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(raw);
      const target = ref ? byName.get(ref[1]!) : src ? sourcesByName.get(`${src[1]}.${src[2]}`) : undefined;
      if (target) dependsOn.push(target.uniqueId);
      else {
        diagnostics.add(new TsdbtError(`exposure "${exposure.name}" depends on unknown ${raw}`, {
          code: 'E_UNKNOWN_REF', kind: 'project', location: exposure.location,
          hint: (ref && didYouMean(ref[1]!, byName.keys())) || `write depends_on entries as ref('model') or source('src', 'table')`,
        }));
      }
    }
    exposures.set(exposure.uniqueId, { ...exposure, dependsOn: { nodes: dependsOn } });
  }
  diagnostics.throwIfAny();

  const parentsOf = (id: string): string[] => nodes.get(id)?.dependsOn.nodes ?? exposures.get(id)?.dependsOn.nodes ?? [];
  const dag = createDag([...sources.keys(), ...nodes.keys(), ...exposures.keys()], parentsOf);
  let order: string[];
  try {
    order = topologicalOrder(dag);
  } catch (error) {
    if (!(error instanceof CycleError)) throw error;
    const names = error.cycle.map((id) => nodes.get(id)?.name ?? id);
    const first = nodes.get(error.cycle[0]!);
    throw new TsdbtError(`dependency cycle: ${names.join(' -> ')}`, {
      code: 'E_CYCLE', kind: 'project', nodeId: first?.uniqueId, location: first ? { file: first.originalFilePath } : undefined,
      hint: 'a model cannot depend on itself, directly or through others: remove one ref of the cycle',
    });
  }

  const resolve = (node: CompiledNode, sql: string) => finalizeSql(node, sql, nodes, sources, options);
  for (const id of order) {
    const node = nodes.get(id);
    if (node?.resourceType === 'model') node.compiledCode = resolve(node, node.compiledCode);
  }
  const templates = new Map(rendered.filter((r) => r.template).map((r) => [r.node.uniqueId, r.template!]));

  return {
    name: project.name,
    projectDir: project.projectDir,
    targetPath: options.targetPath,
    nodes,
    sources,
    exposures,
    macroIds: project.macros.map((m) => `macro.${project.name}.${m.name}`),
    dag,
    order,
    warnings: project.warnings,
    renderIncremental(uniqueId: string): string {
      const node = nodes.get(uniqueId)!;
      const state = { ...newState(node), isIncremental: true };
      return resolve(node, environment.render(templates.get(uniqueId)!, state));
    },
    renderAdHoc(source: string, file: string): string {
      const state: RenderState = { nodeId: 'sql_operation.inline', file, source, refs: [], sources: [], macros: new Set(), config: {}, isIncremental: false };
      let output: string;
      try {
        output = environment.render(environment.compile(source), state);
      } catch (error) {
        throw templateError(error, file, source, undefined);
      }
      const parents: string[] = [];
      for (const ref of state.refs) {
        const target = byName.get(ref.name);
        if (!target) throw unknownReference({ resourceType: 'query', name: file, uniqueId: state.nodeId, originalFilePath: file, rawCode: source }, `ref "${ref.name}"`, ref.location, didYouMean(ref.name, byName.keys()), `there is no model or seed named "${ref.name}"`);
        parents.push(target.uniqueId);
      }
      for (const ref of state.sources) {
        const target = sourcesByName.get(`${ref.sourceName}.${ref.tableName}`);
        if (!target) throw unknownReference({ resourceType: 'query', name: file, uniqueId: state.nodeId, originalFilePath: file, rawCode: source }, `source "${ref.sourceName}" "${ref.tableName}"`, ref.location, didYouMean(`${ref.sourceName}.${ref.tableName}`, sourcesByName.keys()), `no source table ${ref.sourceName}.${ref.tableName} is declared`);
        parents.push(target.uniqueId);
      }
      const adHoc = { name: 'inline', relationName: undefined, dependsOn: { nodes: parents, macros: [] } } as unknown as CompiledNode;
      return resolve(adHoc, output);
    },
  };

  function newState(node: ParsedNode): RenderState {
    return { nodeId: node.uniqueId, file: node.originalFilePath, source: node.rawCode, refs: [], sources: [], macros: new Set(), config: {}, isIncremental: false };
  }
}

function unknownReference(
  node: Pick<ParsedNode, 'name' | 'uniqueId' | 'originalFilePath' | 'rawCode'> & { resourceType: string },
  what: string,
  location: { line: number; column: number } | undefined,
  suggestion: string | undefined,
  fallback: string,
): TsdbtError {
  return new TsdbtError(`${node.resourceType} "${node.name}" references unknown ${what}`, {
    code: what.startsWith('ref') ? 'E_UNKNOWN_REF' : 'E_UNKNOWN_SOURCE',
    kind: 'project',
    nodeId: node.uniqueId,
    location: { file: node.originalFilePath, line: location?.line, column: location?.column },
    frame: location ? codeFrame(node.rawCode, location.line, location.column) : undefined,
    hint: suggestion ?? fallback,
  });
}

const CTE_PREFIX = '__tsdbt__cte__';

/** Replaces placeholders with relations and inlines ephemeral parents as CTEs. */
function finalizeSql(
  node: CompiledNode,
  sql: string,
  nodes: Map<string, CompiledNode>,
  sources: Map<string, SourceTable>,
  options: CompileOptions,
): string {
  const byName = new Map<string, CompiledNode>();
  for (const id of node.dependsOn.nodes) {
    const parent = nodes.get(id);
    if (parent) byName.set(parent.name, parent);
  }
  const sourceByKey = new Map<string, SourceTable>();
  for (const id of node.dependsOn.nodes) {
    const source = sources.get(id);
    if (source) sourceByKey.set(`${source.sourceName}.${source.name}`, source);
  }
  const ephemeral: CompiledNode[] = [];
  const body = sql.replace(PLACEHOLDER, (_m, kind: string, key: string) => {
    if (kind === 'this') return node.relationName ?? `${CTE_PREFIX}${node.name}`;
    if (kind === 'src') return options.dialect.sourceRelation(sourceByKey.get(key)!, options.lakeRoot);
    const parent = byName.get(key)!;
    if (parent.materialized !== 'ephemeral') return parent.relationName!;
    if (!ephemeral.includes(parent)) ephemeral.push(parent);
    return `${CTE_PREFIX}${parent.name}`;
  });
  if (ephemeral.length === 0) return body;
  // An ephemeral parent's own SQL already carries its ephemeral parents as CTEs.
  const ctes = ephemeral.map((parent) => `${CTE_PREFIX}${parent.name} as (\n${parent.compiledCode.trim().replace(/;\s*$/, '')}\n)`);
  const leadingWith = /^(\s*(?:--[^\n]*\n\s*)*)with(\s+recursive)?\s/i.exec(body);
  if (leadingWith) {
    const cut = leadingWith[0].length;
    return `${body.slice(0, cut)}${ctes.join(',\n')},\n${body.slice(cut)}`;
  }
  return `with ${ctes.join(',\n')}\n${body}`;
}
