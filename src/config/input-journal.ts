import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';

/**
 * Everything a load read from outside the process: each file (by content), each file whose
 * presence was checked, each folder listing and each environment variable. A parse cache is
 * valid exactly when all of it reads the same again, so nothing that changes a compile can be
 * missed by listing input kinds by hand.
 */
export interface InputRecord {
  /** Absolute path → SHA-256 of its bytes; `present` when only its presence was checked; null when it was looked for and absent. */
  files: Record<string, string | null>;
  /** Listing key (folder + extensions) → SHA-256 of the sorted paths found. */
  listings: Record<string, { roots: string[]; extensions: string[]; digest: string }>;
  /** The names of the environment variables read, and one digest of their values (values are not stored: they may be secrets). */
  env: { names: string[]; digest: string };
}

export class InputJournal {
  private readonly files = new Map<string, string | null>();
  private readonly listings = new Map<string, { roots: string[]; extensions: string[]; digest: string }>();
  private readonly envNames = new Set<string>();

  /** Runs `work` with every read of this async context recorded here. */
  run<T>(work: () => T): T {
    return active.run(this, work);
  }

  /** `env`, with every variable read through it recorded. */
  watchEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const names = this.envNames;
    return new Proxy(env, {
      get(target, name, receiver) {
        if (typeof name === 'string') names.add(name);
        return Reflect.get(target, name, receiver);
      },
      has(target, name) {
        if (typeof name === 'string') names.add(name);
        return Reflect.has(target, name);
      },
    });
  }

  noteFile(path: string, bytes: Uint8Array | null): void {
    this.files.set(path, bytes === null ? null : digestOf(bytes));
  }

  /** A file or folder that exists; its content is recorded if it is read. */
  notePresence(path: string): void {
    if (!this.files.has(path)) this.files.set(path, PRESENT);
  }

  noteListing(roots: string[], extensions: string[], paths: readonly string[]): void {
    this.listings.set(listingKey(roots, extensions), { roots, extensions, digest: digestOf(paths.join('\n')) });
  }

  record(env: NodeJS.ProcessEnv): InputRecord {
    const names = [...this.envNames].sort();
    return { files: Object.fromEntries(this.files), listings: Object.fromEntries(this.listings), env: { names, digest: envDigest(names, env) } };
  }
}

const active = new AsyncLocalStorage<InputJournal>();

/** The journal of the load running in this async context, if any. */
export function currentJournal(): InputJournal | undefined {
  return active.getStore();
}

/** existsSync that the journal sees: a file appearing where none was changes the inputs. */
export function fileExists(path: string): boolean {
  const exists = existsSync(path);
  const journal = active.getStore();
  if (exists) journal?.notePresence(path);
  else journal?.noteFile(path, null);
  return exists;
}

export const PRESENT = 'present';

export const listingKey = (roots: readonly string[], extensions: readonly string[]) => `${roots.join('\0')}\u0001${extensions.join('\0')}`;

export function digestOf(content: Uint8Array | string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function envDigest(names: readonly string[], env: NodeJS.ProcessEnv): string {
  return digestOf(JSON.stringify(names.map((name) => [name, env[name] ?? null])));
}
