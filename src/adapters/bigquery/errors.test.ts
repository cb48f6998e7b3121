import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { QueryError } from '../adapter.js';
import { embed, locateFailure } from '../statements.js';
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
    // The job's line 3 is the model's first line.
    const statements = [
      embed('CREATE OR REPLACE TABLE t\nAS (', { text: Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n'), lines: [] }, ')', 'm.sql'),
    ];
    const error = toRunError({ errors: [{ reason: 'invalidQuery', message: 'Unrecognized name: x at [5:3]' }] }, { statements });
    expect(error).toBeInstanceOf(QueryError);
    expect(locateFailure({ statements }, error as QueryError).compiledLine).toBe(3);
    expect(error.message).toBe("BigQuery invalidQuery: Unrecognized name: x at [5:3] (line 3, column 3 of the model's SQL)");
  });
});
