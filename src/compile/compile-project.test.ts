import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../adapters/duckdb/dialect.js';
import { duckdbEngine } from '../adapters/duckdb/engine.js';
import type { TsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject, MacroFile, ParsedNode, SourceTable } from '../project/types.js';
import { compileProject } from './compile-project.js';

function model(name: string, rawCode: string, config: Record<string, unknown> = {}): ParsedNode {
  return {
    uniqueId: `model.p.${name}`,
    resourceType: 'model',
    name,
    packageName: 'p',
    path: `${name}.sql`,
    originalFilePath: `models/${name}.sql`,
    absolutePath: `/nowhere/models/${name}.sql`,
    sqlPath: `models/${name}.sql`,
    templateLine: 1,
    fqn: ['p', name],
    tags: [],
    config,
    rawCode,
    checksum: 'x',
    description: '',
    columns: {},
    tests: [],
    meta: {},
    locateConfig: () => ({ layer: 'file', location: { file: `models/${name}.sql` } }),
  };
}

const lakeSource: SourceTable = {
  uniqueId: 'source.p.rte.national',
  resourceType: 'source',
  name: 'national',
  packageName: 'p',
  originalFilePath: 'models/sources.yml',
  fqn: ['p', 'rte', 'national'],
  tags: [],
  config: {},
  sourceName: 'rte',
  loader: '',
  identifier: 'national',
  schema: 'rte',
  description: '',
  sourceDescription: '',
  external: { location: 'rte/*.xls', format: 'csv', file_name_column: '_source_file', options: { delim: '\t', header: true } },
  columns: {},
  tests: [],
  meta: {},
  location: { file: 'models/sources.yml' },
};

async function compile(nodes: ParsedNode[], macros: MacroFile[] = [], vars: Record<string, unknown> = {}) {
  const project: LoadedProject = {
    name: 'p',
    projectDir: '/nowhere',
    nodes,
    sources: [lakeSource],
    exposures: [],
    macros,
    warnings: [],
    tests: [],
    singularTests: [],
    genericTests: [],
    unitTests: [],
    testConfigTree: {},
    groups: [],
    docs: [],
    selectors: new Map(),
    unbuiltModels: new Map(),
  };
  return compileProject(project, {
    dialect: duckdbDialect,
    defaultSchema: 'main',
    lakeRoot: '/lake',
    targetPath: 'target',
    context: { env: { HOME_REGION: 'FR' }, vars, target: { name: 'dev', type: 'duckdb' } },
    engine: duckdbEngine,
    engineSpecs: [duckdbEngine.configSpec],
  });
}

async function compileError(nodes: ParsedNode[]): Promise<TsdbtError> {
  try {
    await compile(nodes);
  } catch (error) {
    return error as TsdbtError;
  }
  throw new Error('expected a compile error');
}

describe('compileProject', () => {
  it('resolves refs to the final schema and alias, whatever the order', async () => {
    const project = await compile([model('b', 'select * from {{ref "a"}}'), model('a', '{{config schema="gold" alias="a_table"}}select 1 as x')]);
    expect(project.nodes.get('model.p.b')!.compiledCode).toBe('select * from gold.a_table');
    expect(project.nodes.get('model.p.b')!.dependsOn.nodes).toEqual(['model.p.a']);
    expect(project.order.indexOf('model.p.a')).toBeLessThan(project.order.indexOf('model.p.b'));
  });

  it('renders external sources as lake readers keeping the file name', async () => {
    const project = await compile([model('s', 'select * from {{source "rte" "national"}}')]);
    expect(project.nodes.get('model.p.s')!.compiledCode).toBe(
      "select * from read_csv('/lake/rte/*.xls', delim = '\t', header = true, filename = '_source_file')",
    );
  });

  it('inlines ephemeral parents as CTEs, merging into an existing WITH', async () => {
    const project = await compile([
      model('e1', '{{config materialized="ephemeral"}}select 1 as x'),
      model('e2', '{{config materialized="ephemeral"}}select x from {{ref "e1"}}'),
      model('m', 'with t as (select * from {{ref "e2"}})\nselect * from t'),
    ]);
    const sql = project.nodes.get('model.p.m')!.compiledCode;
    expect(sql).toBe(
      'with __tsdbt__cte__e2 as (\nwith __tsdbt__cte__e1 as (\nselect 1 as x\n)\nselect x from __tsdbt__cte__e1\n),\nt as (select * from __tsdbt__cte__e2)\nselect * from t',
    );
    expect(project.nodes.get('model.p.e1')!.relationName).toBeUndefined();
  });

  it('layers config: folder < YAML < template, and renders this/var/env/target', async () => {
    const project = await compile(
      [
        model('m', '{{config materialized="table" tags="t2"}}select \'{{var "region"}}\', \'{{env "HOME_REGION"}}\', \'{{target.name}}\' from {{this}}', {
          materialized: 'view',
          schema: 'silver',
          tags: ['t1'],
        }),
      ],
      [],
      { region: 'IDF' },
    );
    const node = project.nodes.get('model.p.m')!;
    expect(node.materialized).toBe('table');
    expect(node.schema).toBe('silver');
    expect(node.tags).toEqual(['t1', 't2']);
    expect(node.compiledCode).toBe("select 'IDF', 'FR', 'dev' from silver.m");
  });

  it('runs SQL macros with positional and named parameters and records them', async () => {
    const macro: MacroFile = {
      name: 'cents',
      kind: 'sql',
      absolutePath: '/m/cents.sql',
      originalFilePath: 'macros/cents.sql',
      rawCode: '{{!-- params: column, digits --}}\nround({{column}} / 100.0, {{digits}})',
      checksum: 'x',
    };
    const project = await compile([model('m', 'select {{cents "amount" 2}} as a, {{cents column="b" digits=0}} as b')], [macro]);
    const node = project.nodes.get('model.p.m')!;
    expect(node.compiledCode).toBe('select round(amount / 100.0, 2) as a, round(b / 100.0, 0) as b');
    expect(node.dependsOn.macros).toEqual(['macro.p.cents']);
  });

  it('renders is_incremental() true only for the incremental re-render', async () => {
    const project = await compile([
      model('i', 'select 1{{#if (is_incremental)}} where x > (select max(x) from {{this}}){{/if}}', { materialized: 'incremental' }),
    ]);
    expect(project.nodes.get('model.p.i')!.compiledCode).toBe('select 1');
    expect(project.renderIncremental('model.p.i').text).toBe('select 1 where x > (select max(x) from main.i)');
  });

  it('records the template line of every compiled line, through blocks, macros and inlined ephemeral models', async () => {
    const macro: MacroFile = {
      name: 'two_lines',
      kind: 'sql',
      absolutePath: '/nowhere/macros/two_lines.sql',
      originalFilePath: 'macros/two_lines.sql',
      rawCode: 'a,\nb',
      checksum: 'x',
    };
    const project = await compile(
      [
        model('eph', '-- ephemeral\nselect\n  1 as x', { materialized: 'ephemeral' }),
        model('m', ['select', '{{#if true}}', '  x,', '{{/if}}', '  {{two_lines}}', '{{!-- a comment --}}', 'from {{ref "eph"}}', 'where 1 = 1'].join('\n')),
      ],
      [macro],
    );
    const node = project.nodes.get('model.p.m')!;
    const lines = node.compiledCode.split('\n');
    const origin = (text: string) => {
      const at = node.compiledLines[lines.indexOf(text)];
      return typeof at === 'number' ? { file: 'models/m.sql', line: at } : at;
    };
    expect(lines).toEqual([
      'with __tsdbt__cte__eph as (',
      '-- ephemeral',
      'select',
      '  1 as x',
      ')',
      'select',
      '  x,',
      '  a,',
      'b',
      'from __tsdbt__cte__eph',
      'where 1 = 1',
    ]);
    expect(origin('  x,')).toEqual({ file: 'models/m.sql', line: 3 });
    // A macro's lines all come from the line that calls it.
    expect(origin('  a,')).toEqual({ file: 'models/m.sql', line: 5 });
    expect(origin('b')).toEqual({ file: 'models/m.sql', line: 5 });
    expect(origin('from __tsdbt__cte__eph')).toEqual({ file: 'models/m.sql', line: 7 });
    expect(origin('where 1 = 1')).toEqual({ file: 'models/m.sql', line: 8 });
    // The inlined CTE keeps the lines of its own file.
    expect(origin('  1 as x')).toEqual({ file: 'models/eph.sql', line: 3 });
    expect(origin('-- ephemeral')).toEqual({ file: 'models/eph.sql', line: 1 });
  });

  it('suggests the closest model for an unknown ref, with line and column', async () => {
    const error = await compileError([model('orders', 'select 1'), model('m', 'select *\nfrom {{ref "order"}}')]);
    expect(error.message).toBe('model "m" references unknown ref "order"');
    expect(error.location).toEqual({ file: 'models/m.sql', line: 2, column: 6 });
    expect(error.hint).toBe('did you mean "orders"?');
    expect(error.exitCode).toBe(2);
  });

  it('reports every template error at once', async () => {
    try {
      await compile([model('a', 'select {{#if x}}1'), model('b', 'select {{nope}}')]);
      expect.unreachable();
    } catch (error) {
      const errors = (error as { errors: TsdbtError[] }).errors;
      expect(errors.map((e) => e.code)).toEqual(['E_TEMPLATE_SYNTAX', 'E_TEMPLATE_UNKNOWN_NAME']);
      expect(errors[1]!.location).toMatchObject({ file: 'models/b.sql', line: 1, column: 8 });
    }
  });

  it('names every model of a cycle', async () => {
    const error = await compileError([
      model('a', 'select * from {{ref "c"}}'),
      model('b', 'select * from {{ref "a"}}'),
      model('c', 'select * from {{ref "b"}}'),
    ]);
    expect(error.code).toBe('E_CYCLE');
    expect(error.message).toMatch(/^dependency cycle: ([abc]) -> [abc] -> [abc] -> \1$/);
  });

  it('rejects a wrong cross-dialect call with usage', async () => {
    const error = await compileError([model('a', 'select {{date_trunc "fortnight" "ts"}}')]);
    expect(error.message).toBe('unknown date part "fortnight"');
    expect(error.location).toMatchObject({ line: 1, column: 8 });
  });
});
