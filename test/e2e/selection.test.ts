import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt } from '../helpers/tmp-project.js';

describe('selection in build and test', () => {
  const files = {
    'seeds/regions.csv': 'code\n11\n24\n',
    'seeds/labels.csv': 'code,label\n11,IDF\n',
    'models/report.sql': 'select code from {{ref "labels"}}\n',
    'seeds/_seeds.yml': `version: 2
seeds:
  - name: labels
    columns:
      - name: code
        data_tests:
          - not_null
          - relationships: {to: "ref('regions')", field: code}
`,
  };

  it('accepts several words after --select, like dbt', async () => {
    const project = createTmpProject(files);
    const result = await runTsdbt(project.dir, ['ls', '--select', 'report', 'regions', '--output', 'name']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['regions', 'report']);
  });

  it('build runs a test that reads an unselected model only when all its models are selected', async () => {
    const project = createTmpProject(files);
    const partial = await runTsdbt(project.dir, ['build', '--select', '+report']);
    expect(partial.stderr).toBe('');
    expect(partial.code).toBe(0);
    const ran = project.json('target/run_results.json').results.map((r: { unique_id: string }) => r.unique_id.split('.').slice(0, 3).join('.'));
    expect(ran).toContain('test.demo.not_null_labels_code');
    expect(ran.some((id: string) => id.startsWith('test.demo.relationships_labels'))).toBe(false);

    const all = await runTsdbt(project.dir, ['build', '--select', '+report', 'regions']);
    expect(all.code).toBe(0);
    expect(
      project
        .json('target/run_results.json')
        .results.some((r: { unique_id: string; status: string }) => r.unique_id.startsWith('test.demo.relationships_labels') && r.status === 'pass'),
    ).toBe(true);
    // `tsdbt test` assumes everything is built: any selected parent brings the test in.
    const tests = await runTsdbt(project.dir, ['test', '--select', 'labels']);
    expect(tests.code).toBe(0);
    expect(project.json('target/run_results.json').results).toHaveLength(2);
  });
});
