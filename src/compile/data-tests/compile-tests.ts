import { TsdbtError } from '../../errors/tsdbt-error.js';
import { didYouMean } from '../../errors/suggest.js';
import { configFromTree, mergeConfig, toTagList } from '../../project/config-merge.js';
import { configKeyProblem, TEST_CONFIG } from '../../project/config-keys.js';
import { BUILT_IN_NAMESPACES, type TestSpec } from '../../project/test-entries.js';
import type { GenericTestTemplate, LoadedProject } from '../../project/types.js';
import type { Dialect } from '../dialect.js';
import type { RelationResolver } from '../relations.js';
import { renderExtraTemplate } from '../render-extra.js';
import { embeddable } from '../line-map.js';
import { declaredParams, defaultsFor, macroUniqueId } from '../macro-params.js';
import { sqlBody } from '../sql-text.js';
import type { TemplateEnvironment } from '../template-environment.js';
import type { CompiledTest, Severity } from '../types.js';
import { GENERIC_TESTS, type TestSqlContext } from './generic-tests.js';
import { genericTestName, testUniqueId } from './test-names.js';

export interface TestCompileInput {
  project: LoadedProject;
  resolver: RelationResolver;
  environment: TemplateEnvironment;
  dialect: Dialect;
  lakeRoot: string | undefined;
  targetPath: string;
}

const THRESHOLD = /^\s*(>=|<=|!=|<>|==|=|>|<)\s*(\d+)\s*$/;
const DEFAULT_AUDIT_SCHEMA = 'dbt_test__audit';

/** YAML tests and tests/*.sql → runnable tests; every problem is reported with its place. */
export function compileTests(input: TestCompileInput): { tests: Map<string, CompiledTest>; errors: TsdbtError[] } {
  const tests = new Map<string, CompiledTest>();
  const errors: TsdbtError[] = [];
  // A package's generic tests are written package.name in YAML.
  const customTests = new Map(input.project.genericTests.map((t) => [t.namespace ? `${t.namespace}.${t.name}` : t.name, t]));
  const add = (test: CompiledTest) => {
    if (tests.has(test.uniqueId)) {
      errors.push(
        new TsdbtError(`test "${test.name}" is declared twice on the same resource`, {
          code: 'E_DUPLICATE_TEST',
          kind: 'project',
          location: test.location,
          hint: 'remove one, or give one a different name: config',
        }),
      );
      return;
    }
    tests.set(test.uniqueId, test);
  };

  for (const spec of input.project.tests) {
    const compiled = compileGeneric(spec, input, customTests, errors);
    if (compiled) add(compiled);
  }
  for (const file of input.project.singularTests) {
    const uniqueId = `test.${input.project.name}.${file.name}`;
    const rendered = renderExtraTemplate(input.environment, input.resolver, {
      source: file.rawCode,
      file: file.originalFilePath,
      kind: 'test',
      name: file.name,
      nodeId: uniqueId,
    });
    errors.push(...rendered.errors);
    if (rendered.errors.length > 0) continue;
    const config = mergeConfig(configFromTree(input.project.testConfigTree, file.fqn), rendered.config);
    if (config.enabled === false) continue;
    const settings = testSettings(config, () => ({ file: file.originalFilePath }), errors);
    if (!settings) continue;
    const body = embeddable({ text: rendered.sql, lines: rendered.lines });
    add({
      uniqueId,
      resourceType: 'test',
      testType: 'data',
      kind: 'singular',
      testName: file.name,
      name: file.name,
      packageName: input.project.name,
      originalFilePath: file.originalFilePath,
      fqn: file.fqn,
      tags: config.tags ?? [],
      config,
      ...settings,
      dependsOn: { nodes: rendered.parents, macros: rendered.macros.map((m) => macroUniqueId(input.project.name, m)) },
      failingRowsSql: body.text,
      compiledLines: body.lines,
      rawCode: file.rawCode,
      failingRowsTemplate: sqlBody(rendered.unresolved.trim()),
      description: '',
      compiledPath: `${input.targetPath}/compiled/${input.project.name}/${file.originalFilePath}`,
      location: { file: file.originalFilePath },
    });
  }
  return { tests, errors };
}

function compileGeneric(
  spec: TestSpec,
  input: TestCompileInput,
  customTests: Map<string, GenericTestTemplate>,
  errors: TsdbtError[],
): CompiledTest | undefined {
  // Locating re-parses the YAML file, so it happens only when something needs the position.
  const locate = () => spec.locate();
  const fail = (message: string, hint: string, code = 'E_TEST_CONFIG') => {
    errors.push(new TsdbtError(message, { code, kind: 'project', location: locate(), nodeId: spec.attachedId, hint }));
    return undefined;
  };
  const packaged = spec.namespace !== undefined && !BUILT_IN_NAMESPACES.includes(spec.namespace);
  const key = packaged ? `${spec.namespace}.${spec.testName}` : spec.testName;
  const custom = customTests.get(key);
  const builtin = packaged ? undefined : GENERIC_TESTS[spec.testName];
  if (!custom && !builtin) {
    return fail(
      `unknown test "${key}" on ${spec.attachedName}${spec.columnName ? `.${spec.columnName}` : ''}`,
      didYouMean(spec.testName, [...Object.keys(GENERIC_TESTS), ...customTests.keys()]) ??
        `built-in tests: ${Object.keys(GENERIC_TESTS).join(', ')}; or write tests/generic/${spec.testName}.sql`,
      'E_UNKNOWN_TEST',
    );
  }
  if (builtin && !custom) {
    if (builtin.column === true && spec.columnName === undefined) {
      return fail(
        `test "${spec.testName}" checks a column: declare it under a column of ${spec.attachedName}`,
        `move it to columns: - name: <column> data_tests: [${spec.testName}]`,
      );
    }
    if (builtin.column === false && spec.columnName !== undefined) {
      return fail(`test "${spec.testName}" checks the whole ${spec.attachedKind}, not a column`, `move it to the ${spec.attachedKind}'s own data_tests:`);
    }
    const parsed = builtin.args.safeParse(spec.args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      if (issue.code === 'unrecognized_keys') {
        const accepted = Object.keys((builtin.args as unknown as { shape?: Record<string, unknown> }).shape ?? {});
        return fail(
          `test "${spec.testName}" has no argument "${issue.keys[0]}"`,
          didYouMean(issue.keys[0]!, accepted) ?? (accepted.length > 0 ? `it takes: ${accepted.join(', ')}` : 'it takes no arguments'),
          'E_TEST_ARGS',
        );
      }
      const where = issue.path.length > 0 ? ` argument "${issue.path.join('.')}"` : '';
      return fail(`test "${spec.testName}"${where}: ${issue.message}`, 'fix the arguments of this test', 'E_TEST_ARGS');
    }
  }

  const folderFqn = [...spec.fqn.slice(0, -1), spec.testName];
  const config = mergeConfig(configFromTree(input.project.testConfigTree, folderFqn), spec.config);
  if (config.enabled === false) return undefined;
  const settings = testSettings(config, locate, errors);
  if (!settings) return undefined;

  const attached = attachedRelation(spec, input);
  if (!attached) return undefined;
  const where = typeof config.where === 'string' && config.where.trim() !== '' ? config.where : undefined;
  const relation = where ? `(select * from ${attached.relation} where ${where}) as dbt_subquery` : attached.relation;
  const parents = new Set([spec.attachedId]);
  const ctx: TestSqlContext = {
    relation,
    unfilteredRelation: attached.relation,
    where: where ?? '1 = 1',
    column: spec.columnName === undefined ? '' : input.dialect.quoteIdentifier(spec.columnName),
    args: spec.args,
    r: input.dialect.renderings,
    dialect: input.dialect,
    relationOf: (expression) => {
      const resolved = input.resolver.relationOfExpression(expression);
      if ('error' in resolved)
        throw new TsdbtError(`test "${spec.testName}" on ${spec.attachedName}: ${resolved.error}`, {
          code: 'E_UNKNOWN_REF',
          kind: 'project',
          location: locate(),
          hint: resolved.hint,
        });
      parents.add(resolved.id);
      return resolved.relation;
    },
  };

  const name = genericTestName(spec);
  const uniqueId = testUniqueId(input.project.name, name, `${spec.attachedId}|${JSON.stringify(spec.args)}|${spec.columnName ?? ''}`);
  let failingRowsSql: string;
  let failingRowsTemplate: string | undefined;
  const placeholderOf = (expression: string) => {
    const resolved = input.resolver.relationOfExpression(expression);
    return 'error' in resolved ? '' : resolved.placeholder;
  };
  let macros: string[] = [];
  let batch: CompiledTest['batch'];
  try {
    if (custom) {
      const rendered = renderExtraTemplate(input.environment, input.resolver, {
        source: custom.rawCode,
        file: custom.originalFilePath,
        kind: 'test',
        name,
        nodeId: uniqueId,
        locals: { ...defaultsFor(declaredParams(custom.rawCode), spec.args), ...spec.args, model: relation, column_name: ctx.column },
      });
      if (rendered.errors.length > 0) {
        errors.push(...rendered.errors);
        return undefined;
      }
      rendered.parents.forEach((p) => parents.add(p));
      failingRowsSql = sqlBody(rendered.sql.trim());
      failingRowsTemplate = sqlBody(rendered.unresolved.trim());
      macros = [`macro.${custom.namespace ?? input.project.name}.test_${custom.name}`, ...rendered.macros.map((m) => macroUniqueId(input.project.name, m))];
    } else {
      failingRowsSql = builtin!.failingRows(ctx);
      const references = builtin!.references?.(spec.args) ?? [];
      for (const reference of references) ctx.relationOf(reference);
      if (references.length > 0) failingRowsTemplate = builtin!.failingRows({ ...ctx, relationOf: placeholderOf });
      if (builtin!.failureCount) batch = { relation: attached.relation, failureCount: builtin!.failureCount(ctx) };
    }
  } catch (error) {
    errors.push(error as TsdbtError);
    return undefined;
  }

  return {
    uniqueId,
    resourceType: 'test',
    testType: 'data',
    kind: 'generic',
    testName: spec.testName,
    name,
    packageName: input.project.name,
    originalFilePath: spec.file,
    fqn: [...spec.fqn.slice(0, -1), name],
    tags: toTagList(config.tags),
    config,
    ...settings,
    attachedNode: spec.attachedId,
    testedRelation: attached.relation,
    columnName: spec.columnName,
    ...dbtTestMetadata(spec),
    dependsOn: { nodes: [...parents], macros },
    failingRowsSql,
    failingRowsTemplate,
    batch,
    description: '',
    compiledPath: `${input.targetPath}/compiled/${input.project.name}/${spec.file}/${name}.sql`,
    get location() {
      return locate();
    },
  };
}

/** test_metadata and file_key_name as dbt writes them (the model argument as dbt renders it). */
function dbtTestMetadata(spec: TestSpec): Pick<CompiledTest, 'testMetadata' | 'fileKeyName'> {
  const [kind, , ...rest] = spec.attachedId.split('.');
  const target = kind === 'source' ? `source('${rest[0]}', '${rest.slice(1).join('.')}')` : `ref('${rest.join('.')}')`;
  return {
    testMetadata: {
      name: spec.testName,
      kwargs: { ...(spec.columnName === undefined ? {} : { column_name: spec.columnName }), model: `{{ get_where_subquery(${target}) }}`, ...spec.args },
      namespace: spec.namespace ?? null,
    },
    fileKeyName: kind === 'source' ? `sources.${rest[0]}` : `${kind}s.${rest.join('.')}`,
  };
}

function attachedRelation(spec: TestSpec, input: TestCompileInput): { relation: string } | undefined {
  if (spec.attachedKind === 'source') {
    const source = input.resolver.sourcesByKey.get(`${spec.sourceName}.${spec.attachedName}`)!;
    return { relation: input.dialect.sourceRelation(source, input.lakeRoot) };
  }
  const resolved = input.resolver.relationOfExpression(`ref('${spec.attachedName}')`);
  return 'error' in resolved ? undefined : { relation: resolved.relation };
}

type TestSettings = Pick<CompiledTest, 'severity' | 'warnIf' | 'errorIf' | 'limit' | 'storeFailures' | 'auditSchema' | 'auditIdentifier' | 'incremental'>;

function testSettings(config: Record<string, unknown>, locate: () => CompiledTest['location'], errors: TsdbtError[]): TestSettings | undefined {
  const problems: string[] = [];
  for (const key of Object.keys(config)) {
    const problem = configKeyProblem(TEST_CONFIG, key);
    if (problem) errors.push(new TsdbtError(problem.message, { code: 'E_TEST_CONFIG', kind: 'project', location: locate(), hint: problem.hint }));
  }
  if (config.fail_calc !== undefined && String(config.fail_calc).replace(/\s+/g, '').toLowerCase() !== 'count(*)') {
    problems.push(`fail_calc "${String(config.fail_calc)}" is not supported yet: tests count their failing rows (count(*))`);
  }
  const storeAs = config.store_failures_as;
  if (storeAs !== undefined && storeAs !== 'table')
    problems.push(`store_failures_as "${String(storeAs)}" is not supported yet: failing rows are stored as tables`);
  const severity = String(config.severity ?? 'error').toLowerCase();
  if (severity !== 'error' && severity !== 'warn') problems.push(`severity must be warn or error, got "${String(config.severity)}"`);
  const warnIf = String(config.warn_if ?? '!=0');
  const errorIf = String(config.error_if ?? '!=0');
  for (const [key, value] of [
    ['warn_if', warnIf],
    ['error_if', errorIf],
  ] as const) {
    if (!THRESHOLD.test(value)) problems.push(`${key} must be a comparison such as ">10" or "!=0", got "${value}"`);
  }
  const limit = config.limit === undefined ? undefined : Number(config.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) problems.push(`limit must be a positive integer, got "${String(config.limit)}"`);
  if (config.incremental !== undefined && typeof config.incremental !== 'boolean')
    problems.push(`incremental must be true or false, got "${String(config.incremental)}"`);
  if (problems.length > 0) {
    for (const problem of problems)
      errors.push(new TsdbtError(`test config: ${problem}`, { code: 'E_TEST_CONFIG', kind: 'project', location: locate(), hint: 'fix the test config' }));
    return undefined;
  }
  return {
    severity: severity as Severity,
    warnIf,
    errorIf,
    limit,
    storeFailures: config.store_failures === true || config.store_failures_as === 'table',
    auditSchema: String(config.schema ?? DEFAULT_AUDIT_SCHEMA),
    auditIdentifier: config.alias === undefined ? undefined : String(config.alias),
    incremental: config.incremental === true,
  };
}

/** Does `failures` meet a threshold such as ">10" or "!=0"? */
export function thresholdMet(threshold: string, failures: number): boolean {
  const [, operator, value] = THRESHOLD.exec(threshold)!;
  const n = Number(value);
  switch (operator) {
    case '>':
      return failures > n;
    case '>=':
      return failures >= n;
    case '<':
      return failures < n;
    case '<=':
      return failures <= n;
    case '=':
    case '==':
      return failures === n;
    default:
      return failures !== n;
  }
}
