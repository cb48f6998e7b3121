import type { Storage } from '@google-cloud/storage';
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { crc32c } from './crc32c.js';

/** A file of the local lake, by its path relative to the lake root (always with `/`). */
export interface LocalFile {
  path: string;
  absolute: string;
  size: number;
}

/** An object under the lake prefix on GCS, by its path relative to the prefix. */
export interface RemoteObject {
  path: string;
  size: number;
  md5?: string;
  crc32c?: string;
  generation?: string;
  updated?: string;
}

export type PushStatus = 'new' | 'changed' | 'unchanged';

export interface PushEntry {
  file: LocalFile;
  status: PushStatus;
  remote?: RemoteObject;
}

export interface GcsLocation {
  bucket: string;
  /** Object name prefix without leading or trailing slash ('' for the bucket root). */
  prefix: string;
}

export function parseGsUri(uri: string): GcsLocation {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new TsdbtError(`"${uri}" is not a gs:// location`, { code: 'E_LAKE', kind: 'config', hint: "write lake: 'gs://bucket/prefix'" });
  return { bucket: match[1]!, prefix: match[2]!.replace(/^\/+|\/+$/g, '') };
}

const objectName = (location: GcsLocation, path: string) => (location.prefix ? `${location.prefix}/${path}` : path);

/** Every file under the local lake (dot files and folders skipped), sorted by path. */
export function listLocalLake(root: string): LocalFile[] {
  const out: LocalFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) walk(absolute);
      else if (entry.isFile()) out.push({ path: relative(root, absolute).split(sep).join('/'), absolute, size: statSync(absolute).size });
    }
  };
  walk(root);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** MD5 and CRC32C of a file, base64 as GCS reports them (md5Hash, crc32c). */
export async function fileHashes(path: string): Promise<{ md5: string; crc32c: string }> {
  const md5 = createHash('md5');
  let crc = 0;
  for await (const chunk of createReadStream(path)) {
    md5.update(chunk as Buffer);
    crc = crc32c(chunk as Buffer, crc);
  }
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE(crc >>> 0);
  return { md5: md5.digest('base64'), crc32c: crcBytes.toString('base64') };
}

/** Objects under the lake prefix (all pages). */
export async function listRemoteLake(storage: Storage, location: GcsLocation): Promise<RemoteObject[]> {
  const [files] = await storage.bucket(location.bucket).getFiles({ prefix: location.prefix ? `${location.prefix}/` : undefined, autoPaginate: true });
  const start = location.prefix ? location.prefix.length + 1 : 0;
  return files
    .filter((f) => !f.name.endsWith('/'))
    .map((f) => ({
      path: f.name.slice(start),
      size: Number(f.metadata.size ?? 0),
      md5: f.metadata.md5Hash ?? undefined,
      crc32c: f.metadata.crc32c ?? undefined,
      generation: f.metadata.generation === undefined ? undefined : String(f.metadata.generation),
      updated: f.metadata.updated ?? undefined,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * New, changed or unchanged, by checksum: a size difference is a change; same size, the MD5
 * (or CRC32C for composite objects, which have no MD5) decides.
 */
export async function comparePush(local: LocalFile[], remote: RemoteObject[]): Promise<PushEntry[]> {
  const byPath = new Map(remote.map((r) => [r.path, r]));
  const out: PushEntry[] = [];
  for (const file of local) {
    const existing = byPath.get(file.path);
    if (!existing) out.push({ file, status: 'new' });
    else if (existing.size !== file.size) out.push({ file, status: 'changed', remote: existing });
    else {
      const hashes = await fileHashes(file.absolute);
      const same = existing.md5 ? existing.md5 === hashes.md5 : existing.crc32c === hashes.crc32c;
      out.push({ file, status: same ? 'unchanged' : 'changed', remote: existing });
    }
  }
  return out;
}

export interface PushProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  current?: string;
}

export interface PushOptions {
  storage: Storage;
  location: GcsLocation;
  localRoot: string;
  dryRun: boolean;
  /** Files from this size on are sent with a resumable upload (default 8 MiB). */
  resumableThreshold?: number;
  /** Uploads at once (default 4). */
  concurrency?: number;
  onProgress?: (progress: PushProgress) => void;
  onFile?: (entry: PushEntry) => void;
}

export interface PushSummary {
  entries: PushEntry[];
  uploaded: PushEntry[];
  unchanged: number;
  bytes: number;
  /** Objects under the prefix with no local file (left in place). */
  remoteOnly: RemoteObject[];
  seconds: number;
}

/**
 * Uploads the new and changed files of the local lake, each guarded by a generation
 * precondition (a new file must still be absent, a changed one unchanged since the listing), so a
 * concurrent writer is detected rather than overwritten. Running it twice uploads nothing.
 */
export async function pushLake(options: PushOptions): Promise<PushSummary> {
  const started = Date.now();
  const local = listLocalLake(options.localRoot);
  const remote = await listRemoteLake(options.storage, options.location);
  const entries = await comparePush(local, remote);
  const toUpload = entries.filter((e) => e.status !== 'unchanged');
  const localPaths = new Set(local.map((f) => f.path));
  const summary: PushSummary = {
    entries,
    uploaded: [],
    unchanged: entries.length - toUpload.length,
    bytes: 0,
    remoteOnly: remote.filter((r) => !localPaths.has(r.path)),
    seconds: 0,
  };
  if (options.dryRun || toUpload.length === 0) {
    toUpload.forEach((e) => options.onFile?.(e));
    summary.seconds = (Date.now() - started) / 1000;
    return summary;
  }
  const bucket = options.storage.bucket(options.location.bucket);
  const threshold = options.resumableThreshold ?? 8 * 1024 * 1024;
  const progress: PushProgress = { files: 0, totalFiles: toUpload.length, bytes: 0, totalBytes: toUpload.reduce((n, e) => n + e.file.size, 0) };
  const inFlight = new Map<string, number>();
  const report = (current?: string) => {
    const partial = [...inFlight.values()].reduce((n, b) => n + b, 0);
    options.onProgress?.({ ...progress, bytes: progress.bytes + partial, current });
  };
  const queue = [...toUpload];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const { file } = entry;
      const name = objectName(options.location, file.path);
      inFlight.set(file.path, 0);
      report(file.path);
      try {
        await bucket.upload(file.absolute, {
          destination: name,
          resumable: file.size >= threshold,
          validation: 'crc32c',
          preconditionOpts: { ifGenerationMatch: entry.remote?.generation ?? 0 },
          onUploadProgress: (event: { bytesWritten?: number }) => {
            inFlight.set(file.path, Math.min(Number(event.bytesWritten ?? 0), file.size));
            report(file.path);
          },
        });
      } catch (error) {
        const code = (error as { code?: number }).code;
        throw new TsdbtError(
          code === 412
            ? `gs://${options.location.bucket}/${name} changed on GCS while pushing (precondition failed)`
            : `cannot upload ${file.path} to gs://${options.location.bucket}/${name}: ${(error as Error).message}`,
          {
            code: 'E_LAKE_PUSH',
            kind: 'runtime',
            hint:
              code === 412
                ? 'someone else wrote it: run tsdbt lake push again'
                : 'check the bucket, its permissions (Storage Object Admin) and the network, then push again: finished files are not sent twice',
          },
        );
      } finally {
        inFlight.delete(file.path);
      }
      progress.files++;
      progress.bytes += file.size;
      summary.uploaded.push(entry);
      summary.bytes += file.size;
      options.onFile?.(entry);
      report();
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, toUpload.length) }, worker));
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}
