/** selectors.yml (dbt's named selectors), --selector, and --indirect-selection. */
import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt } from '../helpers/tmp-project.js';

const MODELS = {
  'models/staging/stg_a.sql': '{{config tags="nightly"}}\nselect 1 as id\n',
  'models/staging/stg_b.sql': 'select 1 as id\n',
  'models/gold/report.sql': '{{config tags="nightly"}}\nselect a.id from {{ref "stg_a"}} a join {{ref "stg_b"}} b on a.id = b.id\n',
  'models/gold/other.sql': 'select id from {{ref "stg_b"}}\n',
  'models/schema.yml': `version: 2
models:
  - name: report
    columns:
      - name: id
        data_tests:
          - not_null
          - relationships: {to: ref('stg_b'), field: id}
`,
};

const SELECTORS = `selectors:
  - name: nightly
    description: Everything tagged nightly
    definition: "tag:nightly"
  - name: gold_with_parents
    definition:
      method: path
      value: models/gold
      parents: true
  - name: gold_but_other
    default: true
    definition:
      union:
        - selector: gold_with_parents
        - exclude:
            - other
            - stg_b
  - name: shorthand
    definition: {tag: nightly}
`;

const names = (stdout: string) => stdout.trim().split('\n').sort();

describe('selectors.yml', () => {
  it('--selector evaluates a named definition; the default one applies when nothing is selected', async () => {
    const project = createTmpProject({ ...MODELS, 'selectors.yml': SELECTORS });
    const ls = (...args: string[]) => runTsdbt(project.dir, ['ls', '--resource-type', 'model', '--output', 'name', ...args]);
    expect(names((await ls('--selector', 'nightly')).stdout)).toEqual(['report', 'stg_a']);
    expect(names((await ls('--selector', 'shorthand')).stdout)).toEqual(['report', 'stg_a']);
    expect(names((await ls('--selector', 'gold_with_parents')).stdout)).toEqual(['other', 'report', 'stg_a', 'stg_b']);
    // default: true
    expect(names((await ls()).stdout)).toEqual(['report', 'stg_a']);
    // --select wins over the default selector
    expect(names((await ls('--select', 'stg_b')).stdout)).toEqual(['stg_b']);
    const both = await ls('--select', 'stg_b', '--selector', 'nightly');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--selector and --select cannot be combined');
    const unknown = await ls('--selector', 'nighty');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no selector named "nighty"');
    expect(unknown.stderr).toContain('nightly');
  });

  it('builds with --selector like with --select', async () => {
    const project = createTmpProject({ ...MODELS, 'selectors.yml': SELECTORS });
    expect((await runTsdbt(project.dir, ['run', '--select', 'stg_b'])).code).toBe(0);
    const result = await runTsdbt(project.dir, ['run', '--selector', 'nightly']);
    expect(result.code).toBe(0);
    const ran = (project.json('target/run_results.json').results as Array<{ unique_id: string }>).map((r) => r.unique_id).sort();
    expect(ran).toEqual(['model.demo.report', 'model.demo.stg_a']);
  });

  it('mistakes stop the load with their selectors.yml line', async () => {
    const cases: Array<[string, string]> = [
      ['selectors:\n  - name: x\n    definition: "tag:a"\n    defintion: 1\n', 'selectors.yml:4:5: selectors.yml: selector "x" has no key "defintion"'],
      [
        'selectors:\n  - name: x\n    definition:\n      union:\n        - selector: y\n',
        'selectors.yml:5:11: selectors.yml: selector "x" uses unknown selector "y"',
      ],
      [
        'selectors:\n  - name: x\n    definition:\n      method: tag\n      value: a\n      parent: true\n',
        'selectors.yml:6:7: selectors.yml: unknown key "parent" in a method definition',
      ],
      [
        'selectors:\n  - name: a\n    definition: {selector: b}\n  - name: b\n    definition: {selector: a}\n',
        'selectors refer to each other in a cycle: a → b → a',
      ],
    ];
    for (const [yaml, message] of cases) {
      const project = createTmpProject({ ...MODELS, 'selectors.yml': yaml });
      const result = await runTsdbt(project.dir, ['parse']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
    // A bad method inside a definition's text points at the definition.
    const project = createTmpProject({ ...MODELS, 'selectors.yml': 'selectors:\n  - name: x\n    definition: "tags:a"\n' });
    const result = await runTsdbt(project.dir, ['ls', '--selector', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('selectors.yml:3:17: selectors.yml: selector "x": invalid selector "tags:a": unknown selector method "tags"');
  });
});

describe('--indirect-selection', () => {
  const testsRun = async (...args: string[]) => {
    const project = createTmpProject(MODELS);
    expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
    expect((await runTsdbt(project.dir, ['test', '--select', 'report', ...args])).code).toBe(0);
    return (project.json('target/run_results.json').results as Array<{ unique_id: string }>).map((r) => r.unique_id.split('.')[2]).sort();
  };

  it('eager (default for test) takes every test of a selected model; cautious only those whose parents are all selected; empty none', async () => {
    expect(await testsRun()).toEqual(['not_null_report_id', 'relationships_report_id__id__ref_stg_b_']);
    expect(await testsRun('--indirect-selection', 'cautious')).toEqual(['not_null_report_id']);
    expect(await testsRun('--indirect-selection', 'buildable')).toEqual(['not_null_report_id', 'relationships_report_id__id__ref_stg_b_']);
    const project = createTmpProject(MODELS);
    const empty = await runTsdbt(project.dir, ['test', '--select', 'report', '--indirect-selection', 'empty']);
    expect(empty.stderr).toContain('nothing to test');
    const bad = await runTsdbt(project.dir, ['test', '--indirect-selection', 'lazy']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--indirect-selection must be eager, cautious, buildable, empty, got "lazy"');
  });
});
