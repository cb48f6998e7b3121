import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { QueryError } from '../adapter.js';
import { toRunError } from './errors.js';

describe('toRunError', () => {
  it('turns an unreachable API into a configuration error, not an internal one', () => {
    const error = toRunError(
      Object.assign(new Error('request to https://bigquery.googleapis.com failed, reason: getaddrinfo ENOTFOUND bigquery.googleapis.com'), {
        code: 'ENOTFOUND',
      }),
      {},
    );
    expect(error).toBeInstanceOf(TsdbtError);
    expect((error as TsdbtError).message).toBe(
      'cannot reach BigQuery: request to https://bigquery.googleapis.com failed, reason: getaddrinfo ENOTFOUND bigquery.googleapis.com',
    );
    expect((error as TsdbtError).exitCode).toBe(2);
  });

  it('maps a job error position into the model SQL', () => {
    const error = toRunError({ errors: [{ reason: 'invalidQuery', message: 'Unrecognized name: x at [5:3]' }] }, { modelLine: 3, modelLines: 10 });
    expect(error).toBeInstanceOf(QueryError);
    expect((error as QueryError).sqlLine).toBe(3);
    expect(error.message).toBe("BigQuery invalidQuery: Unrecognized name: x at [5:3] (line 3, column 3 of the model's SQL)");
  });
});
