/**
 * dbt_utils' and dbt_expectations' tests, built in: each passes on data that meets it and fails
 * with the right count on data that does not, under its package name and its plain name, batched
 * or not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, model, properties } from '../helpers/package-test-cases.js';
import { createTmpProject, runTsdbt, type RunResult, type TmpProject } from '../helpers/tmp-project.js';

let project: TmpProject;
let batched: RunResult;
let unbatched: RunResult;
const outcome = (results: Array<{ unique_id: string; status: string; failures: number | null }>) =>
  Object.fromEntries(results.filter((r) => r.unique_id.startsWith('test.')).map((r) => [r.unique_id.split('.')[2], `${r.status} ${r.failures}`]));

beforeAll(async () => {
  project = createTmpProject({
    'models/good.sql': model("(1, 'open', 'FR1', 10), (2, 'paid', 'FR2', 20), (3, 'paid', 'FR3', 15)"),
    'models/bad.sql': model("(1, 'open', 'FR1', 10), (1, 'open', 'fr2', null), (3, 'lost', 'DE33', 500), (7, ' ', 'FR4', -5)"),
    'models/many.sql': 'select * from range(10)\n',
    'models/schema.yml': properties(),
  });
  expect((await runTsdbt(project.dir, ['run'])).code).toBe(0);
  batched = await runTsdbt(project.dir, ['test']);
  const batchedResults = project.json('target/run_results.json').results;
  unbatched = await runTsdbt(project.dir, ['test', '--no-batch', '--no-reuse']);
  (project as TmpProject & { batchedResults: unknown }).batchedResults = batchedResults;
});

describe('dbt_utils and dbt_expectations tests', () => {
  it('pass on data that meets them and fail with the right count on data that does not', () => {
    expect(batched.stderr).not.toContain('ERROR in');
    const results = outcome((project as TmpProject & { batchedResults: never }).batchedResults);
    // Long test names are hashed (as dbt does): find each test by what the manifest says it is.
    const nodes = Object.values(project.json('target/manifest.json').nodes as Record<string, Record<string, never>>);
    const nameOf = (c: (typeof CASES)[number], model: string) => {
      const [namespace, test] = c.test.split('.');
      const node = nodes.find(
        (n: { test_metadata?: { name: string; namespace: string }; attached_node?: string; column_name?: string | null }) =>
          n.test_metadata?.name === test &&
          n.test_metadata?.namespace === namespace &&
          n.attached_node === `model.demo.${model}` &&
          (n.column_name ?? undefined) === c.column,
      ) as { name: string } | undefined;
      return node?.name ?? `(no ${c.test} on ${model})`;
    };
    for (const c of CASES) {
      expect(results[nameOf(c, 'good')], `${c.test} on good`).toBe('pass 0');
      expect(results[nameOf(c, 'bad')], `${c.test} on bad`).toBe(c.failures === 0 ? 'pass 0' : `fail ${c.failures}`);
    }
  });

  it('give the same results in one scan per model and one query per test', () => {
    expect(outcome(project.json('target/run_results.json').results)).toEqual(outcome((project as TmpProject & { batchedResults: never }).batchedResults));
    expect(unbatched.code).toBe(1);
  });

  it('take their plain names too', async () => {
    project.write(
      'models/schema.yml',
      'version: 2\nmodels:\n  - name: bad\n    columns:\n      - name: amount\n        data_tests:\n          - expect_column_values_to_not_be_null\n          - not_empty_string\n',
    );
    const result = await runTsdbt(project.dir, ['test']);
    expect(result.code).toBe(1);
    expect(outcome(project.json('target/run_results.json').results)).toEqual({
      expect_column_values_to_not_be_null_bad_amount: 'fail 1',
      not_empty_string_bad_amount: 'error null',
    });
  });
});
