import { TsdbtError } from '../errors/tsdbt-error.js';
import { didYouMean } from '../errors/suggest.js';
import { toTagList } from '../project/config-merge.js';
import type { ColumnInfo, LoadedProject, UnitTestSpec } from '../project/types.js';
import { contractTypeIn } from './contract.js';
import type { Dialect } from './dialect.js';
import type { RenderedText } from './line-map.js';
import type { RelationResolver } from './relations.js';
import type { CompiledNode, CompiledUnitTest } from './types.js';

/** Renders the tested model again with `vars`/`is_incremental` overrides; placeholders intact. */
export type ModelRenderer = (node: CompiledNode, options: { vars: Record<string, unknown>; isIncremental: boolean }) => RenderedText;

/**
 * A unit test runs the model's SQL with every ref/source/this it reads replaced by a fixture
 * table, so it never touches the warehouse. Fixture columns take the types of the input's
 * enforced contract, in the engine the tests run on (`dialect`); else the types declared in YAML
 * (`data_type`, as written); otherwise the engine infers them from the values.
 */
export function compileUnitTests(
  project: LoadedProject,
  resolver: RelationResolver,
  render: ModelRenderer,
  dialect?: Pick<Dialect, 'renderings'>,
): { unitTests: Map<string, CompiledUnitTest>; errors: TsdbtError[] } {
  const unitTests = new Map<string, CompiledUnitTest>();
  const errors: TsdbtError[] = [];
  for (const spec of project.unitTests) {
    const compiled = compileOne(spec, project, resolver, render, errors, dialect);
    if (compiled) unitTests.set(compiled.uniqueId, compiled);
  }
  return { unitTests, errors };
}

function compileOne(
  spec: UnitTestSpec,
  project: LoadedProject,
  resolver: RelationResolver,
  render: ModelRenderer,
  errors: TsdbtError[],
  dialect: Pick<Dialect, 'renderings'> | undefined,
): CompiledUnitTest | undefined {
  const fail = (message: string, hint: string, path: Array<string | number> = []) => {
    errors.push(new TsdbtError(`unit test "${spec.name}": ${message}`, { code: 'E_UNIT_TEST', kind: 'project', location: spec.locate(path), hint }));
    return undefined;
  };
  const model = resolver.modelsByName.get(spec.model);
  if (model?.resourceType !== 'model') {
    return fail(`model "${spec.model}" does not exist`, didYouMean(spec.model, resolver.modelsByName.keys()) ?? 'name a model of the project', ['model']);
  }

  const fixtures = new Map<string, string>();
  const inputs: CompiledUnitTest['inputs'] = [];
  for (const [index, given] of spec.given.entries()) {
    const key = placeholderKey(given.input);
    if (!key) return fail(`cannot read input "${given.input}"`, "write input: ref('model'), source('source', 'table') or this", ['given', index, 'input']);
    const table = `__tsdbt_fixture_${index + 1}`;
    fixtures.set(key, table);
    inputs.push({
      input: given.input,
      table,
      rows: given.rows,
      columnTypes: declaredTypes(key, model, resolver, dialect),
      relation: inputRelation(key, model, resolver),
    });
  }

  const rendered = render(model, { vars: spec.overrides.vars, isIncremental: spec.overrides.isIncremental ?? false });
  const missing = new Set<string>();
  const { text: sql } = resolver.finalize(rendered, model, (kind, key) => {
    const table = fixtures.get(kind === 'this' ? 'this' : `${kind}:${key}`);
    if (table === undefined) missing.add(kind === 'this' ? 'this' : kind === 'ref' ? `ref('${key}')` : `source('${key.replace('.', "', '")}')`);
    return table ?? 'missing_fixture';
  });
  if (missing.size > 0) {
    return fail(
      `the model reads ${[...missing].join(', ')} but the test gives no rows for ${missing.size === 1 ? 'it' : 'them'}`,
      `add "- input: ${[...missing][0]}" with rows under given:`,
      ['given'],
    );
  }

  return {
    uniqueId: `unit_test.${project.name}.${model.name}.${spec.name}`,
    resourceType: 'unit_test',
    testType: 'unit',
    name: spec.name,
    packageName: project.name,
    originalFilePath: spec.file,
    fqn: [project.name, model.name, spec.name],
    tags: toTagList(spec.config.tags),
    config: spec.config,
    model: model.uniqueId,
    description: spec.description,
    inputs,
    expect: spec.expect,
    sql,
    dependsOn: { nodes: [model.uniqueId], macros: model.dependsOn.macros },
    location: spec.locate(),
  };
}

function placeholderKey(input: string): string | undefined {
  if (input === 'this') return 'this';
  const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(input);
  if (ref) return `ref:${ref[1]}`;
  const src = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(input);
  if (src) return `src:${src[1]}.${src[2]}`;
  return undefined;
}

/** The relation an input stands for in the target (undefined for an ephemeral model: it has none). */
function inputRelation(key: string, model: CompiledNode, resolver: RelationResolver): string | undefined {
  if (key === 'this') return model.relationName;
  if (key.startsWith('ref:')) return resolver.modelsByName.get(key.slice(4))?.relationName;
  const source = resolver.sourcesByKey.get(key.slice(4));
  const resolved = source && resolver.relationOfExpression(`source('${source.sourceName}', '${source.name}')`);
  return resolved && 'relation' in resolved ? resolved.relation : undefined;
}

function declaredTypes(key: string, model: CompiledNode, resolver: RelationResolver, dialect: Pick<Dialect, 'renderings'> | undefined): Record<string, string> {
  const input = key === 'this' ? model : key.startsWith('ref:') ? resolver.modelsByName.get(key.slice(4)) : undefined;
  const contract = input && 'contract' in input.resolvedConfig ? input.resolvedConfig.contract : undefined;
  if (contract?.enforced && dialect) {
    return Object.fromEntries(contract.columns.map((c) => [c.name, contractTypeIn(dialect, c.dataType, contract.aliasTypes)]));
  }
  let columns: Record<string, ColumnInfo> | undefined;
  if (input) columns = input.columns;
  else columns = resolver.sourcesByKey.get(key.slice(4))?.columns;
  const types: Record<string, string> = {};
  for (const column of Object.values(columns ?? {})) if (column.dataType) types[column.name] = column.dataType;
  return types;
}
