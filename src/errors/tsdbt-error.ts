/** Where in a user's file something went wrong (1-based line and column). */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/**
 * Error kinds decide the exit code: problems found before anything runs are the user's
 * project or command line (exit 2); problems while running are failures (exit 1); the machine
 * refusing tsdbt's own files (disk full, read-only folder) is `environment` (exit 2).
 */
export type ErrorKind = 'usage' | 'config' | 'project' | 'runtime' | 'environment' | 'interrupted';

export interface TsdbtErrorOptions {
  code: string;
  kind: ErrorKind;
  location?: SourceLocation;
  nodeId?: string;
  hint?: string;
  /** Source text excerpt shown under the message. */
  frame?: string;
  cause?: unknown;
}

/** A known, user-actionable error: printed as message + location + hint, never as a stack. */
export class TsdbtError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly location?: SourceLocation;
  readonly nodeId?: string;
  readonly hint?: string;
  readonly frame?: string;

  constructor(message: string, options: TsdbtErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TsdbtError';
    this.code = options.code;
    this.kind = options.kind;
    this.location = options.location;
    this.nodeId = options.nodeId;
    this.hint = options.hint;
    this.frame = options.frame;
  }

  get exitCode(): number {
    if (this.kind === 'runtime') return 1;
    if (this.kind === 'interrupted') return 130;
    return 2;
  }
}

/** Several errors found in one pass (loading and compiling report everything at once). */
export class DiagnosticsError extends Error {
  readonly errors: TsdbtError[];
  constructor(errors: TsdbtError[]) {
    super(`${errors.length} error${errors.length === 1 ? '' : 's'} found`);
    this.name = 'DiagnosticsError';
    this.errors = errors;
  }
  get exitCode(): number {
    return Math.max(...this.errors.map((e) => e.exitCode));
  }
}

export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}

/** Collects errors during a phase so the user sees all of them at once. */
export class Diagnostics {
  readonly errors: TsdbtError[] = [];
  private readonly seen = new Set<string>();
  /** Adds an error; the same message at the same place (a project.yml key shared by many models) once. */
  add(error: TsdbtError): void {
    const key = `${error.code}\u0000${formatLocation(error.location)}\u0000${error.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push(error);
  }
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new DiagnosticsError(this.errors);
  }
}
