import { relative } from 'node:path';
import { TsdbtError } from './tsdbt-error.js';

/** What a file system error code means for the user, and what to do about it. */
const CAUSES: Record<string, { cause: string; hint: string }> = {
  ENOSPC: { cause: 'no space left on the device', hint: 'free some disk space, or set target-path in project.yml to a disk with room; then run again' },
  EDQUOT: { cause: 'the disk quota is exhausted', hint: 'free some space in your quota, or set target-path in project.yml elsewhere; then run again' },
  EACCES: { cause: 'permission denied', hint: 'make the folder writable for this user (chmod u+w), or set target-path in project.yml to a writable folder' },
  EPERM: { cause: 'the operation is not permitted', hint: 'make the folder writable for this user, or set target-path in project.yml to a writable folder' },
  EROFS: { cause: 'the file system is read-only', hint: 'set target-path in project.yml to a folder on a writable file system' },
  ENOENT: { cause: 'a folder of the path does not exist', hint: 'create the folder, or fix target-path in project.yml' },
  ENOTDIR: { cause: 'a part of the path is a file, not a folder', hint: 'remove or rename that file, or set target-path in project.yml elsewhere' },
  EEXIST: { cause: 'a file stands where a folder is needed', hint: 'remove or rename that file, or set target-path in project.yml elsewhere' },
  EISDIR: { cause: 'the path is a folder', hint: 'remove the folder, or set target-path in project.yml elsewhere' },
  EMFILE: { cause: 'too many files are open', hint: 'raise the open-file limit (ulimit -n), or run with fewer --threads' },
};

/**
 * A failure of the machine, not of the project or of tsdbt (disk full, read-only or forbidden
 * folder): one message naming the path and the cause, exit 2. Other errors pass through unchanged.
 */
export function fileSystemError(error: unknown, path: string, action = 'write'): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  const known = code ? CAUSES[code] : undefined;
  if (!known) return error;
  const shown = relative(process.cwd(), path);
  return new TsdbtError(`cannot ${action} ${shown.startsWith('..') ? path : shown}: ${known.cause} (${code})`, {
    code: 'E_FILE_SYSTEM',
    kind: 'environment',
    hint: known.hint,
    cause: error,
  });
}

/** Runs a file operation; its file system errors become environment errors about `path`. */
export function onFile<T>(path: string, operation: () => T, action = 'write'): T {
  try {
    return operation();
  } catch (error) {
    throw fileSystemError(error, path, action);
  }
}
