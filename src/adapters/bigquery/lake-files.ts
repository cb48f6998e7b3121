import type { Storage } from '@google-cloud/storage';
import type { SourceTable } from '../../project/types.js';
import type { LakeFile } from '../adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { gcsUris } from './external.js';

/**
 * The objects an external table's URI matches (its one `*` matches any characters, `/`
 * included, as BigQuery reads it), named as _FILE_NAME reports them (gs://bucket/name). The
 * checksum is the object's MD5 (CRC32C for composite objects): listing reads no content.
 */
export async function listLakeFiles(storage: Storage, source: SourceTable, lakeRoot: string): Promise<LakeFile[]> {
  const uri = gcsUris(source, lakeRoot)[0]!;
  const [, bucket = '', pattern = ''] = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri) ?? [];
  const star = pattern.indexOf('*');
  const prefix = star < 0 ? pattern : pattern.slice(0, star);
  const literal = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const matches = new RegExp(`^${pattern.split('*').map(literal).join('.*')}$`);
  const [objects] = await storage
    .bucket(bucket)
    .getFiles({ prefix: prefix || undefined, autoPaginate: true })
    .catch((error: { code?: number; message?: string }) => {
      throw new TsdbtError(`cannot list the lake files of source ${source.sourceName}.${source.name} (${uri}): ${error.message ?? error}`, {
        code: error.code === 404 ? 'E_LAKE_MISSING' : 'E_LAKE_LIST',
        kind: 'runtime',
        nodeId: source.uniqueId,
        location: source.location,
        hint:
          error.code === 404
            ? `the bucket ${bucket} does not exist: create it and upload the lake (tsdbt lake push)`
            : 'check the credentials can list the bucket (storage.objects.list)',
      });
    });
  return objects
    .filter((object) => !object.name.endsWith('/') && matches.test(object.name))
    .map((object) => {
      const { size, updated, md5Hash, crc32c, generation } = object.metadata;
      const checksum = String(md5Hash ?? crc32c ?? generation ?? '');
      return {
        path: `gs://${bucket}/${object.name}`,
        size: Number(size ?? 0),
        modifiedMs: updated ? Date.parse(String(updated)) : 0,
        checksum: async () => checksum,
      };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
