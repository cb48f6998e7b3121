/**
 * Browser test helpers: a headless Chromium through playwright-core (the system's Debian build,
 * no download), and a static file server on the loopback interface for pages that must also
 * work over HTTP.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { serveFolder } from '../../src/docs/serve.js';

export const CHROMIUM_PATH = process.env.TSDBT_CHROMIUM ?? '/usr/bin/chromium';

/** Whether browser tests can run here; when not, they skip and say so. */
export const hasChromium = existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Paths requested so far (to check what a page loaded). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `root` read-only on 127.0.0.1, on a free port, with the server `tsdbt docs serve` uses. */
export async function serveStatic(root: string): Promise<StaticServer> {
  const requests: string[] = [];
  const server = await serveFolder(root, { host: '127.0.0.1', port: 0, onRequest: (path) => requests.push(path) });
  return { origin: server.url.replace(/\/$/, ''), requests, close: server.close };
}
