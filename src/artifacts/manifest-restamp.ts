import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { InvocationInfo } from '../execute/types.js';
import { MANIFEST_SCHEMA, metadata } from './schema-versions.js';
import { writeArtifactStream } from './write-file.js';

/** How writeManifest starts the file: the metadata object comes first. */
export const MANIFEST_HEAD = '{"metadata":';

/**
 * The manifest of an earlier invocation on the same inputs, with this invocation's metadata:
 * every other byte is what a full write would produce. Returns the new metadata's length, or
 * undefined (nothing written) when the file is not laid out as writeManifest left it.
 */
export function restampManifest(path: string, invocation: InvocationInfo, projectName: string, metadataBytes: number): number | undefined {
  const rest = MANIFEST_HEAD.length + metadataBytes;
  const head = Buffer.from(`${MANIFEST_HEAD}${JSON.stringify(metadata(MANIFEST_SCHEMA, invocation, { projectName }))}`);
  const fd = openSync(path, 'r+');
  try {
    const old = Buffer.alloc(rest + 1);
    readSync(fd, old, 0, old.length, 0);
    if (old.subarray(0, MANIFEST_HEAD.length).toString() !== MANIFEST_HEAD || old[rest] !== 0x2c) return undefined;
    // Ids and instants have fixed widths: the new metadata nearly always fits the old one's bytes exactly.
    if (head.length === rest) {
      writeSync(fd, head, 0, head.length, 0);
      return metadataBytes;
    }
  } finally {
    closeSync(fd);
  }
  const previous = readFileSync(path);
  writeArtifactStream(path, (write) => {
    write(head);
    write(previous.subarray(rest));
  });
  return head.length - MANIFEST_HEAD.length;
}
