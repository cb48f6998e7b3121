import { cac } from 'cac';
import { TSDBT_VERSION } from '../version.js';
import { DiagnosticsError, TsdbtError } from '../errors/tsdbt-error.js';
import { didYouMean } from '../errors/suggest.js';
import { colorsWanted, createColors } from '../reporters/colors.js';
import { createConsoleReporter } from '../reporters/console-reporter.js';
import { createJsonReporter } from '../reporters/json-reporter.js';
import { combineReporters, type Reporter } from '../reporters/reporter.js';
import type { CommandHandler } from './command.js';
import type { Flags } from './flags.js';
import { COMMANDS, OPTIONS } from './options.js';
import { INDIRECT_SELECTIONS, type IndirectSelection } from '../project/named-selectors.js';
import { unknownOptionError } from './unknown-option.js';
import { parseInstant, parseRestate } from '../text/instant.js';
import { promotingReporter, warnErrorPolicy } from './warn-error.js';

// Each command's module is imported only when it runs, so `--help` stays instant.
const HANDLERS: Record<string, () => Promise<CommandHandler>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  debug: async () => (await import('./commands/debug.js')).debugCommand,
  parse: async () => (await import('./commands/compile.js')).parseCommand,
  compile: async () => (await import('./commands/compile.js')).compileCommand,
  ls: async () => (await import('./commands/ls.js')).lsCommand,
  seed: async () => (await import('./commands/run.js')).seedCommand,
  snapshot: async () => (await import('./commands/run.js')).snapshotCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  build: async () => (await import('./commands/run.js')).buildCommand,
  test: async () => (await import('./commands/run.js')).testCommand,
  source: async () => (await import('./commands/source.js')).sourceCommand,
  lake: async () => (await import('./commands/lake.js')).lakeCommand,
  import: async () => (await import('./commands/import.js')).importCommand,
  deps: async () => (await import('./commands/deps.js')).depsCommand,
  docs: async () => (await import('./commands/docs.js')).docsCommand,
  clean: async () => (await import('./commands/clean.js')).cleanCommand,
  retry: async () => (await import('./commands/retry.js')).retryCommand,
  'run-operation': async () => (await import('./commands/run-operation.js')).runOperationCommand,
  show: async () => (await import('./commands/show.js')).showCommand,
};

export async function main(argv: string[]): Promise<number> {
  // `tsdbt build | head`: the reader is gone, so is the output; the run itself goes on to its end.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  const cli = cac('tsdbt');
  let chosen: { name: string; args: string[]; raw: Record<string, unknown> } | undefined;
  for (const spec of COMMANDS) {
    const command = cli.command(spec.usage, spec.description);
    for (const name of spec.options) {
      const option = OPTIONS[name] as { flags: string; description: string; default?: unknown };
      command.option(option.flags, option.description, option.default === undefined ? undefined : { default: option.default });
    }
    command.action((...args: unknown[]) => {
      const raw = args.pop() as Record<string, unknown>;
      chosen = { name: spec.name, args: args.filter((a) => a !== undefined).map(String), raw };
    });
  }
  // cac prints "(default: true)" for negated flags, which reads as if colours were off.
  cli.help((sections) =>
    sections.map((section) => ({ ...section, body: section.body.replace(/(--no-(?:color|batch|reuse|partial-parse)\s.*?) \(default: true\)/g, '$1') })),
  );
  cli.version(TSDBT_VERSION);

  let flags: Flags | undefined;
  try {
    cli.parse(joinSelectorWords(argv), { run: false });
    if (cli.options.help || cli.options.version) return 0;
    const matched = cli.matchedCommand;
    if (matched) {
      try {
        await cli.runMatchedCommand();
      } catch (error) {
        throw unknownOptionError(error, argv, matched.name, [...matched.options, ...cli.globalCommand.options]) ?? error;
      }
    }
    if (!chosen) {
      const unknown = cli.args[0];
      if (unknown) {
        const names = COMMANDS.map((c) => c.name);
        throw new TsdbtError(`unknown command "${unknown}"`, {
          code: 'E_USAGE',
          kind: 'usage',
          hint: `${didYouMean(unknown, names) ?? ''} commands: ${names.join(', ')}`.trim(),
        });
      }
      cli.outputHelp();
      return 2;
    }
    flags = normaliseFlags(chosen.raw, chosen.args);
  } catch (error) {
    return reportFatal(error, undefined);
  }

  let promoted = () => 0;
  let reporter = createReporter(flags);
  try {
    const policy = warnErrorPolicy(flags.warnError, flags.warnErrorOptions);
    if (policy) ({ reporter, promoted } = promotingReporter(reporter, policy));
  } catch (error) {
    return reportFatal(error, flags, reporter);
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    reporter.onWarning('interrupt received: cancelling running queries (press Ctrl-C again to force quit)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const handler = await HANDLERS[chosen.name]!();
    const code = await handler(flags, { reporter, signal: controller.signal });
    if (controller.signal.aborted) return 130;
    if (promoted() > 0) {
      reporter.onError(
        new TsdbtError(`${promoted()} warning${promoted() === 1 ? '' : 's'} treated as error${promoted() === 1 ? '' : 's'} (--warn-error)`, {
          code: 'E_WARN_ERROR',
          kind: 'runtime',
          hint: "fix them, or leave some out with --warn-error-options '{include: all, exclude: [TestWarn]}'",
        }),
        false,
      );
      return Math.max(code, 1);
    }
    return code;
  } catch (error) {
    const code = reportFatal(error, flags, reporter);
    return controller.signal.aborted ? 130 : code;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

function createReporter(flags: Flags): Required<Reporter> {
  if (flags.logFormat === 'json') return combineReporters([createJsonReporter()]);
  const colors = createColors(colorsWanted(flags.color, process.stdout, process.env));
  return combineReporters([createConsoleReporter({ colors, quiet: flags.quiet, showAll: flags.showAll })]);
}

function reportFatal(error: unknown, flags: Flags | undefined, reporter?: Required<Reporter>): number {
  const out =
    reporter ?? combineReporters([createConsoleReporter({ colors: createColors(colorsWanted(undefined, process.stderr, process.env)), quiet: false })]);
  const debug = flags?.debug ?? process.argv.includes('--debug');
  if (error instanceof DiagnosticsError) {
    for (const e of error.errors) out.onError(e, debug);
    out.onInfo(`${error.errors.length} errors; nothing was run.`);
    return error.exitCode;
  }
  if (error instanceof TsdbtError) {
    out.onError(error, debug);
    return error.exitCode;
  }
  const message = (error as Error)?.message ?? String(error);
  if (/Unknown option|missing required args|value is missing/i.test(message)) {
    out.onError(new TsdbtError(message, { code: 'E_USAGE', kind: 'usage', hint: 'see tsdbt <command> --help' }), false);
    return 2;
  }
  out.onError(
    new TsdbtError(`internal error: ${message}`, {
      code: 'E_INTERNAL',
      kind: 'runtime',
      hint: debug ? undefined : 'this is a tsdbt bug: rerun with --debug and report the stack trace',
    }),
    false,
  );
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** --event-time-start / --event-time-end: a date or an ISO timestamp. */
function timeFlag(value: unknown, name: string): string | undefined {
  const text = single(value, name);
  if (text !== undefined && !parseInstant(text)) {
    throw new TsdbtError(`--${name} must be a date or a timestamp, got "${text}"`, {
      code: 'E_USAGE',
      kind: 'usage',
      hint: `e.g. --${name} 2024-03-31 or --${name} 2024-03-31T12:00:00Z`,
    });
  }
  return text;
}

/** --restate FROM..TO: two dates or timestamps (or one). */
function restateFlag(value: unknown): string | undefined {
  const text = single(value, 'restate');
  if (text !== undefined && !parseRestate(text)) {
    throw new TsdbtError(`--restate must be FROM..TO (dates or timestamps), got "${text}"`, {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'e.g. --restate 2024-01-01..2024-01-31 (both days included), or --restate 2024-01-04 for one day',
    });
  }
  return text;
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new TsdbtError(`--${name} was given more than once`, { code: 'E_USAGE', kind: 'usage', hint: `pass --${name} once` });
  return String(value);
}

function normaliseFlags(raw: Record<string, unknown>, args: string[]): Flags {
  const logFormat = single(raw.logFormat, 'log-format') ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') {
    throw new TsdbtError(`--log-format must be text or json, got "${logFormat}"`, { code: 'E_USAGE', kind: 'usage', hint: 'use --log-format json' });
  }
  const threads = raw.threads === undefined ? undefined : Number(raw.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) {
    throw new TsdbtError(`--threads must be a positive integer, got "${String(raw.threads)}"`, { code: 'E_USAGE', kind: 'usage', hint: 'use --threads 4' });
  }
  const limit = Number(raw.limit ?? 10);
  if (!Number.isInteger(limit) || limit < 0) {
    throw new TsdbtError(`--limit must be a non-negative integer, got "${String(raw.limit)}"`, { code: 'E_USAGE', kind: 'usage', hint: 'use --limit 20' });
  }
  const indirect = single(raw.indirectSelection, 'indirect-selection');
  if (indirect !== undefined && !(INDIRECT_SELECTIONS as readonly string[]).includes(indirect)) {
    throw new TsdbtError(`--indirect-selection must be ${INDIRECT_SELECTIONS.join(', ')}, got "${indirect}"`, {
      code: 'E_USAGE',
      kind: 'usage',
      hint: 'use --indirect-selection cautious',
    });
  }
  const port = Number(single(raw.port, 'port') ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TsdbtError(`--port must be a port number (0-65535), got "${String(raw.port)}"`, { code: 'E_USAGE', kind: 'usage', hint: 'use --port 8080' });
  }
  return {
    projectDir: single(raw.projectDir, 'project-dir'),
    profilesDir: single(raw.profilesDir, 'profiles-dir'),
    target: single(raw.target, 'target'),
    vars: single(raw.vars, 'vars'),
    threads,
    select: list(raw.select),
    exclude: list(raw.exclude),
    selector: single(raw.selector, 'selector'),
    warnError: Boolean(raw.warnError),
    warnErrorOptions: single(raw.warnErrorOptions, 'warn-error-options'),
    operationArgs: single(raw.args, 'args'),
    indirectSelection: indirect as IndirectSelection | undefined,
    fullRefresh: Boolean(raw.fullRefresh),
    reuse: raw.reuse !== false,
    partialParse: raw.partialParse !== false,
    eventTimeStart: timeFlag(raw.eventTimeStart, 'event-time-start'),
    eventTimeEnd: timeFlag(raw.eventTimeEnd, 'event-time-end'),
    restate: restateFlag(raw.restate),
    failFast: Boolean(raw.failFast),
    logFormat,
    color: raw.color === false ? false : undefined,
    quiet: Boolean(raw.quiet),
    debug: Boolean(raw.debug),
    resourceType: single(raw.resourceType, 'resource-type'),
    output: single(raw.output, 'output'),
    limit,
    inline: single(raw.inline, 'inline'),
    batch: raw.batch !== false,
    showAll: Boolean(raw.showAll),
    junit: single(raw.junit, 'junit'),
    state: single(raw.state, 'state'),
    defer: Boolean(raw.defer),
    favorState: Boolean(raw.favorState),
    dryRun: Boolean(raw.dryRun),
    empty: Boolean(raw.empty),
    out: single(raw.out, 'out'),
    catalog: raw.catalog !== false,
    host: single(raw.host, 'host') ?? '127.0.0.1',
    port,
    open: Boolean(raw.open),
    watch: Boolean(raw.watch),
    args,
  };
}

const SELECTOR_FLAGS = new Set(['--select', '-s', '--exclude']);

/**
 * dbt accepts `--select a b` as well as `--select "a b"`: words after a selector flag, up to the
 * next flag, form one space-separated selection (cac alone would take `b` as a positional arg).
 */
export function joinSelectorWords(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    out.push(word);
    if (!SELECTOR_FLAGS.has(word)) continue;
    const words: string[] = [];
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) words.push(argv[++i]!);
    if (words.length > 0) out.push(words.join(' '));
  }
  return out;
}
