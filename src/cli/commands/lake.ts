import Table from 'cli-table3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { remoteLakeOf, resolveTarget } from '../../adapters/registry.js';
import { loadProfileOutput } from '../../config/profiles.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { comparePush, listLocalLake, listRemoteLake, parseGsUri, pushLake, type PushProgress } from '../../lake/lake-sync.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { formatBytes } from '../../text/format-bytes.js';

const ACTIONS = ['ls', 'push'];

/**
 * `tsdbt lake ls [dir]` and `tsdbt lake push [dir] [--dry-run]`: the local lake (default: the
 * project's lake/ folder) against the `lake: gs://bucket/prefix` of a BigQuery target.
 */
export async function lakeCommand(flags: Flags, context: CommandContext): Promise<number> {
  const [action, dirArg] = flags.args;
  if (!action || !ACTIONS.includes(action)) {
    throw new TsdbtError(`tsdbt lake ${action ?? ''} is not an action`.replace(/ +/g, ' ').trim(), {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'use tsdbt lake ls [dir] or tsdbt lake push [dir] [--dry-run] (with --target of a bigquery output)',
    });
  }
  const config = loadProjectConfig(flags.projectDir ?? process.cwd());
  const output = loadProfileOutput({ projectDir: config.projectDir, profileName: config.profile, profilesDir: flags.profilesDir, target: flags.target });
  const target = await resolveTarget(output, config.projectDir);
  const lake = await remoteLakeOf(target);
  const location = parseGsUri(lake.uri);
  const localRoot = resolve(config.projectDir, dirArg ?? 'lake');
  const hasLocal = existsSync(localRoot) && statSync(localRoot).isDirectory();
  if (action === 'push' && !hasLocal) {
    throw new TsdbtError(`local lake folder ${localRoot} not found`, {
      code: 'E_LAKE',
      kind: 'usage',
      hint: 'pass the folder to push: tsdbt lake push path/to/lake --target prod',
    });
  }
  const storage = await lake.createStorage();
  const { reporter } = context;

  try {
    if (action === 'ls') {
      const remote = await listRemoteLake(storage, location);
      const local = hasLocal ? listLocalLake(localRoot) : [];
      const statuses = new Map((await comparePush(local, remote)).map((e) => [e.file.path, e.status]));
      const table = new Table({ head: ['path', 'size', 'updated', hasLocal ? 'local' : ''], style: { head: [], border: [], compact: true } });
      for (const object of remote) {
        const status = statuses.get(object.path);
        table.push([
          object.path,
          formatBytes(object.size),
          object.updated ?? '',
          hasLocal ? (status === undefined ? 'remote only' : status === 'unchanged' ? 'same' : 'changed') : '',
        ]);
      }
      const remotePaths = new Set(remote.map((r) => r.path));
      for (const file of local.filter((f) => !remotePaths.has(f.path))) table.push([file.path, formatBytes(file.size), '', 'not pushed']);
      if (table.length > 0) reporter.onOutput(table.toString(), remote);
      const total = remote.reduce((n, r) => n + r.size, 0);
      const notPushed = local.filter((f) => statuses.get(f.path) !== 'unchanged').length;
      reporter.onInfo(
        `${remote.length} object${remote.length === 1 ? '' : 's'}, ${formatBytes(total)} in ${lake.uri}${hasLocal ? `; ${notPushed} local file${notPushed === 1 ? '' : 's'} new or changed (tsdbt lake push)` : ''}`,
      );
      return 0;
    }

    const interactive = Boolean(process.stderr.isTTY) && !flags.quiet && flags.logFormat === 'text';
    let lastLine = 0;
    const progressLine = (p: PushProgress) => {
      if (!interactive) return;
      const now = Date.now();
      if (now - lastLine < 100 && p.files < p.totalFiles) return;
      lastLine = now;
      const width = 24;
      const done = p.totalBytes === 0 ? 1 : p.bytes / p.totalBytes;
      const bar = '#'.repeat(Math.round(done * width)).padEnd(width, '.');
      process.stderr.write(
        `\r[${bar}] ${p.files}/${p.totalFiles} files ${formatBytes(p.bytes)}/${formatBytes(p.totalBytes)}${p.current ? ` ${p.current}` : ''}`
          .padEnd(100)
          .slice(0, 120),
      );
    };
    const summary = await pushLake({
      storage,
      location,
      localRoot,
      dryRun: flags.dryRun,
      onProgress: progressLine,
      onFile: (entry) => {
        if (interactive && !flags.dryRun) process.stderr.write(`${'\r'.padEnd(121)}\r`);
        reporter.onInfo(`${flags.dryRun ? 'would upload' : 'uploaded'} ${entry.status.padEnd(7)} ${entry.file.path} (${formatBytes(entry.file.size)})`);
      },
    });
    if (interactive && !flags.dryRun && summary.uploaded.length > 0) process.stderr.write(`${'\r'.padEnd(121)}\r`);
    const pending = summary.entries.filter((e) => e.status !== 'unchanged');
    const extra =
      summary.remoteOnly.length > 0
        ? `; ${summary.remoteOnly.length} object${summary.remoteOnly.length === 1 ? '' : 's'} on GCS with no local file (kept)`
        : '';
    if (flags.dryRun) {
      reporter.onInfo(
        `dry run: ${pending.length} file${pending.length === 1 ? '' : 's'} (${formatBytes(pending.reduce((n, e) => n + e.file.size, 0))}) would be uploaded to ${lake.uri}, ${summary.unchanged} unchanged${extra}`,
      );
    } else if (summary.uploaded.length === 0) {
      reporter.onInfo(`nothing to push: ${summary.unchanged} file${summary.unchanged === 1 ? '' : 's'} already in ${lake.uri} (same checksums)${extra}`);
    } else {
      reporter.onInfo(
        `pushed ${summary.uploaded.length} file${summary.uploaded.length === 1 ? '' : 's'} (${formatBytes(summary.bytes)}) to ${lake.uri} in ${summary.seconds.toFixed(2)}s, ${summary.unchanged} unchanged${extra}`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof TsdbtError) throw error;
    const e = error as { code?: number; message?: string };
    throw new TsdbtError(`GCS: ${e.message ?? String(error)}`, {
      code: 'E_LAKE',
      kind: 'runtime',
      location: target.locate('lake'),
      hint:
        e.code === 404
          ? `create the bucket ${location.bucket} first (gcloud storage buckets create gs://${location.bucket} --location=${lake.location ?? 'EU'})`
          : 'check the bucket, the credentials (Storage Object Admin on the bucket) and gcs_api_endpoint',
    });
  }
}
