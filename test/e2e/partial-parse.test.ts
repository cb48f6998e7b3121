import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt, type TmpProject } from '../helpers/tmp-project.js';

const KEPT = 'no file changed since the last parse';

const FILES = {
  'project.yml': 'name: demo\nprofile: demo\nvars:\n  threshold: 10\n',
  'macros/cents.sql': '{{!-- params: column --}}\n({{column}} * 100)\n',
  'seeds/regions.csv': 'region,label\nnorth,Nord\nsouth,Sud\n',
  'models/schema.yml': `version: 2
models:
  - name: orders
    description: One row per order.
    columns:
      - name: id
        data_tests: [not_null, unique]
`,
  'models/orders.sql':
    'select 1 as id, {{cents "amount"}} as amount_cents, \'{{env "REGION" "north"}}\' as region, {{var "threshold"}} as threshold from (select 2 as amount)\n',
  'models/labelled.sql': 'select o.*, r.label from {{ref "orders"}} o join {{ref "regions"}} r using (region)\n',
  'models/spare.sql': 'select 42 as answer\n',
};

/** What a compile leaves: the manifest without its metadata (a new invocation each time) and every compiled file. */
function outputs(project: TmpProject): { manifest: string; compiled: Record<string, string> } {
  const text = project.read('target/manifest.json');
  const compiledRoot = project.path('target/compiled');
  const compiled: Record<string, string> = {};
  for (const entry of readdirSync(compiledRoot, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) compiled[join(entry.parentPath, entry.name).slice(compiledRoot.length)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return { manifest: text.slice(text.indexOf(',"nodes":')), compiled };
}

async function compile(project: TmpProject, args: string[] = [], env: Record<string, string | undefined> = {}) {
  const result = await runTsdbt(project.dir, ['compile', ...args], { env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

/** The cached compile, then a full one: the same bytes. Returns whether the cached compile kept target/. */
async function cachedEqualsCold(project: TmpProject, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<boolean> {
  const cached = await compile(project, args, env);
  const fromCache = outputs(project);
  const cold = await compile(project, [...args, '--no-partial-parse'], env);
  expect(cold.stdout).not.toContain(KEPT);
  const fromScratch = outputs(project);
  expect(fromCache.manifest).toBe(fromScratch.manifest);
  expect(fromCache.compiled).toEqual(fromScratch.compiled);
  return cached.stdout.includes(KEPT);
}

describe('the parse cache (target/partial_parse.json)', () => {
  let project: TmpProject;

  beforeAll(async () => {
    project = createTmpProject(FILES);
    const first = await compile(project);
    expect(first.stdout).not.toContain(KEPT);
    expect(project.exists('target/partial_parse.json')).toBe(true);
  });

  it('a compile with nothing changed keeps target/ and writes a manifest of this invocation', async () => {
    expect(await cachedEqualsCold(project)).toBe(true);
    const before = project.json('target/manifest.json').metadata.invocation_id;
    const again = await compile(project);
    expect(again.stdout).toContain(KEPT);
    expect(again.stdout).toContain('3 models, 1 seeds');
    const manifest = project.json('target/manifest.json');
    expect(manifest.metadata.invocation_id).not.toBe(before);
    expect(manifest.nodes['model.demo.orders'].compiled_code).toContain('(amount * 100)');
  });

  it.each([
    ['a macro', () => project.write('macros/cents.sql', '{{!-- params: column --}}\nround({{column}} * 100)\n'), 'round(amount * 100)'],
    ['a var in project.yml', () => project.write('project.yml', 'name: demo\nprofile: demo\nvars:\n  threshold: 25\n'), '25 as threshold'],
    ['a YAML description', () => project.write('models/schema.yml', FILES['models/schema.yml'].replace('One row per order.', 'Every order.')), 'Every order.'],
    ['a seed', () => project.write('seeds/regions.csv', 'region,label\nnorth,North\nsouth,South\n'), undefined],
    ['a new model', () => project.write('models/extra.sql', 'select 7 as seven\n'), 'select 7 as seven'],
    ['a deleted model', () => project.remove('models/spare.sql'), undefined],
    [
      'profiles.yml',
      () => project.write('profiles.yml', project.read('profiles.yml').replace('threads: 2', 'threads: 2\n      schema: other')),
      'other.orders',
    ],
  ])('an edited input is parsed again, to the bytes of a full parse: %s', async (_what, edit, expected) => {
    await compile(project); // the cache matches the files before the edit
    expect((await compile(project)).stdout).toContain(KEPT);
    const manifestBefore = project.read('target/manifest.json');
    edit();
    expect(await cachedEqualsCold(project)).toBe(false);
    expect(project.read('target/manifest.json')).not.toBe(manifestBefore);
    if (expected) expect(project.read('target/manifest.json')).toContain(expected);
    expect(project.exists('target/manifest.json') && project.read('target/manifest.json').includes('model.demo.spare')).toBe(
      project.exists('models/spare.sql'),
    );
  });

  it('an environment variable a template reads, and --vars, are inputs; their values are not written to the cache', async () => {
    await compile(project, [], { REGION: 'south-secret-value' });
    expect((await compile(project, [], { REGION: 'south-secret-value' })).stdout).toContain(KEPT);
    expect(await cachedEqualsCold(project, [], { REGION: 'east' })).toBe(false);
    expect(project.read('target/manifest.json')).toContain("'east' as region");
    await compile(project, [], { REGION: 'south-secret-value' });
    const cache = project.read('target/partial_parse.json');
    expect(cache).toContain('"REGION"');
    expect(cache).not.toContain('south-secret-value');
    expect(await cachedEqualsCold(project, ['--vars', '{threshold: 3}'], { REGION: 'east' })).toBe(false);
    expect(project.read('target/manifest.json')).toContain('3 as threshold');
    expect((await compile(project, ['--vars', '{threshold: 3}'], { REGION: 'east' })).stdout).toContain(KEPT);
  });

  it('an output changed or removed since is written again', async () => {
    await compile(project);
    const compiledOrders = 'target/compiled/demo/models/orders.sql';
    const expected = project.read(compiledOrders);
    project.remove(compiledOrders);
    expect((await compile(project)).stdout).not.toContain(KEPT);
    expect(project.read(compiledOrders)).toBe(expected);
    project.write('target/manifest.json', '{"metadata":{}}');
    expect((await compile(project)).stdout).not.toContain(KEPT);
    expect(project.json('target/manifest.json').nodes['model.demo.orders']).toBeDefined();
  });

  it('--no-partial-parse parses everything; parse has its own entry', async () => {
    await compile(project);
    expect((await compile(project, ['--no-partial-parse'])).stdout).not.toContain(KEPT);
    const parsed = await runTsdbt(project.dir, ['parse']);
    expect(parsed.stdout).not.toContain(KEPT);
    expect((await runTsdbt(project.dir, ['parse'])).stdout).toContain(KEPT);
    expect((await runTsdbt(project.dir, ['parse', '--no-partial-parse'])).stdout).not.toContain(KEPT);
  });

  it('a corrupt or foreign cache file is ignored with a warning and replaced', async () => {
    for (const content of ['{not json', '{"format":"something-else/9"}']) {
      project.write('target/partial_parse.json', content);
      const result = await runTsdbt(project.dir, ['compile']);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toContain(KEPT);
      expect(`${result.stdout}${result.stderr}`).toMatch(/partial_parse\.json is not (valid JSON|a parse cache of this tsdbt).*every file is parsed again/);
      expect((await compile(project)).stdout).toContain(KEPT);
    }
  });
});
