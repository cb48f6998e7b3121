import { readFileSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { type ErrorKind, TsdbtError } from '../errors/tsdbt-error.js';
import { currentJournal } from './input-journal.js';

/**
 * A project file's text. Models, macros, YAML, seeds and tests are UTF-8: a file that is not
 * (a Latin-1 `é`) is an error at its first bad byte, instead of U+FFFD silently stored in tables.
 */
export function readTextFile(absolutePath: string, displayPath: string, kind: ErrorKind = 'project'): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolutePath);
  } catch (cause) {
    currentJournal()?.noteFile(absolutePath, null);
    throw new TsdbtError(`cannot read ${displayPath}: ${(cause as Error).message}`, { code: 'E_READ_FILE', kind, location: { file: displayPath }, cause });
  }
  currentJournal()?.noteFile(absolutePath, bytes);
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const offset = firstInvalidByte(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
  const line = countNewlines(bytes, offset) + 1;
  const column = [...bytes.subarray(lineStart, offset).toString('utf8')].length + 1;
  const value = bytes[offset] ?? 0;
  // The usual culprit is a file saved as Latin-1 (Windows-1252): show the character it meant there.
  const latin1 = value >= 0xa0 ? ` (Latin-1 "${String.fromCharCode(value)}")` : '';
  throw new TsdbtError(`not valid UTF-8: byte 0x${value.toString(16).toUpperCase().padStart(2, '0')}${latin1} at line ${line}, column ${column}`, {
    code: 'E_ENCODING',
    kind,
    location: { file: displayPath, line, column },
    hint: `save the file as UTF-8 (from Latin-1: iconv -f latin1 -t utf-8 ${displayPath} -o fixed && mv fixed ${displayPath})`,
  });
}

function countNewlines(bytes: Buffer, end: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < end; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const sequence = bytes.subarray(i, i + length);
    if (length > 1 && !isUtf8(sequence)) return i;
    i += length;
  }
  return i;
}
