import Table from 'cli-table3';
import type { NodeResult, NodeStatus } from '../execute/types.js';
import { formatLocation, type TsdbtError } from '../errors/tsdbt-error.js';
import { formatBytes } from '../text/format-bytes.js';
import { countOf } from '../text/plural.js';
import { whereText } from './where.js';
import { type Colors, colorsWanted, createColors } from './colors.js';
import type { RunEndEvent, RunStartEvent } from '../execute/events.js';
import type { Reporter } from './reporter.js';

export interface ConsoleReporterOptions {
  /** Default: colours when stdout is a terminal and NO_COLOR is unset. */
  colors?: Colors;
  quiet?: boolean;
  /** --show-all: the summary lists every test, passing ones too (default: only those that did not pass). */
  showAll?: boolean;
  /** A live progress line under the node lines (default: when stdout is a terminal). */
  progress?: boolean;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

const LABEL: Record<NodeStatus, string> = {
  success: 'OK',
  error: 'ERROR',
  skipped: 'SKIP',
  warn: 'WARN',
  pass: 'PASS',
  fail: 'FAIL',
  reused: 'REUSE',
  'partial success': 'PARTIAL',
};

/** Human output: one line per finished node, then a summary table and the errors in full. */
export function createConsoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const c = options.colors ?? createColors(colorsWanted(undefined, process.stdout, process.env));
  const quiet = options.quiet ?? false;
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const progress = createProgressLine(out, options.progress ?? (!quiet && (out as { isTTY?: boolean }).isTTY === true), c);
  const say = (text: string) => {
    if (!quiet) progress.above(`${text}\n`);
  };
  const tint = (status: NodeStatus, text: string) =>
    status === 'success' || status === 'pass' || status === 'reused'
      ? c.green(text)
      : status === 'skipped'
        ? c.yellow(text)
        : status === 'warn'
          ? c.yellow(text)
          : c.red(text);
  let width = 1;

  return {
    onInfo: say,
    onWarning: (message) => {
      progress.clear();
      err.write(`${c.yellow(`warning: ${message}`)}\n`);
    },
    onOutput: (text) => out.write(text.endsWith('\n') ? text : `${text}\n`),
    onRunStart(event: RunStartEvent) {
      width = String(event.total).length;
      progress.start(event.total);
      say(
        `${c.bold(`tsdbt ${event.command}`)}: ${event.total} node${event.total === 1 ? '' : 's'} on target ${c.cyan(event.target)} (${event.adapter}, ${event.threads} thread${event.threads === 1 ? '' : 's'})`,
      );
    },
    onNodeStart(node) {
      progress.started(node.uniqueId, node.name);
    },
    onNodeFinish(result: NodeResult, index: number, total: number) {
      progress.finished(result.uniqueId);
      const position = `${String(index).padStart(width)}/${total}`;
      const isTest = result.resourceType === 'test' || result.resourceType === 'unit_test';
      const kind = (result.materialized ?? result.resourceType.replace('_', ' ')).padEnd(11);
      const name = fitName(result.relationName ?? result.name, NAME_WIDTH).padEnd(NAME_WIDTH, ' ');
      const rows =
        result.bytesProcessed !== undefined
          ? `${formatBytes(result.bytesProcessed)} est.`
          : result.rowsAffected !== undefined
            ? countOf(result.rowsAffected, 'row')
            : '';
      const detail =
        result.status === 'skipped' || result.status === 'error' || (isTest && result.status !== 'pass') || result.resourceType === 'source'
          ? result.message.split('\n')[0]!
          : (result.detail ?? rows);
      say(
        `${c.dim(position)}  ${tint(result.status, LABEL[result.status].padEnd(5))} ${kind} ${name} ${detail.padEnd(16)} ${c.dim(`${result.executionTime.toFixed(2)}s`)}`,
      );
      if (result.warnings?.length) progress.clear();
      for (const warning of result.warnings ?? []) err.write(`${c.yellow(`warning: ${result.name}: ${warning}`)}\n`);
    },
    onRunEnd(event: RunEndEvent) {
      progress.stop();
      if (quiet && event.results.every((r) => r.status !== 'error' && r.status !== 'fail' && r.status !== 'partial success')) return;
      const counts = new Map<NodeStatus, number>();
      for (const result of event.results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
      const table = new Table({ head: ['status', 'nodes'], style: { head: [], border: [], compact: true } });
      for (const status of ['success', 'pass', 'reused', 'warn', 'partial success', 'error', 'fail', 'skipped'] as NodeStatus[]) {
        if (counts.has(status)) table.push([tint(status, LABEL[status]), String(counts.get(status))]);
      }
      table.push([c.bold('total'), `${event.results.length} in ${event.elapsed.toFixed(2)}s`]);
      out.write(`\n${table.toString()}\n`);
      const tests = event.results.filter((r) => r.resourceType === 'test' || r.resourceType === 'unit_test');
      if (tests.length > 0 && !quiet) {
        // Passing (and reused) tests are counted above; the table shows what needs a look.
        const listed = options.showAll ? tests : tests.filter((r) => r.status !== 'pass' && r.status !== 'reused');
        const testTable = new Table({ head: ['test', 'on', 'status', 'failures', 'seconds'], style: { head: [], border: [], compact: true } });
        for (const r of listed) {
          const on = r.attachedNode ? `${r.attachedNode.split('.').slice(2).join('.')}${r.columnName ? `.${r.columnName}` : ''}` : '';
          testTable.push([
            r.name,
            on,
            tint(r.status, LABEL[r.status]),
            r.failures === undefined || r.failures === null ? '' : String(r.failures),
            r.executionTime.toFixed(2),
          ]);
        }
        if (listed.length > 0) out.write(`${testTable.toString()}\n`);
        const hidden = tests.length - listed.length;
        if (hidden > 0) out.write(c.dim(`${countOf(hidden, 'passing test')} not listed (--show-all lists them)\n`));
        const dataTests = tests.filter((r) => r.resourceType === 'test' && r.status !== 'skipped').length;
        if (event.testQueries !== undefined && dataTests > 0)
          out.write(c.dim(`${dataTests} data tests evaluated with ${event.testQueries} quer${event.testQueries === 1 ? 'y' : 'ies'}\n`));
      } else if (!quiet && !event.results.some((r) => r.bytesProcessed !== undefined)) {
        const slowest = [...event.results]
          .filter((r) => r.status !== 'skipped')
          .sort((a, b) => b.executionTime - a.executionTime)
          .slice(0, 5);
        const slow = new Table({ head: ['slowest', 'materialization', 'status', 'rows', 'seconds'], style: { head: [], border: [], compact: true } });
        for (const r of slowest)
          slow.push([
            r.relationName ?? r.name,
            r.materialized ?? r.resourceType,
            tint(r.status, LABEL[r.status]),
            r.rowsAffected?.toLocaleString('en-US') ?? '',
            r.executionTime.toFixed(2),
          ]);
        if (slowest.length > 1) out.write(`${slow.toString()}\n`);
      }
      if (!quiet && event.results.some((r) => r.bytesProcessed !== undefined)) {
        // --dry-run: what each model would read, and the total.
        const priced = event.results.filter((r) => r.bytesProcessed !== undefined);
        const dry = new Table({ head: ['dry run', 'materialization', 'estimated bytes'], style: { head: [], border: [], compact: true } });
        for (const r of priced) dry.push([r.relationName ?? r.name, r.materialized ?? r.resourceType, formatBytes(r.bytesProcessed!)]);
        const total = priced.reduce((n, r) => n + r.bytesProcessed!, 0);
        dry.push([c.bold('total'), `${priced.length} model${priced.length === 1 ? '' : 's'}`, c.bold(formatBytes(total))]);
        out.write(`${dry.toString()}\n`);
      }
      const noteworthy = event.results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'warn' || r.status === 'partial success');
      for (const result of noteworthy) {
        const stream = result.status === 'warn' ? out : err;
        if (result.status === 'warn' && quiet) continue;
        const where = whereText(result);
        stream.write(
          `\n${tint(result.status, `${LABEL[result.status]} in ${result.resourceType.replace('_', ' ')} ${result.name}`)}${where ? ` (${where})` : ''}\n  ${result.message.split('\n').join('\n  ')}\n`,
        );
        // The template lines an engine error points at, as for compile errors.
        if (result.frame) stream.write(`${indent(result.frame)}\n`);
        if (result.sampleRows && result.sampleRows.length > 0) stream.write(`${indent(sampleTable(result.sampleRows))}\n`);
        if (result.storedFailures) stream.write(c.dim(`  failing rows stored in ${result.storedFailures}\n`));
        if (result.status !== 'warn' && result.compiledPath && result.resourceType === 'test' && !result.compiledLocation)
          stream.write(c.dim(`  SQL: ${result.compiledPath}\n`));
        if (result.hint) stream.write(c.dim(`  hint: ${result.hint}\n`));
      }
      if (event.interrupted) err.write(c.yellow('\nInterrupted: in-flight queries were cancelled and rolled back.\n'));
    },
    onError(error: TsdbtError, debug: boolean) {
      const where = formatLocation(error.location);
      err.write(`${c.red('error')}${where ? ` ${c.bold(where)}` : ''}${error.nodeId ? c.dim(` [${error.nodeId}]`) : ''}: ${error.message}\n`);
      if (error.frame) err.write(`${error.frame}\n`);
      if (error.hint) err.write(c.dim(`  hint: ${error.hint}\n`));
      if (debug && error.stack) err.write(`${c.dim(error.stack)}\n`);
    },
  };
}

const SAMPLE_COLUMNS = 8;

/** The node column of the node lines: wide enough for most relation names, narrow enough that a 120-column terminal stays aligned. */
const NAME_WIDTH = 48;

/** A name cut in the middle to `width` (`accepted_values_silver_…5626`): its start and its end stay readable. */
export function fitName(name: string, width: number): string {
  if (name.length <= width) return name;
  const tail = Math.floor((width - 1) / 3);
  return `${name.slice(0, width - 1 - tail)}…${name.slice(name.length - tail)}`;
}

/**
 * The line under the node lines on a terminal: done/total, the nodes running, elapsed time and an
 * estimate of what is left (from the pace so far). Redrawn on every event and once a second;
 * anything printed goes above it. Off the terminal it prints nothing.
 */
function createProgressLine(out: NodeJS.WritableStream, enabled: boolean, c: Colors) {
  const running = new Map<string, string>();
  let total = 0;
  let done = 0;
  let started = 0;
  let timer: NodeJS.Timeout | undefined;
  let shown = false;
  const columns = () => (out as { columns?: number }).columns ?? 120;
  const clear = () => {
    if (shown) out.write('\r\x1b[K');
    shown = false;
  };
  const draw = () => {
    if (!enabled || total === 0) return;
    const elapsed = (Date.now() - started) / 1000;
    const eta = done > 0 && done < total ? ` · about ${Math.ceil((elapsed / done) * (total - done))}s left` : '';
    const names = [...running.values()];
    const now = names.length > 0 ? ` · running ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` +${names.length - 3}` : ''}` : '';
    const line = `${done}/${total} done · ${elapsed.toFixed(0)}s${eta}${now}`;
    clear();
    out.write(c.dim(line.length > columns() - 1 ? `${line.slice(0, columns() - 2)}…` : line));
    shown = true;
  };
  return {
    start(count: number) {
      total = count;
      started = Date.now();
      if (enabled) {
        timer = setInterval(draw, 1000);
        timer.unref();
      }
    },
    started(id: string, name: string) {
      running.set(id, name);
      draw();
    },
    finished(id: string) {
      running.delete(id);
      done++;
    },
    /** Takes the line away (before writing to another stream); the next event draws it again. */
    clear,
    /** Prints text above the progress line. */
    above(text: string) {
      clear();
      out.write(text);
      draw();
    },
    stop() {
      if (timer) clearInterval(timer);
      clear();
      total = 0;
    },
  };
}

/** The failing rows, at most 8 columns wide (the full rows are in JUnit and store_failures). */
function sampleTable(rows: Array<Record<string, unknown>>): string {
  const all = Object.keys(rows[0]!);
  const columns = all.slice(0, SAMPLE_COLUMNS);
  const more = all.length - columns.length;
  const table = new Table({ head: more > 0 ? [...columns, `+${more} columns`] : columns, style: { head: [], border: [], compact: true } });
  const cell = (value: unknown) => (value === null ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  for (const row of rows) table.push([...columns.map((column) => cell(row[column])), ...(more > 0 ? ['…'] : [])]);
  return table.toString();
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
