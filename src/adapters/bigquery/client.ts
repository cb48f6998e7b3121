import type { BigQuery } from '@google-cloud/bigquery';
import type { BigquerySettings } from './settings.js';

const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * Credentials for a local endpoint: a fixed bearer token, so that google-auth-library never
 * looks for keys, gcloud files or the metadata server (a local run starts at once, offline).
 */
export async function staticTokenClient(): Promise<unknown> {
  // Without this the auth library may probe the GCE metadata server before answering.
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  const { OAuth2Client } = await import('google-auth-library');
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'tsdbt-local-endpoint', expiry_date: Date.now() + TEN_YEARS_MS });
  return client;
}

/** The authentication part of a Google client's options, per `method` (none for a local endpoint). */
export async function googleAuthOptions(settings: BigquerySettings, endpoint: string | undefined): Promise<Record<string, unknown>> {
  if (endpoint) return { authClient: await staticTokenClient() };
  if (settings.method === 'service-account') return { keyFilename: settings.keyfile };
  if (settings.method === 'service-account-json') return { credentials: settings.keyfileJson };
  return {}; // oauth: application default credentials (gcloud auth application-default login, workload identity)
}

/** The BigQuery client, loaded on first use: compile and --help never import it. */
export async function createBigqueryClient(settings: BigquerySettings): Promise<BigQuery> {
  const { BigQuery } = await import('@google-cloud/bigquery');
  return new BigQuery({
    projectId: settings.project,
    location: settings.location,
    ...(settings.apiEndpoint ? { apiEndpoint: settings.apiEndpoint } : {}),
    ...(await googleAuthOptions(settings, settings.apiEndpoint)),
    // HTTP 429/5xx are retried by the client with exponential backoff.
    retryOptions: { autoRetry: settings.retries > 0, maxRetries: settings.retries, maxRetryDelay: settings.retryMaxDelaySeconds },
    userAgent: 'tsdbt',
  });
}
