import { describe, expect, it } from 'vitest';
import { TsdbtError } from './tsdbt-error.js';
import { fileSystemError } from './file-system.js';

const failure = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

describe('file system errors of tsdbt own files', () => {
  it.each([
    ['EACCES', 'permission denied', 'make the folder writable for this user (chmod u+w)'],
    ['EROFS', 'the file system is read-only', 'set target-path in project.yml to a folder on a writable file system'],
    ['ENOSPC', 'no space left on the device', 'free some disk space'],
    ['ENOENT', 'a folder of the path does not exist', 'create the folder'],
  ])('%s is an environment error naming the path, exit 2', (code, cause, hint) => {
    const error = fileSystemError(failure(code), `${process.cwd()}/target/run_results.json`);
    expect(error).toBeInstanceOf(TsdbtError);
    expect((error as TsdbtError).message).toBe(`cannot write target/run_results.json: ${cause} (${code})`);
    expect((error as TsdbtError).hint).toContain(hint);
    expect((error as TsdbtError).exitCode).toBe(2);
  });

  it('passes other errors through', () => {
    const other = new Error('something else');
    expect(fileSystemError(other, '/x')).toBe(other);
  });
});
