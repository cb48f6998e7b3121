/**
 * The reference project (models/, project.yml, profiles.yml of this repository) on target prod:
 * compile works offline without credentials or environment, without loading any Google library;
 * build against the local BigQuery creates the datasets and the lake's external table and sends
 * one job per model, in DAG order, with the compiled SQL, the labels and the location.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../helpers/tmp-project.js';
import { startFakeGcp, type FakeGcpServer } from './fake-gcp-server.js';
import { GUARD, guardViolations, runAgainst } from './helpers.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let fake: FakeGcpServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-bq-reference-'));
  for (const path of ['models', 'macros', 'seeds', 'snapshots', 'tests', 'lake', 'project.yml', 'profiles.yml']) {
    if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
  }
  fake = await startFakeGcp();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await fake.close();
});

interface Manifest {
  nodes: Record<
    string,
    { resource_type: string; name: string; schema: string; config: { materialized: string }; compiled_path?: string; depends_on: { nodes: string[] } }
  >;
  sources: Record<string, { schema: string; external?: unknown }>;
}

/**
 * What BigQuery's dry run answers for the SELECT of each model with an enforced contract (its
 * declared columns, as the REST API names their types): the fake cannot type a query itself.
 */
function contractedSchemas(): Map<string, Array<{ name: string; type: string }>> {
  const REST: Record<string, string> = {
    string: 'STRING',
    int: 'INTEGER',
    float: 'FLOAT',
    boolean: 'BOOLEAN',
    date: 'DATE',
    timestamp_tz: 'TIMESTAMP',
    timestamp: 'DATETIME',
  };
  const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as {
    nodes: Record<string, { name: string; contract?: { enforced: boolean }; columns: Record<string, { name: string; data_type: string | null }> }>;
  };
  const schemas = new Map<string, Array<{ name: string; type: string }>>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.contract?.enforced)
      schemas.set(
        node.name,
        Object.values(node.columns).map((c) => ({ name: c.name, type: REST[c.data_type!] ?? c.data_type! })),
      );
  }
  return schemas;
}

// Unit tests of a bigquery target run on the reference engine (unit-tests.test.ts); the builds
// here leave them out so the jobs asserted are the models' own.
const NO_UNIT_TESTS = ['--exclude', 'resource_type:unit_test'];

describe('the reference project on BigQuery', () => {
  it('compiles for target prod offline: no credentials, no environment, no Google library loaded', async () => {
    const result = await runTsdbt(dir, ['compile', '--target', 'prod'], {
      env: {
        NODE_OPTIONS: `--require ${GUARD}`,
        FORBID_GOOGLE_LIBS: '1',
        GOOGLE_APPLICATION_CREDENTIALS: undefined,
        GCP_PROJECT: undefined,
        TSDBT_LAKE_BUCKET: undefined,
      },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as Manifest;
    const models = Object.values(manifest.nodes).filter((n) => n.resource_type === 'model' && n.config.materialized !== 'ephemeral');
    expect(models.length).toBeGreaterThan(0);
    for (const model of models) {
      const sql = readFileSync(join(dir, model.compiled_path!), 'utf8');
      expect(sql, model.name).not.toMatch(/read_csv\(|TRY_CAST|strptime\(/);
    }
  });

  it('builds against the local BigQuery: datasets, external table, one job per model in DAG order', async () => {
    const schemas = contractedSchemas();
    expect(schemas.size).toBeGreaterThan(0);
    fake.jobHandler = (job) => (job.dryRun && schemas.has(job.labels.tsdbt_model ?? '') ? { schema: schemas.get(job.labels.tsdbt_model!) } : undefined);
    // The lake in its bucket (as tsdbt lake push leaves it): files models list it.
    fake.addBucket('my-bucket');
    for (const file of readdirSync(join(dir, 'lake'), { recursive: true, withFileTypes: true })) {
      if (file.isFile())
        fake.putObject('my-bucket', `eco2mix/${relative(join(dir, 'lake'), join(file.parentPath, file.name))}`, readFileSync(join(file.parentPath, file.name)));
    }
    const result = await runAgainst(fake, dir, ['build', '--target', 'prod', ...NO_UNIT_TESTS]);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'target/manifest.json'), 'utf8')) as Manifest;
    const models = Object.entries(manifest.nodes).filter(([, n]) => n.resource_type === 'model' && n.config.materialized !== 'ephemeral');

    const created = fake.requests
      .filter((r) => r.method === 'POST' && r.path.endsWith('/datasets'))
      .map((r) => `${r.body.datasetReference.datasetId}@${r.body.location}`);
    const datasets = new Set([
      ...Object.values(manifest.nodes)
        .filter((n) => n.resource_type === 'model' || n.resource_type === 'seed')
        .map((n) => n.schema),
      ...Object.values(manifest.sources)
        .filter((s) => s.external)
        .map((s) => s.schema),
    ]);
    expect(created.sort()).toEqual([...datasets].sort().map((d) => `${d}@EU`));

    const jobs = fake.realJobs();
    // Every external table is created before the first model job.
    const externals = jobs.filter((j) => j.labels.tsdbt_source);
    const firstModel = jobs.findIndex((j) => j.labels.tsdbt_model);
    expect(externals.length).toBe(Object.values(manifest.sources).filter((s) => s.external).length);
    expect(externals.every((j) => jobs.indexOf(j) < firstModel)).toBe(true);
    const rte = externals.find((j) => j.query.startsWith('CREATE OR REPLACE EXTERNAL TABLE `my-gcp-project.rte.eco2mix_national_tr`'))!;
    expect(rte.query).toContain("uris = ['gs://my-bucket/eco2mix/eco2mix_national_tr_xls/*.xls']");
    expect(rte.query).toContain("field_delimiter = '\\t'");
    expect(rte.query).toContain("encoding = 'ISO-8859-1'");
    expect(rte.query).toContain('allow_jagged_rows = true');

    const position = new Map<string, number>();
    for (const [id, node] of models) {
      const own = jobs.filter((j) => j.labels.tsdbt_model === node.name);
      expect(own, node.name).toHaveLength(1);
      const job = own[0]!;
      position.set(id, jobs.indexOf(job));
      expect(job.location).toBe('EU');
      expect(job.labels).toMatchObject({ app: 'tsdbt', project: 'eco2mix', tsdbt_model: node.name });
      expect(job.configuration.query.maximumBytesBilled).toBe('10000000000');
      const compiled = readFileSync(join(dir, node.compiled_path!), 'utf8').trimEnd();
      expect(job.query).toContain(compiled);
    }
    for (const [id, node] of models) {
      for (const parent of node.depends_on.nodes) {
        if (position.has(parent)) expect(position.get(parent)!, `${parent} before ${id}`).toBeLessThan(position.get(id)!);
      }
    }
    expect(result.stdout).toMatch(/tsdbt build: \d+ nodes on target prod \(bigquery, 4 threads\)/);
    // Files models read the listed objects only, and record them with the rows in one script.
    const gas = jobs.find((j) => j.labels.tsdbt_model === 'bronze_stock_gaz')!;
    expect(gas.query).toContain("WHERE _FILE_NAME IN ('gs://my-bucket/eco2mix/gas_storage/");
    expect(gas.query).toContain('INSERT INTO `my-gcp-project.tsdbt_state.files`');
  });

  it('a second build lists the lake and sends no job for a files model whose files did not change', async () => {
    // The fake does not execute SQL: it answers the state query with the records the first build inserted.
    const insert = fake.realJobs().find((j) => j.labels.tsdbt_model === 'bronze_stock_gaz')!.query;
    const sqlChecksum = /v\.checksum, '([0-9a-f]{64})'/.exec(insert)![1];
    const records = [
      ...insert.matchAll(/STRUCT\('([^']*)' AS input_id, '([^']*)' AS file, '([^']*)' AS path, (\d+) AS size, (\d+) AS modified_ms, '([^']*)' AS checksum\)/g),
    ].map(([, input, file, path, size, modified, checksum]) => ['model.eco2mix.bronze_stock_gaz', input, file, path, size, modified, checksum, sqlChecksum]);
    expect(records).toHaveLength(1);
    const columns = ['unique_id', 'input_id', 'file', 'path', 'size', 'modified_ms', 'checksum', 'sql_checksum'];
    fake.schemas.set(
      'my-gcp-project.tsdbt_state.files',
      columns.map((name) => ({ name, type: /size|modified/.test(name) ? 'INTEGER' : 'STRING' })),
    );
    fake.jobHandler = (job) =>
      job.query.startsWith('SELECT unique_id, input_id, file') ? { schema: fake.schemas.get('my-gcp-project.tsdbt_state.files'), rows: records } : undefined;
    fake.reset();
    const result = await runAgainst(fake, dir, ['build', '--target', 'prod', '--select', 'bronze_stock_gaz']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/OK +incremental +`my-gcp-project\.bronze\.bronze_stock_gaz` +FILES \(up to date: 1 file\)/);
    expect(fake.realJobs().filter((j) => j.labels.tsdbt_model === 'bronze_stock_gaz')).toEqual([]);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/storage/v1/b/my-bucket/o')).toBe(true);
  });

  // Seeds are left out too: the runner loads seeds even under --dry-run (a framework change, reported).
  it('build --dry-run runs nothing: models and data tests are dry-run jobs, no dataset is created', async () => {
    const dry = await startFakeGcp();
    const schemas = contractedSchemas();
    dry.jobHandler = (job) => (job.dryRun && schemas.has(job.labels.tsdbt_model ?? '') ? { schema: schemas.get(job.labels.tsdbt_model!) } : undefined);
    try {
      const result = await runAgainst(dry, dir, ['build', '--target', 'prod', '--dry-run', '--exclude', 'resource_type:unit_test', 'resource_type:seed']);
      expect(guardViolations(result)).toEqual([]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(dry.realJobs()).toEqual([]);
      expect(dry.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/datasets'))).toEqual([]);
      // The external table, each model, and the data test queries were validated.
      expect(dry.jobs.filter((j) => j.labels.tsdbt_model).length).toBeGreaterThan(0);
      expect(dry.jobs.some((j) => j.query.startsWith('select\n  ') || j.query.startsWith('select count(*) as failures'))).toBe(true);
      expect(result.stdout).toMatch(/│ total\s+│ \d+ models\s+│ [\d.]+ MB\s+│/);
    } finally {
      await dry.close();
    }
  });
});
