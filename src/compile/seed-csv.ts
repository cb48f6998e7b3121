import { parse as parseCsv } from 'csv-parse/sync';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** Delimiters an unset `delimiter` config may stand for (what the engines' sniffers pick from). */
const CANDIDATES = [',', ';', '\t', '|'];

/**
 * Checks a seed's CSV before anything is loaded: a header of distinct, non-empty names, and every
 * row as many fields as the header. Engines load a ragged file as one wide text column, or an
 * empty one as `column0`, and report success: these are errors naming the file and the line.
 */
export function checkSeedCsv(text: string, file: string, nodeId: string, delimiter: string | undefined): TsdbtError[] {
  const seed = `seed "${nodeId.slice(nodeId.lastIndexOf('.') + 1)}"`;
  const content = text.replace(/^\uFEFF/, '');
  const error = (message: string, line: number | undefined, hint: string) =>
    new TsdbtError(message, { code: 'E_SEED_CSV', kind: 'project', nodeId, location: { file, line }, hint });
  if (content.trim() === '') return [error(`${seed} is empty`, undefined, 'write a header line naming the columns, then one line per row')];

  const separator = delimiter ?? sniffDelimiter(content);
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parseCsv(content, { delimiter: separator, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (cause) {
    const line = (cause as { lines?: number }).lines;
    return [error(`${seed} is not valid CSV: ${(cause as Error).message}`, line, 'close the quoted field, or set the seed delimiter config')];
  }
  const [header, ...rows] = records;
  if (!header) return [error(`${seed} is empty`, undefined, 'write a header line naming the columns, then one line per row')];

  const errors: TsdbtError[] = [];
  const names = header.record.map((name) => name.trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') {
      errors.push(error(`${seed}: column ${i + 1} of the header has no name`, header.info.lines, 'name every column in the first line'));
      return;
    }
    // Engines compare column names without case: `Code` and `code` are the same column.
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      errors.push(
        error(`${seed}: the header names column "${name}" twice (columns ${earlier + 1} and ${i + 1})`, header.info.lines, 'give every column its own name'),
      );
    } else seen.set(name.toLowerCase(), i);
  });

  const ragged = rows.filter(({ record }) => record.length !== names.length);
  if (ragged.length > 0) {
    const first = ragged[0]!;
    const more = ragged.length > 1 ? ` (and ${ragged.length - 1} more row${ragged.length === 2 ? '' : 's'})` : '';
    errors.push(
      error(
        `${seed}: line ${first.info.lines} has ${first.record.length} field${first.record.length === 1 ? '' : 's'}, the header has ${names.length}${more}`,
        first.info.lines,
        `give every row ${names.length} fields separated by "${printable(separator)}" (quote a field that contains it)${delimiter ? '' : ', or set the seed delimiter config'}`,
      ),
    );
  }
  return errors;
}

/** The candidate that splits the header line into the most fields; a comma when none does. */
function sniffDelimiter(content: string): string {
  const firstLine = content.slice(0, content.indexOf('\n') >= 0 ? content.indexOf('\n') : undefined).replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? '\\t' : delimiter;
}
