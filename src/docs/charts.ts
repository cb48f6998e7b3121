/**
 * Charts as SVG text, for the generated documentation: the analysis document's figures
 * (`scripts/generate-analysis.mjs`) and the docs site's per-model preview. This is the one place
 * that turns data into pictures; everything goes through Vega-Lite:
 *
 *   Vega-Lite spec ──compile──► Vega spec ──parse──► View (renderer 'none') ──toSVG()──► string
 *
 * Rendering is headless and offline: no DOM, no canvas (text widths are estimated from the font
 * size, never measured, so the output does not depend on whether a canvas package happens to be
 * installed), and the View gets a loader that refuses every URL, so a spec can only use inline
 * `data.values`. The output is deterministic: the same spec gives byte-identical SVG (Vega's
 * clip/gradient id counters are reset before each render and the ids are then renamed after a
 * hash of the chart, so several charts can also be inlined in one HTML page without clashing).
 * Time axes are in UTC, so the machine's time zone never shows in a chart.
 */
import { createHash } from 'node:crypto';
import * as vega from 'vega';
import { type Config, compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec } from 'vega-lite';

/** Font stack of every chart (SVG text is laid out by the viewer, widths are estimated here). */
export const CHART_FONT = 'Helvetica, Arial, sans-serif';

/**
 * The house style, merged under each spec's own `config`: white background (readable on dark
 * pages too), light grid, grey axes, left-aligned titles.
 */
export const CHART_CONFIG: Config = {
  background: 'white',
  font: CHART_FONT,
  padding: 8,
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 14, fontWeight: 'bold', color: '#222', subtitleColor: '#555', subtitleFontSize: 11, offset: 10 },
  axis: {
    domainColor: '#888',
    tickColor: '#888',
    gridColor: '#e6e6e6',
    labelColor: '#444',
    titleColor: '#333',
    labelFontSize: 10,
    titleFontSize: 11,
    titleFontWeight: 'normal',
  },
  legend: { labelColor: '#333', titleColor: '#333', labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', symbolSize: 80 },
  header: { labelFontSize: 11, labelColor: '#333', titleFontSize: 11 },
};

/** Fixed categorical colours, assigned in order (the preview's series, generic charts). */
export const SERIES_COLOURS: readonly string[] = ['#1f77b4', '#e6851e', '#2ca02c', '#9467bd', '#d62728', '#8c564b'];

/**
 * A loader that refuses everything: charts are drawn from inline values only, never fetched or
 * read. Vega only warns when a load fails, so the refusals are recorded for renderSvg to reject.
 */
function offlineLoader(refused: string[]): vega.Loader {
  const refuse = (uri: string) => {
    refused.push(`charts are rendered offline: refusing to load ${uri}`);
    return Promise.reject(new Error(`charts are rendered offline: refusing to load ${uri}`));
  };
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/**
 * Vega measures text with a canvas when one is available and estimates it otherwise; estimating
 * always keeps the layout (and so the bytes) the same on every machine.
 */
function useEstimatedTextWidths(): void {
  const metrics = (vega as unknown as { textMetrics?: { width: unknown; estimateWidth?: unknown } }).textMetrics;
  if (metrics && typeof metrics.estimateWidth === 'function') metrics.width = metrics.estimateWidth;
}

export interface RenderOptions {
  /** Receives Vega-Lite's and Vega's warnings (default: written to stderr). */
  onWarning?: (message: string) => void;
}

/**
 * Renders a Vega-Lite spec to a standalone SVG document (`<svg …>…</svg>`, no XML prolog).
 * The spec's data must be inline (`data: { values }` or datasets); `CHART_CONFIG` is applied
 * under the spec's own config. Rejects when Vega-Lite or Vega reports an error (Vega itself
 * would log it and return a half-drawn chart) or when the spec tries to load anything; their
 * warnings go to `onWarning` (default: stderr).
 */
export async function renderSvg(spec: TopLevelSpec, options: RenderOptions = {}): Promise<string> {
  const errors: string[] = [];
  const onWarning = options.onWarning ?? ((message: string) => process.stderr.write(`charts: ${message}\n`));
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = vega.logger(vega.Warn, undefined, (method, _level, args) => {
    if (method === 'error') errors.push(text(args));
    else onWarning(text(args));
  });
  const vegaSpec = compile(spec, { config: CHART_CONFIG, logger }).spec;
  useEstimatedTextWidths();
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader: offlineLoader(errors), logger, logLevel: vega.Warn });
  let svg: string | undefined;
  try {
    vega.resetSVGDefIds();
    svg = await view.toSVG();
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    view.finalize();
  }
  if (svg === undefined || errors.length > 0) throw new Error(`the chart could not be drawn: ${errors.join('; ')}`);
  return roundCoordinates(scopeDefIds(svg));
}

/**
 * Vega writes coordinates at full double precision (`translate(26.608695652173914,15)`); two
 * decimals are far below a pixel and halve the size of a chart with long paths.
 */
function roundCoordinates(svg: string): string {
  return svg.replace(/\b(d|transform|points)="([^"]*)"/g, (_whole, name: string, value: string) => {
    const rounded = value.replace(/-?\d+\.\d{3,}(?:e-?\d+)?/g, (n) => {
      const r = Math.round(Number(n) * 100) / 100;
      return String(Object.is(r, -0) ? 0 : r);
    });
    return `${name}="${rounded}"`;
  });
}

/**
 * Vega numbers its clip paths and gradients `clip1`, `gradient_0`… from process-wide counters:
 * after the reset every chart uses the same ids, which would collide when two charts share an
 * HTML page. Prefix them with a hash of the chart itself (stable, and distinct per chart).
 */
function scopeDefIds(svg: string): string {
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\bid="((?:clip|gradient_)\d+)"/g)) ids.add(m[1]!);
  if (ids.size === 0) return svg;
  const prefix = `c${createHash('sha256').update(svg).digest('hex').slice(0, 8)}-`;
  return svg.replace(/\bid="((?:clip|gradient_)\d+)"|url\(#((?:clip|gradient_)\d+)\)/g, (whole, id?: string, ref?: string) => {
    if (id !== undefined) return ids.has(id) ? `id="${prefix}${id}"` : whole;
    return ref !== undefined && ids.has(ref) ? `url(#${prefix}${ref})` : whole;
  });
}

// ---------------------------------------------------------------------------------------------
// The docs site's preview: numeric columns over the date column

export interface PreviewChartInput {
  /** Rows with the date column and the value columns (at most a few hundred, one per date). */
  rows: ReadonlyArray<Record<string, unknown>>;
  dateColumn: string;
  /** Plotted in this order; only the first `MAX_PREVIEW_SERIES` are drawn. */
  valueColumns: readonly string[];
  title?: string;
  /** As for renderSvg. */
  onWarning?: (message: string) => void;
}

export const MAX_PREVIEW_SERIES = 4;
export const PREVIEW_WIDTH = 360;
export const PREVIEW_HEIGHT = 120;

/**
 * A small (360×120 overall) line chart of up to four numeric columns over a date column, one
 * line per column, coloured in column order, with a legend when there is more than one.
 * Dates may be `Date`s, epoch milliseconds, ISO-like strings (`2024-01-31`,
 * `2024-01-31 10:00:00+01`) or engine values whose `value`/`toString()` is such a string; values
 * may be numbers, bigints, numeric strings (DECIMAL) or objects whose `toString()` is a number.
 * Rows without a readable date are skipped; a missing or non-numeric value, or a gap in the dates
 * (a step over three times the usual one), breaks the line. Rows are sorted by date, so the row
 * order of the query does not matter.
 */
export async function previewChartSvg(input: PreviewChartInput): Promise<string> {
  const columns = input.valueColumns.slice(0, MAX_PREVIEW_SERIES);
  const dated = input.rows
    .map((row, index) => ({ row, index, t: toEpochMs(row[input.dateColumn]) }))
    .filter((d): d is { row: Record<string, unknown>; index: number; t: number } => d.t !== undefined)
    .sort((a, b) => a.t - b.t || a.index - b.index);
  const points: Array<{ t: number; serie: string; v: number | null }> = [];
  let maxAbs = 0;
  for (const { row, t } of dated) {
    for (const column of columns) {
      const v = toNumber(row[column]) ?? null;
      points.push({ t, serie: column, v });
      if (v !== null) maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  // A gap in the dates (a step over 3 times the usual one) breaks the lines instead of
  // joining its two sides with a straight segment.
  const times = [...new Set(dated.map((d) => d.t))];
  const steps = times.slice(1).map((t, i) => t - times[i]!);
  const usual = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] ?? 0;
  for (let i = 0; i < steps.length; i++) {
    if (usual > 0 && steps[i]! > 3 * usual) for (const column of columns) points.push({ t: times[i]! + steps[i]! / 2, serie: column, v: null });
  }
  points.sort((a, b) => a.t - b.t);

  const legend = previewLegend(columns);
  const spec: TopLevelSpec = {
    width: PREVIEW_WIDTH,
    height: PREVIEW_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 4,
    ...(input.title ? { title: { text: input.title, fontSize: 11, offset: 4 } } : {}),
    data: { values: points },
    mark: {
      type: 'line',
      strokeWidth: 1.5,
      invalid: 'break-paths-filter-domains',
      // isolated days would not show as a line: mark the points when there are few
      ...(times.length <= 40 ? { point: { size: 12 } } : {}),
    },
    encoding: {
      x: {
        field: 't',
        type: 'temporal',
        scale: { type: 'utc' },
        axis: { title: null, tickCount: 4, labelOverlap: true, grid: false, labelFontSize: 9 },
      },
      y: {
        field: 'v',
        type: 'quantitative',
        scale: { zero: false, nice: true },
        axis: { title: null, tickCount: 3, labelFontSize: 9, ...(maxAbs >= 1e4 ? { format: '.3~s' } : {}) },
      },
      color: {
        field: 'serie',
        type: 'nominal',
        scale: { domain: columns, range: SERIES_COLOURS.slice(0, columns.length) },
        legend,
      },
    },
  };
  return renderSvg(spec, input.onWarning ? { onWarning: input.onWarning } : {});
}

/** The preview's legend: none for one line; on top, on one row when the names fit, else two columns. */
function previewLegend(columns: readonly string[]) {
  if (columns.length <= 1) return null;
  // Vega estimates a label at 0.8 em per character (7.2 px at 9 px); 22 px for the symbol and gap.
  const oneRow = columns.reduce((sum, c) => sum + 22 + c.length * 7.2, 0) <= PREVIEW_WIDTH - 8;
  return {
    title: null,
    orient: 'top' as const,
    direction: 'horizontal' as const,
    columns: oneRow ? columns.length : 2,
    labelFontSize: 9,
    labelLimit: oneRow ? 160 : PREVIEW_WIDTH / 2 - 30,
    symbolType: 'stroke',
    symbolSize: 40,
    rowPadding: 2,
    padding: 0,
    offset: 4,
  };
}

/** Milliseconds since the epoch for a date-like cell; local-looking strings are read as UTC. */
export function toEpochMs(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'object' && typeof (value as { value?: unknown }).value === 'string') text = (value as { value: string }).value;
  else if (typeof value === 'object') text = String(value);
  else return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const offset = m[3] === undefined || m[3] === 'Z' ? 'Z' : normaliseOffset(m[3]);
  const t = Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${offset}`);
  return Number.isFinite(t) ? t : undefined;
}

function normaliseOffset(offset: string): string {
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

/** A finite number for a numeric cell (number, bigint, numeric string, DECIMAL object). */
export function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  const text = typeof value === 'string' ? value : typeof value === 'object' ? String(value) : '';
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Which columns to preview

export interface PreviewColumns {
  dateColumn: string;
  /** One to `MAX_PREVIEW_SERIES` numeric columns, in the relation's column order. */
  valueColumns: string[];
}

export type ColumnTypeKind = 'date' | 'timestamp' | 'integer' | 'decimal' | 'float' | 'other';

const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'INT',
  'BIGINT',
  'HUGEINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
  'UBIGINT',
  'UHUGEINT',
  'INT1',
  'INT2',
  'INT4',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'INT128',
  'LONG',
  'SHORT',
  'SIGNED',
  'BYTEINT',
]);
const FLOAT_TYPES = new Set(['FLOAT', 'FLOAT4', 'FLOAT8', 'FLOAT64', 'REAL', 'DOUBLE', 'DOUBLE PRECISION']);
const DECIMAL_TYPES = new Set(['DECIMAL', 'NUMERIC', 'BIGNUMERIC', 'BIGDECIMAL']);

/** Classifies a DuckDB or BigQuery type name (`DECIMAL(18,3)`, `TIMESTAMP WITH TIME ZONE`, `INT64`…). */
export function columnTypeKind(type: string | undefined): ColumnTypeKind {
  if (!type) return 'other';
  const base = type
    .toUpperCase()
    .replace(/\(.*\)/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (base === 'DATE') return 'date';
  if (base === 'DATETIME' || base === 'TIMESTAMPTZ' || base.startsWith('TIMESTAMP')) return 'timestamp';
  if (INTEGER_TYPES.has(base)) return 'integer';
  if (FLOAT_TYPES.has(base)) return 'float';
  if (DECIMAL_TYPES.has(base)) return 'decimal';
  return 'other';
}

/** Name words of identifiers and codes: never plotted, whatever their type. */
const IDENTIFIER_WORDS = new Set([
  'id',
  'ids',
  'uuid',
  'key',
  'pk',
  'fk',
  'code',
  'codes',
  'cle',
  'insee',
  'siren',
  'siret',
  'iso',
  'zip',
  'postal',
  'numero',
  'index',
  'idx',
  'rank',
  'rang',
  'seq',
  'sequence',
  'ordre',
  'order',
  'version',
  'hash',
  'lat',
  'lon',
  'lng',
  'latitude',
  'longitude',
]);
/** Name words of calendar parts: not plotted when the column is an integer (a year, an hour…). */
const CALENDAR_WORDS = new Set([
  'annee',
  'year',
  'yr',
  'trimestre',
  'quarter',
  'mois',
  'month',
  'semaine',
  'week',
  'isoweek',
  'jour',
  'day',
  'dow',
  'weekday',
  'doy',
  'heure',
  'hour',
  'minute',
  'minutes',
  'seconde',
  'second',
  'seconds',
]);
/** First words of counts (`nb_jours`, `count_rows`): plotted only when nothing else is. */
const COUNT_WORDS = new Set(['nb', 'n', 'count', 'cnt', 'nombre', 'num']);
/** Last words read as a unit (`consommation_mwh`, `part_pct`, `tmoy_c`, `taux_co2_g_kwh`). */
const UNIT_WORDS = new Set([
  'pct',
  'percent',
  'pourcent',
  'w',
  'kw',
  'mw',
  'gw',
  'tw',
  'wh',
  'kwh',
  'mwh',
  'gwh',
  'twh',
  'c',
  'k',
  'f',
  'kg',
  't',
  'tonnes',
  'eur',
  'euros',
  'usd',
  'km',
  'm',
]);

/** The words of a column name: split on `_`, `-`, spaces and camelCase, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * The unit a column's name ends with, to plot only comparable columns on the preview's one axis:
 * `x_par_y` → `x/y` (`thermosensibilite_mw_par_degre` → `mw/degre`), `…_g_kwh` → `g/kwh`,
 * else the last word when it is a known unit (`mwh`, `pct`, `c`…), else undefined.
 */
export function nameUnit(name: string): string | undefined {
  const words = nameWords(name);
  const n = words.length;
  if (n >= 3 && words[n - 2] === 'par') return `${words[n - 3]}/${words[n - 1]}`;
  if (n >= 3 && words[n - 2] === 'g' && words[n - 1] === 'kwh') return 'g/kwh';
  if (n >= 2 && UNIT_WORDS.has(words[n - 1]!)) return words[n - 1];
  return undefined;
}

/**
 * Picks what the docs site's preview plots from a relation's columns (with their engine types,
 * DuckDB or BigQuery), or undefined when there is nothing to plot (no date/timestamp column, or
 * no numeric column worth plotting). The rules, by name and type:
 *
 * - Columns whose name starts with `_` (load metadata such as `_loaded_at`) are ignored.
 * - **Date column**: a `DATE` column rather than a `TIMESTAMP`/`DATETIME` one (the preview is by
 *   day); among those, one with a word `date` in its name (`date`, `date_locale`, `order_date`),
 *   then the first in column order.
 * - **Value columns**: numeric types (integers, `DECIMAL`/`NUMERIC`, floats), except
 *   identifiers and codes (a word among `id`, `code`, `key`, `insee`, `rang`, `rank`,
 *   `version`, `lat`/`lon`…, any type) and integer calendar parts (`annee`, `year`, `mois`,
 *   `month`, `semaine`, `week`, `jour`, `day`, `heure`, `hour`, `minutes`…). Counts
 *   (`nb_…`, `count_…`, `n_…`) are used only when there is no other numeric column.
 * - The first remaining column fixes the unit read from its name (`…_mwh`, `…_pct`, `…_c`,
 *   `…_x_par_y`, or none); only columns with the same unit are kept, so the lines share one
 *   axis meaningfully; the first `MAX_PREVIEW_SERIES` of them in column order are returned.
 */
export function pickPreviewColumns(columns: ReadonlyArray<{ name: string; type?: string }>): PreviewColumns | undefined {
  const candidates = columns.filter((c) => !c.name.startsWith('_'));
  const dates = candidates
    .map((c, index) => ({ c, index, kind: columnTypeKind(c.type) }))
    .filter((d) => d.kind === 'date' || d.kind === 'timestamp')
    .sort((a, b) => {
      const byKind = (a.kind === 'date' ? 0 : 1) - (b.kind === 'date' ? 0 : 1);
      const byName = (nameWords(a.c.name).includes('date') ? 0 : 1) - (nameWords(b.c.name).includes('date') ? 0 : 1);
      return byKind || byName || a.index - b.index;
    });
  const dateColumn = dates[0]?.c.name;
  if (dateColumn === undefined) return undefined;

  const measures: string[] = [];
  const counts: string[] = [];
  for (const c of candidates) {
    const kind = columnTypeKind(c.type);
    if (kind !== 'integer' && kind !== 'decimal' && kind !== 'float') continue;
    const words = nameWords(c.name);
    if (words.some((w) => IDENTIFIER_WORDS.has(w))) continue;
    if (kind === 'integer' && words.some((w) => CALENDAR_WORDS.has(w))) continue;
    if (COUNT_WORDS.has(words[0]!)) counts.push(c.name);
    else measures.push(c.name);
  }
  const pool = measures.length > 0 ? measures : counts;
  if (pool.length === 0) return undefined;
  const unit = nameUnit(pool[0]!);
  const valueColumns = pool.filter((name) => nameUnit(name) === unit).slice(0, MAX_PREVIEW_SERIES);
  return { dateColumn, valueColumns };
}
