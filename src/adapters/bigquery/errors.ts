import { TsdbtError, type SourceLocation } from '../../errors/tsdbt-error.js';
import { QueryError, type Statement } from '../adapter.js';
import { asScript, locateFailure, statementAt } from '../statements.js';
import { formatBytes } from '../../text/format-bytes.js';

/** A BigQuery error reduced to what tsdbt reports: BigQuery's reason, message and HTTP code. */
export interface BigqueryFailure {
  reason?: string;
  message: string;
  code?: number;
}

interface ErrorLike {
  message?: string;
  code?: number | string;
  errors?: Array<{ reason?: string; message?: string }>;
  response?: { status?: { errorResult?: { reason?: string; message?: string } } };
}

/** Classifies by `errors[0].reason` (job errors have no HTTP code), falling back on the HTTP code. */
export function describeFailure(error: unknown): BigqueryFailure {
  const e = (error ?? {}) as ErrorLike;
  const first = e.errors?.[0] ?? e.response?.status?.errorResult;
  const code = typeof e.code === 'number' ? e.code : undefined;
  const reason = first?.reason ?? (code === 404 ? 'notFound' : code === 403 ? 'accessDenied' : code === 401 ? 'unauthorized' : undefined);
  const message = (first?.message ?? e.message ?? String(error)).trim();
  return { reason, message, code };
}

/** Job failures worth running the job again for (BigQuery's own advice for these reasons). */
const TRANSIENT = new Set(['backendError', 'internalError', 'rateLimitExceeded', 'jobBackendError', 'jobInternalError']);
export const isTransient = (failure: BigqueryFailure) => failure.reason !== undefined && TRANSIENT.has(failure.reason);

export interface FailureContext {
  /** The statements the job ran (one script when several): BigQuery's [line:column] maps into them. */
  statements?: readonly Statement[];
  maximumBytesBilled?: number;
  profileLocation?: (key: string) => SourceLocation;
  dryRun?: boolean;
  cancelled?: boolean;
}

/**
 * A failed job as the runner reports it: a QueryError whose message starts with BigQuery's
 * reason, with the statement and line BigQuery's `[line:column]` falls on (the script's lines
 * mapped back to its statements); bytesBilledLimitExceeded becomes a configuration-pointing error.
 */
export function toRunError(error: unknown, context: FailureContext): QueryError | TsdbtError {
  if (error instanceof QueryError || error instanceof TsdbtError) return error;
  const failure = describeFailure(error);
  const network = /getaddrinfo|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|Could not load the default credentials|invalid_grant/i;
  if (network.test(failure.message) || (typeof (error as ErrorLike)?.code === 'string' && network.test(String((error as ErrorLike).code)))) {
    return new TsdbtError(`cannot reach BigQuery: ${failure.message.split('\n')[0]}`, {
      code: 'E_CONNECT',
      kind: 'config',
      location: context.profileLocation?.('method'),
      hint: 'check network access and credentials (method, keyfile or application default credentials in profiles.yml); for a local server set TSDBT_BIGQUERY_API_ENDPOINT',
    });
  }
  if (context.cancelled || failure.reason === 'stopped')
    return new QueryError('cancelled (interrupted)', { reason: failure.reason ?? 'stopped', cancelled: true });
  if (failure.reason === 'bytesBilledLimitExceeded') {
    const limit = context.maximumBytesBilled;
    return new TsdbtError(
      `BigQuery refused the job: it would bill more than maximum_bytes_billed${limit ? ` = ${limit} bytes (${formatBytes(limit)})` : ''}. BigQuery: ${failure.message}`,
      {
        code: 'E_BYTES_LIMIT',
        kind: 'runtime',
        location: context.profileLocation?.('maximum_bytes_billed'),
        hint: 'nothing was billed or changed; make the model read less (a partition filter, fewer columns) or raise maximum_bytes_billed in profiles.yml',
      },
    );
  }
  const position = /\[(\d+):(\d+)\]/.exec(failure.message);
  const at = position && context.statements ? statementAt(asScript(context.statements).starts, Number(position[1])) : undefined;
  const located = at ? locateFailure({ statements: [...context.statements!] }, new QueryError('', at)) : {};
  // BigQuery counts lines in the whole script: say where that is in the model's own SQL (or the hook's).
  const owner = at && context.statements![at.statement]?.hook ? 'the hook' : "the model's SQL";
  const where = located.compiledLine !== undefined ? ` (line ${located.compiledLine}, column ${position![2]} of ${owner})` : '';
  let advice = '';
  if (failure.reason === 'notFound' && context.dryRun) advice = '\n(a dry run reads the relations of an earlier run: run tsdbt build once before dry runs)';
  if (failure.reason === 'accessDenied' || failure.code === 401)
    advice = '\n(check the service account roles: BigQuery Data Editor and Job User, Storage Object Viewer on the lake)';
  return new QueryError(`BigQuery ${failure.reason ?? 'error'}: ${failure.message}${where}${advice}`, { reason: failure.reason, ...at });
}
