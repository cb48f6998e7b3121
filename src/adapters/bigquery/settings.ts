import { resolve } from 'node:path';
import { z } from 'zod';
import type { ProfileOutput } from '../../config/profiles.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { parseOutput } from '../settings-schema.js';
import { LABEL_KEY, LABEL_VALUE } from './identifiers.js';

export type AuthMethod = 'oauth' | 'service-account' | 'service-account-json';

/** A `type: bigquery` output of profiles.yml, validated. */
export interface BigquerySettings {
  method: AuthMethod;
  project: string;
  /** Default dataset of models without a `schema` config. */
  dataset: string;
  location?: string;
  priority: 'INTERACTIVE' | 'BATCH';
  maximumBytesBilled?: number;
  jobLabels: Record<string, string>;
  jobTimeoutSeconds?: number;
  /** Retries of a request (HTTP 5xx/429) and of a job that failed for a transient reason. */
  retries: number;
  /** Upper bound of the wait between two retries, in seconds. */
  retryMaxDelaySeconds: number;
  /** `gs://bucket/prefix`: the lake external tables read and `tsdbt lake push` writes. */
  lake?: string;
  keyfile?: string;
  keyfileJson?: Record<string, unknown>;
  /** A local or alternative BigQuery endpoint: no Google credentials are looked up then. */
  apiEndpoint?: string;
  gcsApiEndpoint?: string;
}

const SHAPE = {
  type: z.literal('bigquery'),
  method: z.unknown().optional(),
  project: z.unknown().optional(),
  /** dbt-bigquery's other name for project. */
  database: z.unknown().optional(),
  dataset: z.unknown().optional(),
  schema: z.unknown().optional(),
  location: z.unknown().optional(),
  priority: z.unknown().optional(),
  maximum_bytes_billed: z.unknown().optional(),
  job_labels: z.unknown().optional(),
  job_timeout: z.unknown().optional(),
  /** dbt-bigquery's names for job_timeout. */
  job_execution_timeout_seconds: z.unknown().optional(),
  timeout_seconds: z.unknown().optional(),
  retries: z.unknown().optional(),
  /** dbt-bigquery's name for retries. */
  job_retries: z.unknown().optional(),
  retry_max_delay_seconds: z.unknown().optional(),
  threads: z.unknown().optional(),
  lake: z.unknown().optional(),
  keyfile: z.unknown().optional(),
  keyfile_json: z.unknown().optional(),
  api_endpoint: z.unknown().optional(),
  gcs_api_endpoint: z.unknown().optional(),
};

// dbt-bigquery output keys tsdbt does not implement: refused with what to do instead.
const UNSUPPORTED = {
  execution_project: 'jobs run in project:; set project: to the project that should run (and bill) them',
  impersonate_service_account: "use method: service-account with that account's key, or application default credentials",
  refresh_token: 'method oauth-secrets is not supported: use oauth (application default credentials) or a service account',
  client_id: 'method oauth-secrets is not supported: use oauth (application default credentials) or a service account',
  client_secret: 'method oauth-secrets is not supported: use oauth (application default credentials) or a service account',
  token_uri: 'method oauth-secrets is not supported: use oauth (application default credentials) or a service account',
  token: 'method oauth-secrets is not supported: use oauth (application default credentials) or a service account',
  scopes: 'tsdbt asks for the BigQuery and Cloud Storage scopes it needs',
  job_creation_timeout_seconds: 'use job_timeout (seconds a job may run)',
  job_retry_deadline_seconds: 'use retries and retry_max_delay_seconds',
  quota_project: 'jobs are billed to project:',
  gcs_bucket: 'Python models are not supported (lake: is the bucket tsdbt reads sources from)',
  dataproc_region: 'Python models are not supported',
  dataproc_cluster_name: 'Python models are not supported',
  compute_region: 'Python models are not supported',
  submission_method: 'Python models are not supported',
} as const;

const METHODS: AuthMethod[] = ['oauth', 'service-account', 'service-account-json'];

/** Reads and checks a BigQuery target; every mistake names the profiles.yml line. */
export function parseBigquerySettings(output: ProfileOutput, projectDir: string, env: NodeJS.ProcessEnv = process.env): BigquerySettings {
  const s = parseOutput(output, SHAPE, UNSUPPORTED) as Record<string, unknown>;
  const fail = (key: string, message: string, hint: string): never => {
    throw new TsdbtError(message, { code: 'E_TARGET_KEY', kind: 'config', location: output.locate(key), hint });
  };
  const text = (key: string): string | undefined => {
    const value = s[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') fail(key, `${key} must be a string, got ${JSON.stringify(value)}`, `write ${key}: '...'`);
    return value as string;
  };
  const integer = (key: string, min: number): number | undefined => {
    const value = s[key];
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(String(value)) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min) fail(key, `${key} must be an integer >= ${min}, got ${JSON.stringify(value)}`, `e.g. ${key}: ${Math.max(min, 1)}`);
    return n;
  };
  const number = (key: string): number | undefined => {
    const value = s[key];
    if (value === undefined || value === null || value === '') return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) fail(key, `${key} must be a positive number of seconds, got ${JSON.stringify(value)}`, `e.g. ${key}: 300`);
    return n;
  };

  // dbt-bigquery's names are read as the same settings; writing both is a mistake.
  for (const [alias, key] of [
    ['database', 'project'],
    ['job_execution_timeout_seconds', 'job_timeout'],
    ['timeout_seconds', 'job_timeout'],
    ['job_retries', 'retries'],
  ] as const) {
    if (s[alias] === undefined) continue;
    if (s[key] !== undefined) fail(alias, `${alias} and ${key} are the same setting; target "${output.name}" sets both`, `keep ${key}: and remove ${alias}:`);
    s[key] = s[alias];
  }
  const method = (text('method') ?? 'oauth') as AuthMethod;
  if (!METHODS.includes(method)) fail('method', `unknown method "${method}"`, `use one of: ${METHODS.join(', ')}`);
  const project = text('project');
  if (!project) fail('type', `target "${output.name}" (bigquery) has no project`, "set project: 'my-gcp-project' (the GCP project the jobs run in)");
  if (!/^[a-z][a-z0-9.:-]{3,}[a-z0-9]$/.test(project!)) {
    fail('project', `"${project}" is not a GCP project id`, 'project ids are 6-30 lowercase letters, digits and dashes');
  }
  const dataset = text('dataset') ?? text('schema');
  if (!dataset) fail('type', `target "${output.name}" (bigquery) has no dataset`, 'set dataset: the default dataset of the models');
  if (!/^[A-Za-z0-9_]{1,1024}$/.test(dataset!))
    fail(s.dataset !== undefined ? 'dataset' : 'schema', `"${dataset}" is not a BigQuery dataset name`, 'use letters, digits and underscores');

  const priority = (text('priority') ?? 'interactive').toLowerCase();
  if (priority !== 'interactive' && priority !== 'batch') fail('priority', `priority must be interactive or batch, got "${priority}"`, 'priority: interactive');

  const labels = s.job_labels ?? {};
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels))
    fail('job_labels', 'job_labels must be a mapping of label: value', 'job_labels: {team: data}');
  const jobLabels: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels as Record<string, unknown>)) {
    const v = String(value ?? '');
    if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(v)) {
      fail(
        'job_labels',
        `job label ${key}: ${v} is not valid for BigQuery`,
        'label keys and values use lowercase letters, digits, _ and - (keys start with a letter, 63 characters at most)',
      );
    }
    jobLabels[key] = v;
  }

  const lake = text('lake');
  if (lake !== undefined && !/^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}(\/.*)?$/.test(lake)) {
    fail(
      'lake',
      `the lake of a bigquery target must be a gs:// location, got "${lake}"`,
      "lake: 'gs://my-bucket/eco2mix' (external tables read from Cloud Storage)",
    );
  }

  const keyfile = text('keyfile');
  if (method === 'service-account' && !keyfile)
    fail('method', 'method service-account needs keyfile: the path of the JSON key', 'keyfile: \'{{env "GOOGLE_APPLICATION_CREDENTIALS"}}\'');
  const keyfileJson = s.keyfile_json;
  if (method === 'service-account-json' && (typeof keyfileJson !== 'object' || keyfileJson === null)) {
    fail('method', 'method service-account-json needs keyfile_json: the key as a mapping', "paste the key file's fields under keyfile_json:");
  }

  const endpoint = (key: string, envName: string): string | undefined => {
    const value = text(key) ?? (env[envName] || undefined);
    if (value === undefined) return undefined;
    if (!/^https?:\/\/[^/\s]+\/?$/.test(value)) {
      fail(key, `${key} (or $${envName}) must be a URL like http://127.0.0.1:9050, got "${value}"`, 'give scheme, host and port, without a path');
    }
    return value.replace(/\/$/, '');
  };

  return {
    method,
    project: project!,
    dataset: dataset!,
    location: text('location'),
    priority: priority === 'batch' ? 'BATCH' : 'INTERACTIVE',
    maximumBytesBilled: parseBytes(s.maximum_bytes_billed, () =>
      fail(
        'maximum_bytes_billed',
        `maximum_bytes_billed must be a number of bytes, got ${JSON.stringify(s.maximum_bytes_billed)}`,
        'e.g. maximum_bytes_billed: 10000000000 (or "10 GB")',
      ),
    ),
    jobLabels,
    jobTimeoutSeconds: number('job_timeout'),
    retries: integer('retries', 0) ?? 3,
    retryMaxDelaySeconds: number('retry_max_delay_seconds') ?? 32,
    lake,
    keyfile: keyfile === undefined ? undefined : resolve(projectDir, keyfile),
    keyfileJson: method === 'service-account-json' ? (keyfileJson as Record<string, unknown>) : undefined,
    apiEndpoint: endpoint('api_endpoint', 'TSDBT_BIGQUERY_API_ENDPOINT'),
    gcsApiEndpoint: endpoint('gcs_api_endpoint', 'TSDBT_GCS_API_ENDPOINT'),
  };
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes as a number, or text such as "10 GB" / "1 TiB"; undefined when unset. */
export function parseBytes(value: unknown, invalid: () => never): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : invalid();
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = UNITS[(match?.[2] || 'b').toLowerCase()];
  if (!match || unit === undefined) return invalid();
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes > 0 ? bytes : invalid();
}
