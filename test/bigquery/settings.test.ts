/** The bigquery profile output, and how BigQuery errors become tsdbt errors. */
import { describe, expect, it } from 'vitest';
import type { ProfileOutput } from '../../src/config/profiles.js';
import { parseYamlText } from '../../src/config/yaml-file.js';
import { bigqueryEngine } from '../../src/adapters/bigquery/engine.js';
import { parseBigquerySettings, parseBytes } from '../../src/adapters/bigquery/settings.js';
import { formatBytes } from '../../src/text/format-bytes.js';
import { describeFailure, isTransient, toRunError } from '../../src/adapters/bigquery/errors.js';
import type { QueryError } from '../../src/adapters/adapter.js';
import { embed, locateFailure } from '../../src/adapters/statements.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';

/** The profiles.yml output `demo.outputs.prod` holding these settings (JSON is YAML). */
function target(settings: Record<string, unknown>): ProfileOutput {
  const values = { type: 'bigquery', ...settings };
  const file = parseYamlText(JSON.stringify({ demo: { outputs: { prod: values } } }, null, 2), 'profiles.yml', 'config');
  const path = ['demo', 'outputs', 'prod'];
  return {
    profileName: 'demo',
    name: 'prod',
    type: 'bigquery',
    threads: 4,
    values,
    profilesFile: 'profiles.yml',
    file,
    path,
    locate: (key) => file.locate(key === undefined ? path : [...path, ...(typeof key === 'string' ? [key] : key)]),
  };
}

describe('bigquery settings', () => {
  it('reads every key, numbers given as text (environment interpolation) included', () => {
    const s = parseBigquerySettings(
      target({
        project: 'my-project',
        dataset: 'eco2mix',
        location: 'EU',
        priority: 'batch',
        maximum_bytes_billed: '10 GB',
        job_labels: { team: 'data' },
        job_timeout: '900',
        retries: '5',
        lake: 'gs://bucket/eco2mix',
        method: 'service-account',
        keyfile: 'key.json',
      }),
      '/project',
      {},
    );
    expect(s).toMatchObject({
      project: 'my-project',
      dataset: 'eco2mix',
      location: 'EU',
      priority: 'BATCH',
      maximumBytesBilled: 10_000_000_000,
      jobLabels: { team: 'data' },
      jobTimeoutSeconds: 900,
      retries: 5,
      lake: 'gs://bucket/eco2mix',
      keyfile: '/project/key.json',
    });
    expect(s.apiEndpoint).toBeUndefined();
  });

  it('takes the endpoints from the environment unless the profile sets them', () => {
    const env = { TSDBT_BIGQUERY_API_ENDPOINT: 'http://127.0.0.1:9050/', TSDBT_GCS_API_ENDPOINT: 'http://127.0.0.1:9051' };
    expect(parseBigquerySettings(target({ project: 'my-project', dataset: 'd' }), '/p', env)).toMatchObject({
      apiEndpoint: 'http://127.0.0.1:9050',
      gcsApiEndpoint: 'http://127.0.0.1:9051',
    });
    expect(parseBigquerySettings(target({ project: 'my-project', dataset: 'd', api_endpoint: 'http://localhost:1' }), '/p', env).apiEndpoint).toBe(
      'http://localhost:1',
    );
  });

  it.each([
    [{ dataset: 'd' }, /has no project/],
    [{ project: 'my-project' }, /has no dataset/],
    [{ project: 'My Project', dataset: 'd' }, /is not a GCP project id/],
    [{ project: 'my-project', dataset: 'd', method: 'password' }, /unknown method "password"/],
    [{ project: 'my-project', dataset: 'd', method: 'service-account' }, /needs keyfile/],
    [{ project: 'my-project', dataset: 'd', lake: '/data/lake' }, /must be a gs:\/\/ location/],
    [{ project: 'my-project', dataset: 'd', maximum_bytes_billed: 'lots' }, /maximum_bytes_billed must be a number of bytes/],
    [{ project: 'my-project', dataset: 'd', job_labels: { Team: 'x' } }, /job label Team: x is not valid/],
    [{ project: 'my-project', dataset: 'd', api_endpoint: 'localhost:9050' }, /must be a URL like http:\/\/127\.0\.0\.1:9050/],
    [{ project: 'my-project', dataset: 'd', retries: -1 }, /retries must be an integer >= 0/],
  ])('refuses %j with a profiles.yml location', (settings, message) => {
    try {
      parseBigquerySettings(target(settings), '/p', {});
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TsdbtError);
      expect((error as TsdbtError).message).toMatch(message);
      expect((error as TsdbtError).location?.file).toBe('profiles.yml');
      expect((error as TsdbtError).exitCode).toBe(2);
    }
  });

  it("reads dbt-bigquery's names for project, job timeout and retries, and refuses both names at once", () => {
    const s = parseBigquerySettings(target({ database: 'my-project', dataset: 'd', job_execution_timeout_seconds: 300, job_retries: 1 }), '/p', {});
    expect(s).toMatchObject({ project: 'my-project', jobTimeoutSeconds: 300, retries: 1 });
    expect(() => parseBigquerySettings(target({ project: 'my-project', database: 'other', dataset: 'd' }), '/p', {})).toThrow(
      'database and project are the same setting; target "prod" sets both',
    );
  });

  it('refuses unknown keys with did-you-mean and dbt keys it does not implement, at their line', () => {
    const refused = (settings: Record<string, unknown>) => {
      try {
        parseBigquerySettings(target({ project: 'my-project', dataset: 'd', ...settings }), '/p', {});
      } catch (error) {
        return error as TsdbtError;
      }
      throw new Error('accepted');
    };
    const typo = refused({ maximum_byte_billed: 10 });
    expect(typo.message).toBe('unknown bigquery setting "maximum_byte_billed" in target "prod"');
    expect(typo.hint).toBe('did you mean "maximum_bytes_billed"?');
    expect(typo.location).toMatchObject({ file: 'profiles.yml', line: 8 });
    const dbtOnly = refused({ impersonate_service_account: 'sa@x.iam.gserviceaccount.com' });
    expect(dbtOnly.message).toBe('"impersonate_service_account" is not supported yet by tsdbt\'s bigquery adapter (target "prod")');
    expect(dbtOnly.exitCode).toBe(2);
  });

  it('resolves the target: the dataset is the default schema and the project is where its data lives', () => {
    const resolved = bigqueryEngine.resolveSettings(target({ project: 'my-project', dataset: 'eco2mix', lake: 'gs://my-lake/raw' }), {
      projectDir: '/p',
      env: {},
    });
    expect(resolved).toMatchObject({ schema: 'eco2mix', database: 'my-project', lakeRoot: 'gs://my-lake/raw' });
  });

  it('reads and prints byte counts', () => {
    const invalid = () => {
      throw new Error('invalid');
    };
    expect(parseBytes(1000, invalid)).toBe(1000);
    expect(parseBytes('1 TiB', invalid)).toBe(2 ** 40);
    expect(parseBytes('2.5GB', invalid)).toBe(2_500_000_000);
    expect(() => parseBytes('-1', invalid)).toThrow('invalid');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234_567)).toBe('1.23 MB');
    expect(formatBytes(56_700_000_000)).toBe('56.7 GB');
  });
});

describe('BigQuery errors', () => {
  const jobError = (reason: string, message: string) => ({ message, errors: [{ reason, message }] });

  it('classifies by errors[0].reason, falling back on the HTTP code', () => {
    expect(describeFailure(jobError('invalidQuery', 'Syntax error'))).toEqual({ reason: 'invalidQuery', message: 'Syntax error', code: undefined });
    expect(describeFailure({ code: 404, message: 'Not found: Table p:d.t' }).reason).toBe('notFound');
    expect(isTransient(describeFailure(jobError('backendError', 'x')))).toBe(true);
    expect(isTransient(describeFailure(jobError('invalidQuery', 'x')))).toBe(false);
  });

  it('maps BigQuery [line:column] into the model SQL only when it falls inside it', () => {
    // One statement whose model SQL (10 lines) starts on the job's line 3.
    const statements = [
      embed('CREATE OR REPLACE TABLE t\nAS (', { text: Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n'), lines: [] }, ')', 'm.sql'),
    ];
    const inside = toRunError(jobError('invalidQuery', 'Unrecognized name: x at [7:3]'), { statements }) as QueryError;
    expect(locateFailure({ statements }, inside).compiledLine).toBe(5);
    expect(inside.reason).toBe('invalidQuery');
    expect(inside.message).toBe("BigQuery invalidQuery: Unrecognized name: x at [7:3] (line 5, column 3 of the model's SQL)");
    const outside = toRunError(jobError('invalidQuery', 'Column n does not exist at [20:1]'), { statements }) as QueryError;
    expect(locateFailure({ statements }, outside).compiledLine).toBeUndefined();
  });

  it('explains notFound in dry runs and cancellation', () => {
    expect((toRunError(jobError('notFound', 'Not found: Table p:silver.x'), { dryRun: true }) as QueryError).message).toContain(
      'run tsdbt build once before dry runs',
    );
    const cancelled = toRunError(jobError('stopped', 'Job execution was cancelled'), {}) as QueryError;
    expect(cancelled.cancelled).toBe(true);
  });
});
