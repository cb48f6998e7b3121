import { sqlBody } from './sql-text.js';

/**
 * Where the lines of compiled SQL come from, recorded while templates render (never guessed from
 * the text afterwards): an engine's "LINE 12" in a model's SQL becomes `models/x.sql:9`.
 */

/** A line of a template file (1-based). */
export interface SourceLine {
  file: string;
  line: number;
}

/**
 * One entry per compiled line (index 0 = line 1): a number is a line of the node's own file,
 * a SourceLine a line inlined from another file (an ephemeral model's CTE).
 */
export type LineMap = ReadonlyArray<number | SourceLine>;

/** Rendered template output and the template line each of its lines starts on. */
export interface RenderedText {
  text: string;
  /** origins[i] is the template line of output line i + 1. */
  origins: number[];
}

/** SQL ready to run, with where each of its lines was written. */
export interface CompiledSql {
  text: string;
  lines: LineMap;
}

/** The template line of a compiled line (1-based), in the node's own file unless inlined. */
export function originOf(sql: CompiledSql, compiledLine: number, ownFile: string): SourceLine | undefined {
  const origin = sql.lines[compiledLine - 1];
  if (origin === undefined) return undefined;
  return typeof origin === 'number' ? { file: ownFile, line: origin } : origin;
}

/** The same text and lines, every own-file line resolved to `file` (for inlining into another model). */
export function inFile(lines: LineMap, file: string): SourceLine[] {
  return lines.map((origin) => (typeof origin === 'number' ? { file, line: origin } : origin));
}

/**
 * Concatenates pieces of text and their line origins. A piece that starts in the middle of a line
 * (the previous piece did not end with a newline) continues that line, which keeps its origin:
 * a line's origin is where its first character was written.
 */
export function joinWithLines(pieces: ReadonlyArray<{ text: string; lines: ReadonlyArray<number | SourceLine> }>): CompiledSql {
  let text = '';
  const lines: Array<number | SourceLine> = [];
  for (const piece of pieces) {
    if (piece.text === '') continue;
    const continuesLine = text !== '' && !text.endsWith('\n');
    text += piece.text;
    const count = countLines(piece.text);
    for (let i = continuesLine ? 1 : 0; i < count; i++) lines.push(piece.lines[i] ?? piece.lines[piece.lines.length - 1] ?? 1);
  }
  return { text, lines };
}

/** The text from offset `start` on, with the origins of its lines. */
export function sliceWithLines(sql: CompiledSql, start: number): CompiledSql {
  let skipped = 0;
  for (let i = sql.text.indexOf('\n'); i >= 0 && i < start; i = sql.text.indexOf('\n', i + 1)) skipped++;
  return { text: sql.text.slice(start), lines: sql.lines.slice(skipped) };
}

/**
 * SQL as it can be embedded in another statement (a CTE, a subquery, CREATE … AS): blank leading
 * lines and surrounding blanks removed, and a trailing semicolon, with the origins of what is left.
 */
export function embeddable(sql: CompiledSql): CompiledSql {
  const leading = /^(\s*\n)*/.exec(sql.text)![0].length;
  const rest = sliceWithLines(sql, leading);
  return { text: sqlBody(rest.text.trimStart()), lines: rest.lines };
}

/** Lines in a text as an editor counts them ("a\nb" and "a\nb\n" are both 2 lines). */
export function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

// Handlebars renders through compiled JavaScript, so it cannot say where output came from. Before
// compiling, a marker is written after every newline of the template's text; markers pass through
// rendering, then they are read and removed. They are made only of Unicode space characters, so
// Handlebars' whitespace control (standalone lines, ~) treats them as the blanks they sit among.
const MARK_START = '\u205f';
const MARK_END = '\u3000';
const DIGIT_ZERO = 0x2000;
const MARKER = /\u205f([\u2000-\u2009]+)\u3000/g;

/** The marker for a template line: its decimal digits as the spaces U+2000…U+2009. */
export function lineMarker(line: number): string {
  let digits = '';
  for (const digit of String(line)) digits += String.fromCharCode(DIGIT_ZERO + Number(digit));
  return `${MARK_START}${digits}${MARK_END}`;
}

/** Text with a marker after each newline; `line` is the template line the text starts on. */
export function markLines(text: string, line: number): string {
  let out = '';
  let last = 0;
  let current = line;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    current++;
    out += text.slice(last, i + 1) + lineMarker(current);
    last = i + 1;
  }
  return out + text.slice(last);
}

/**
 * Output rendered from marked text → the text without markers, and per output line the template
 * line it starts on: the last marker before its first character, else the line before's.
 */
export function readMarkedLines(output: string): RenderedText {
  const origins: number[] = [1];
  let text = '';
  let last = 0;
  let lineHasText = false;
  let current = 1;
  const addText = (chunk: string) => {
    if (chunk === '') return;
    text += chunk;
    let newline = chunk.indexOf('\n');
    if (newline < 0) {
      lineHasText = true;
      return;
    }
    for (; newline >= 0; newline = chunk.indexOf('\n', newline + 1)) origins.push(current);
    lineHasText = !chunk.endsWith('\n');
  };
  for (const match of output.matchAll(MARKER)) {
    addText(output.slice(last, match.index));
    let line = 0;
    for (const digit of match[1]!) line = line * 10 + (digit.charCodeAt(0) - DIGIT_ZERO);
    current = line;
    // A marker before the first character of a line sets that line's origin.
    if (!lineHasText) origins[origins.length - 1] = line;
    last = match.index! + match[0].length;
  }
  addText(output.slice(last));
  return { text, origins };
}
