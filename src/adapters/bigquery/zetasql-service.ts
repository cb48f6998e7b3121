import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * ZetaSQL's local service (GoogleSQL's reference analyzer and evaluator), from the optional
 * package @fivetrandevelopers/zetasql: a gRPC server binary started on a free loopback port, one
 * per process (the package's client is a singleton), shared by whoever asks for it.
 */
export type ZetaSqlModule = typeof import('@fivetrandevelopers/zetasql');

export interface ZetaSqlService {
  zetasql: ZetaSqlModule;
  client: ReturnType<ZetaSqlModule['ZetaSQLClient']['getInstance']>;
  /** Language options with every GoogleSQL feature BigQuery has, serialized for requests. */
  languageOptions: ReturnType<InstanceType<ZetaSqlModule['LanguageOptions']>['serialize']>;
  /** Gives this user's hold back; the server stops when the last one does. */
  release(): void;
}

/** The installed package, or undefined (it is optional: 340 MB of server binaries). */
export function zetasqlPackage(): ZetaSqlModule | undefined {
  try {
    // CommonJS: required, so its singletons are shared with every other user in the process.
    return createRequire(import.meta.url)('@fivetrandevelopers/zetasql') as ZetaSqlModule;
  } catch {
    return undefined;
  }
}

/** Why the service cannot run here (package missing, no binary for the platform), or undefined. */
export function zetasqlUnavailable(): string | undefined {
  // Resolved, not loaded: loading it pulls gRPC in, which a command that never starts the server does not need.
  try {
    createRequire(import.meta.url).resolve('@fivetrandevelopers/zetasql');
  } catch {
    return 'the optional package @fivetrandevelopers/zetasql is not installed (npm install -D @fivetrandevelopers/zetasql, about 340 MB)';
  }
  if (process.platform !== 'linux' && process.platform !== 'darwin') return `@fivetrandevelopers/zetasql ships no server binary for ${process.platform}`;
  return undefined;
}

let running: Promise<Omit<ZetaSqlService, 'release'> & { child: ChildProcess }> | undefined;
let holders = 0;

export async function startZetaSqlService(): Promise<ZetaSqlService> {
  const problem = zetasqlUnavailable();
  if (problem) throw new Error(problem);
  holders++;
  running ??= launch();
  const service = await running.catch((error: Error) => {
    holders--;
    running = undefined;
    throw error;
  });
  let released = false;
  return {
    zetasql: service.zetasql,
    client: service.client,
    languageOptions: service.languageOptions,
    release() {
      if (released) return;
      released = true;
      if (--holders === 0) {
        service.child.kill('SIGKILL');
        running = undefined;
      }
    },
  };
}

async function launch() {
  const zetasql = zetasqlPackage()!;
  const lib = dirname(createRequire(import.meta.url).resolve('@fivetrandevelopers/zetasql'));
  const arch = process.arch.startsWith('arm') ? '_arm' : '';
  const binary = join(lib, 'zetasql', `remote_server${arch}${process.platform === 'darwin' ? '' : '.so'}`);
  const port = await freePort();
  // It listens on localhost only; its output is not needed.
  const child = spawn(binary, ['localhost', String(port)], { stdio: 'ignore' });
  // Never outlive this process, even when it ends without releasing.
  process.once('exit', () => child.kill('SIGKILL'));
  zetasql.ZetaSQLClient.init(port);
  const client = zetasql.ZetaSQLClient.getInstance();
  if (!(await client.testConnection())) {
    child.kill('SIGKILL');
    throw new Error('the ZetaSQL server did not start');
  }
  const language = await new zetasql.LanguageOptions().enableMaximumLanguageFeatures();
  // BigQuery has INTERVAL arithmetic (date/datetime/timestamp + INTERVAL n unit).
  language.enableLanguageFeature('FEATURE_INTERVAL_TYPE');
  // BigQuery: ALTER VIEW … ALTER COLUMN … SET OPTIONS (column descriptions of views).
  language.enableLanguageFeature('FEATURE_ALTER_VIEWS_ALTER_COLUMN_SET_OPTIONS');
  return { zetasql, client, languageOptions: language.serialize(), child };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
