import type { Storage } from '@google-cloud/storage';
import type { BigquerySettings } from './settings.js';

/**
 * The Cloud Storage client of a BigQuery target, loaded on first use. With a local endpoint
 * (gcs_api_endpoint / $TSDBT_GCS_API_ENDPOINT) the client sends no credentials at all.
 */
export async function createStorageClient(settings: BigquerySettings): Promise<Storage> {
  const { Storage } = await import('@google-cloud/storage');
  const endpoint = settings.gcsApiEndpoint;
  if (endpoint) process.env.METADATA_SERVER_DETECTION ??= 'none';
  const auth: Record<string, unknown> = endpoint
    ? { apiEndpoint: endpoint }
    : settings.method === 'service-account'
      ? { keyFilename: settings.keyfile }
      : settings.method === 'service-account-json'
        ? { credentials: settings.keyfileJson }
        : {};
  return new Storage({
    projectId: settings.project,
    ...auth,
    // The storage client's backoff starts at 1 s: a smaller upper bound is refused.
    retryOptions: { autoRetry: settings.retries > 0, maxRetries: settings.retries, maxRetryDelay: Math.max(1, settings.retryMaxDelaySeconds) },
    userAgent: 'tsdbt',
  });
}
