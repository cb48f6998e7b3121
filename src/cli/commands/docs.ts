import { spawn } from 'node:child_process';
import { existsSync, readdirSync, watch } from 'node:fs';
import { join, relative } from 'node:path';
import { generateDocs } from '../../api/docs.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { serveFolder } from '../../docs/serve.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { openFromFlags } from '../invocation.js';

const ACTIONS = ['generate', 'serve'];

/** `tsdbt docs generate [--no-catalog]` and `tsdbt docs serve [--host] [--port] [--open] [--watch]`. */
export async function docsCommand(flags: Flags, context: CommandContext): Promise<number> {
  const [action] = flags.args;
  if (!action || !ACTIONS.includes(action) || flags.args.length > 1) {
    throw new TsdbtError(`tsdbt docs ${flags.args.join(' ')} is not an action`.replace(/ +/g, ' ').trim(), {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'use tsdbt docs generate [--no-catalog] or tsdbt docs serve [--port 8080]',
    });
  }
  if (action === 'generate') return generate(flags, context);
  return serve(flags, context);
}

async function generate(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const opened = await openFromFlags(flags);
  opened.project.warnings.forEach((w) => reporter.onWarning(w));
  const outcome = await generateDocs(opened, { catalog: flags.catalog });
  outcome.warnings.forEach((w) => reporter.onWarning(w));
  if (outcome.catalogPath) {
    const missing = outcome.missing.length;
    reporter.onInfo(
      `Catalog: ${outcome.catalogued} relation${outcome.catalogued === 1 ? '' : 's'} in ${outcome.catalogPath}${missing ? ` (${missing} not built yet: ${outcome.missing.slice(0, 5).join(', ')}${missing > 5 ? ', …' : ''})` : ''}`,
    );
  } else reporter.onInfo('Catalog: skipped (--no-catalog): column types come from YAML data_type only');
  const gaps = outcome.lineageGaps;
  reporter.onInfo(
    `Column lineage: ${outcome.lineagePath}${gaps.length ? `, ${gaps.length} model${gaps.length === 1 ? '' : 's'} not fully traced:` : ', every model traced'}`,
  );
  for (const gap of gaps) reporter.onInfo(`  ${gap.id} (${gap.status})${gap.reason ? `: ${gap.reason}` : ''}`);
  for (const note of outcome.notes) reporter.onInfo(note);
  reporter.onInfo(
    `Site: ${outcome.siteDir}/index.html (${outcome.site.files} files, ${(outcome.site.bytes / 1024).toFixed(0)} KiB); open it, or run tsdbt docs serve`,
  );
  return 0;
}

async function serve(flags: Flags, context: CommandContext): Promise<number> {
  const { reporter, signal } = context;
  const config = loadProjectConfig(flags.projectDir ?? process.cwd());
  const siteDir = join(config.targetPath, 'docs');
  if (flags.watch) await generate(flags, context);
  else if (!existsSync(join(siteDir, 'index.html'))) {
    throw new TsdbtError(`no documentation site in ${siteDir} yet`, {
      code: 'E_DOCS',
      kind: 'usage',
      hint: 'run tsdbt docs generate first (or tsdbt docs serve --watch, which generates it)',
    });
  }
  const server = await serveFolder(siteDir, { host: flags.host, port: flags.port }).catch((error: NodeJS.ErrnoException) => {
    throw new TsdbtError(`cannot listen on ${flags.host}:${flags.port}: ${error.code ?? error.message}`, {
      code: 'E_DOCS',
      kind: 'environment',
      hint: error.code === 'EADDRINUSE' ? 'free a port or pass --port 0 for any free one' : 'check --host (an address of this machine, e.g. 127.0.0.1)',
    });
  });
  const watcher = flags.watch ? watchProject(config.projectDir, config.targetPath, () => generate(flags, context), reporter) : undefined;
  reporter.onInfo(`Serving ${relative(config.projectDir, siteDir)} at ${server.url} (Ctrl-C to stop)${watcher ? ', regenerating on changes' : ''}`);
  if (flags.open) openInBrowser(server.url);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  watcher?.close();
  await server.close();
  return 0;
}

/**
 * Regenerates after a burst of changes under the project (target/, node_modules/ and dot folders
 * excluded). Every folder is watched on its own: the watches are in place when this returns
 * (Node's recursive watch on Linux sets itself up asynchronously and misses early changes).
 */
function watchProject(projectDir: string, targetPath: string, regenerate: () => Promise<number>, reporter: CommandContext['reporter']) {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const onChange = (folder: string, file: string | null) => {
    const changed = relative(projectDir, join(folder, String(file ?? '')));
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        reporter.onInfo(`${changed} changed: regenerating`);
        await regenerate().catch((error: Error) => reporter.onWarning(`docs not regenerated: ${error.message}`));
      });
    }, 200);
  };
  const watchers = projectFolders(projectDir, targetPath).map((folder) => watch(folder, (_event, file) => onChange(folder, file)));
  return { close: () => watchers.forEach((w) => w.close()) };
}

function projectFolders(projectDir: string, targetPath: string): string[] {
  const folders = [projectDir];
  for (let i = 0; i < folders.length; i++) {
    for (const entry of readdirSync(folders[i]!, { withFileTypes: true })) {
      const path = join(folders[i]!, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules' && path !== targetPath) folders.push(path);
    }
  }
  return folders;
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  spawn(command, args, { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref();
}
