import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { LakeFile } from '../adapter.js';

/** A local lake file: size and modification time now, its SHA-256 when asked (reading it). */
export async function localLakeFile(path: string): Promise<LakeFile> {
  const info = await stat(path);
  return {
    path,
    size: info.size,
    modifiedMs: Math.trunc(info.mtimeMs),
    checksum: () =>
      new Promise((resolve, reject) => {
        const hash = createHash('sha256');
        createReadStream(path)
          .on('data', (chunk) => hash.update(chunk))
          .on('error', reject)
          .on('end', () => resolve(hash.digest('hex')));
      }),
  };
}
