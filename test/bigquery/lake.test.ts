/**
 * tsdbt lake ls / push against the fake Cloud Storage: checksum change detection, resumable
 * uploads, generation preconditions, dry run, and idempotence (a second push uploads nothing).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c, crc32cBase64 } from '../../src/lake/crc32c.js';
import { comparePush, listLocalLake, parseGsUri, pushLake } from '../../src/lake/lake-sync.js';
import { createStorageClient } from '../../src/adapters/bigquery/storage-client.js';
import type { BigquerySettings } from '../../src/adapters/bigquery/settings.js';
import { startFakeGcp, type FakeGcpServer } from './fake-gcp-server.js';
import { guardViolations, runAgainst, smallProject } from './helpers.js';

const md5 = (data: Buffer | string) => createHash('md5').update(data).digest('base64');
const uploads = (fake: FakeGcpServer) => fake.requests.filter((r) => r.path.startsWith('/upload/'));

describe('checksums and comparison', () => {
  it('computes CRC32C as GCS does', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
    expect(crc32cBase64(Buffer.from(''))).toBe('AAAAAA==');
    // Chunked computation gives the same value.
    expect(crc32c(Buffer.from('56789'), crc32c(Buffer.from('1234')))).toBe(0xe3069283);
  });

  it('parses gs:// locations', () => {
    expect(parseGsUri('gs://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b' });
    expect(parseGsUri('gs://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(() => parseGsUri('/local/lake')).toThrow(/not a gs:\/\/ location/);
  });

  it('tells new, changed (size or checksum) and unchanged files apart; composite objects by CRC32C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-lake-'));
    writeFileSync(join(dir, 'a.csv'), 'same');
    writeFileSync(join(dir, 'b.csv'), 'abcd');
    writeFileSync(join(dir, 'c.csv'), 'longer now');
    writeFileSync(join(dir, 'd.csv'), 'composite');
    writeFileSync(join(dir, 'e.csv'), 'new');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'x'), 'hidden');
    const local = listLocalLake(dir);
    expect(local.map((f) => f.path)).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv', 'e.csv']);
    const entries = await comparePush(local, [
      { path: 'a.csv', size: 4, md5: md5('same') },
      { path: 'b.csv', size: 4, md5: md5('abce') },
      { path: 'c.csv', size: 3, md5: md5('old') },
      { path: 'd.csv', size: 9, crc32c: crc32cBase64(Buffer.from('composite')) },
    ]);
    expect(entries.map((e) => `${e.file.path} ${e.status}`)).toEqual(['a.csv unchanged', 'b.csv changed', 'c.csv changed', 'd.csv unchanged', 'e.csv new']);
  });
});

describe('pushLake with the Cloud Storage client', () => {
  let fake: FakeGcpServer;
  beforeAll(async () => {
    fake = await startFakeGcp();
    fake.addBucket('bucket');
  });
  afterAll(() => fake.close());
  const settings = () => ({ method: 'oauth', project: 'test-project', retries: 1, retryMaxDelaySeconds: 0.05, gcsApiEndpoint: fake.url }) as BigquerySettings;

  it('sends large files as resumable uploads (session, then PUT of the bytes) and guards every write by generation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-lake-'));
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(300_000, 7));
    writeFileSync(join(dir, 'small.csv'), 'x;y\n1;2\n');
    const storage = await createStorageClient(settings());
    const progress: number[] = [];
    const summary = await pushLake({
      storage,
      location: { bucket: 'bucket', prefix: 'lake' },
      localRoot: dir,
      dryRun: false,
      resumableThreshold: 100_000,
      onProgress: (p) => progress.push(p.bytes),
    });
    expect(summary.uploaded.map((e) => e.file.path).sort()).toEqual(['big.bin', 'small.csv']);
    expect(fake.objects.get('bucket/lake/big.bin')!.data.equals(Buffer.alloc(300_000, 7))).toBe(true);
    const calls = uploads(fake).map(
      (r) => `${r.method} ${r.query.uploadType}${r.query.upload_id ? ' (session)' : ''} ${r.query.name ?? ''} ifGenerationMatch=${r.query.ifGenerationMatch}`,
    );
    expect(calls).toContain('POST resumable lake/big.bin ifGenerationMatch=0');
    expect(calls).toContain('POST multipart lake/small.csv ifGenerationMatch=0');
    expect(calls.some((c) => c.startsWith('PUT resumable (session)'))).toBe(true);
    expect(Math.max(...progress)).toBe(300_000 + 8);
    // GCS requests to a local endpoint carry no credentials.
    expect(fake.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('stops with a clear error when the object changed on GCS after the listing (HTTP 412)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdbt-lake-'));
    writeFileSync(join(dir, 'race.csv'), 'mine');
    const storage = await createStorageClient(settings());
    fake.failNext({ method: 'POST', path: /^\/upload\//, status: 412, reason: 'conditionNotMet' });
    await expect(pushLake({ storage, location: { bucket: 'bucket', prefix: 'race' }, localRoot: dir, dryRun: false })).rejects.toThrow(
      'gs://bucket/race/race.csv changed on GCS while pushing (precondition failed)',
    );
  });
});

describe('tsdbt lake push / ls (CLI)', () => {
  let fake: FakeGcpServer;
  const project = smallProject({
    'lake/events/2024-01.csv': 'Event id;Date\n1;2024-01-01\n',
    'lake/events/2024-02.csv': 'Event id;Date\n2;2024-02-01\n',
    'lake/README.md': '# sample lake\n',
    'lake/.DS_Store': 'ignored',
  });
  // Larger than the 8 MiB resumable threshold of the CLI.
  writeFileSync(project.path('lake/events/big.csv'), Buffer.alloc(9 * 1024 * 1024, 65));
  beforeAll(async () => {
    fake = await startFakeGcp();
    fake.addBucket('test-lake');
  });
  afterAll(() => fake.close());

  it('uploads every file of the local lake the first time', async () => {
    const result = await runAgainst(fake, project.dir, ['lake', 'push']);
    expect(guardViolations(result)).toEqual([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect([...fake.objects.keys()].sort()).toEqual([
      'test-lake/raw/README.md',
      'test-lake/raw/events/2024-01.csv',
      'test-lake/raw/events/2024-02.csv',
      'test-lake/raw/events/big.csv',
    ]);
    expect(fake.objects.get('test-lake/raw/events/2024-01.csv')!.data.toString()).toBe('Event id;Date\n1;2024-01-01\n');
    expect(uploads(fake).some((r) => r.query.uploadType === 'resumable' && r.query.name === 'raw/events/big.csv')).toBe(true);
    expect(result.stdout).toMatch(/uploaded new {5}events\/big\.csv \(9\.44 MB\)/);
    expect(result.stdout).toMatch(/pushed 4 files \(9\.44 MB\) to gs:\/\/test-lake\/raw in \d+\.\d+s, 0 unchanged/);
  });

  it('is idempotent: a second push uploads nothing', async () => {
    fake.reset();
    const result = await runAgainst(fake, project.dir, ['lake', 'push']);
    expect(result.code).toBe(0);
    expect(uploads(fake)).toEqual([]);
    expect(result.stdout).toContain('nothing to push: 4 files already in gs://test-lake/raw (same checksums)');
  });

  it('--dry-run lists a changed file without uploading; the next push sends only it, guarded by its generation', async () => {
    project.write('lake/events/2024-02.csv', 'Event id;Date\n2;2024-02-02\n');
    const generation = fake.objects.get('test-lake/raw/events/2024-02.csv')!.generation;
    fake.reset();
    const dry = await runAgainst(fake, project.dir, ['lake', 'push', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(uploads(fake)).toEqual([]);
    expect(dry.stdout).toContain('would upload changed events/2024-02.csv (27 B)');
    expect(dry.stdout).toContain('dry run: 1 file (27 B) would be uploaded to gs://test-lake/raw, 3 unchanged');

    const push = await runAgainst(fake, project.dir, ['lake', 'push']);
    expect(push.code).toBe(0);
    expect(uploads(fake).map((r) => [r.query.name, r.query.ifGenerationMatch])).toEqual([['raw/events/2024-02.csv', String(generation)]]);
    expect(fake.objects.get('test-lake/raw/events/2024-02.csv')!.data.toString()).toContain('2024-02-02');
  });

  it('lake ls lists the objects and how the local lake compares', async () => {
    fake.putObject('test-lake', 'raw/events/old.csv', 'gone locally');
    const result = await runAgainst(fake, project.dir, ['lake', 'ls']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ events\/2024-01\.csv\s+│ 27 B\s+│ [^│]+│ same\s+│/);
    expect(result.stdout).toMatch(/│ events\/old\.csv\s+│ 12 B\s+│ [^│]+│ remote only\s+│/);
    expect(result.stdout).toContain('5 objects, 9.44 MB in gs://test-lake/raw; 0 local files new or changed (tsdbt lake push)');
  });

  it('refuses a target whose lake is not on GCS, and an unknown action', async () => {
    const local = smallProject({ 'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n' });
    const duck = await runAgainst(fake, local.dir, ['lake', 'push']);
    expect(duck.code).toBe(2);
    expect(duck.stderr).toContain('tsdbt lake works on a bigquery target; target "dev" is duckdb');
    const bad = await runAgainst(fake, project.dir, ['lake', 'sync']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('tsdbt lake sync is not an action');
  });
});
