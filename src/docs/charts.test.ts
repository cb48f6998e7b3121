import { create } from 'xmlbuilder2';
import { describe, expect, it } from 'vitest';
import {
  columnTypeKind,
  nameUnit,
  PREVIEW_HEIGHT,
  PREVIEW_WIDTH,
  pickPreviewColumns,
  previewChartSvg,
  renderSvg,
  type TopLevelSpec,
  toEpochMs,
  toNumber,
} from './charts.js';

/** Parses the SVG as XML (throws when it is not well-formed) and returns its root element. */
function svgRoot(svg: string) {
  const root = create(svg).root();
  return {
    name: root.node.nodeName,
    namespace: (root.node as unknown as Element).namespaceURI,
    attr: (n: string) => (root.node as unknown as Element).getAttribute(n),
  };
}

/** The texts of the `<text>` elements inside groups of the given Vega role (axis-label, legend-label…). */
function textsOfRole(svg: string, role: string): string[] {
  const out: string[] = [];
  for (const group of svg.matchAll(new RegExp(`<g class="mark-text role-${role}"[^>]*>(.*?)</g>`, 'g'))) {
    for (const t of group[1]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)) out.push(t[1]!);
  }
  return out;
}

/** The `d` of every line of a line chart (one per series). */
function linePaths(svg: string): string[] {
  return [...svg.matchAll(/<path [^>]*aria-roledescription="line mark"[^>]*\bd="([^"]*)"/g)].map((m) => m[1]!);
}

const day = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
const sixMonths = Array.from({ length: 182 }, (_, i) => ({
  date_locale: day(i),
  consommation_mwh: 1_200_000 + 300_000 * Math.cos(i / 29),
  production_mwh: String(1_300_000 + 250_000 * Math.sin(i / 31)),
  pertes_mwh: BigInt(20_000 + (i % 7) * 1000),
}));

const barSpec = (values: Array<{ k: string; v: number }>): TopLevelSpec => ({
  width: 200,
  height: 100,
  data: { values },
  mark: { type: 'bar', clip: true },
  encoding: { x: { field: 'k', type: 'nominal', title: 'Key' }, y: { field: 'v', type: 'quantitative', title: 'Value (MW)' } },
});

describe('renderSvg', () => {
  it('renders a Vega-Lite spec to a well-formed standalone SVG document with its axis titles', async () => {
    const svg = await renderSvg(
      barSpec([
        { k: 'a', v: 1 },
        { k: 'b', v: 3 },
      ]),
    );
    const root = svgRoot(svg);
    expect(root.name).toBe('svg');
    expect(root.namespace).toBe('http://www.w3.org/2000/svg');
    expect(Number(root.attr('width'))).toBeGreaterThan(200);
    expect(root.attr('viewBox')).toMatch(/^0 0 \d+ \d+$/);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(textsOfRole(svg, 'axis-title')).toEqual(['Key', 'Value (MW)']);
    expect(textsOfRole(svg, 'axis-label')).toEqual(expect.arrayContaining(['a', 'b']));
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(2);
    // the house style: white background and the chart font
    expect(svg).toContain('fill="white"');
    expect(svg).toContain('font-family="Helvetica, Arial, sans-serif"');
  });

  it('gives byte-identical output for the same spec, whatever was rendered before', async () => {
    const spec = barSpec([
      { k: 'a', v: 1 },
      { k: 'b', v: 3 },
    ]);
    const first = await renderSvg(spec);
    await renderSvg(barSpec([{ k: 'x', v: 9 }]));
    await renderSvg(barSpec([{ k: 'y', v: 2 }]));
    expect(await renderSvg(spec)).toBe(first);
  });

  it('names clip paths after the chart, so two charts can share a page, and keeps references consistent', async () => {
    const one = await renderSvg(barSpec([{ k: 'a', v: 1 }]));
    const two = await renderSvg(barSpec([{ k: 'a', v: 2 }]));
    const ids = (svg: string) => [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids(one).length).toBeGreaterThan(0);
    for (const id of ids(one)) {
      expect(id).toMatch(/^c[0-9a-f]{8}-clip\d+$/);
      expect(one).toContain(`url(#${id})`);
    }
    expect(ids(two).some((id) => ids(one).includes(id))).toBe(false);
  });

  it('rounds coordinates to two decimals', async () => {
    const svg = await renderSvg(
      barSpec([
        { k: 'a', v: 1 },
        { k: 'b', v: 3 },
        { k: 'c', v: 7 },
      ]),
    );
    for (const m of svg.matchAll(/\b(?:d|transform)="([^"]*)"/g)) expect(m[1]).not.toMatch(/\d\.\d{3}/);
  });

  it('never loads anything: a spec with a data URL is refused', async () => {
    const spec: TopLevelSpec = { data: { url: 'https://example.com/data.csv' }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
    const warnings: string[] = [];
    await expect(renderSvg(spec, { onWarning: (w) => warnings.push(w) })).rejects.toThrow(/offline: refusing to load https:\/\/example\.com\/data\.csv/);
    expect(warnings.join('\n')).toContain('Loading failed');
  });

  it('rejects a spec Vega cannot draw instead of returning half a chart', async () => {
    const spec: TopLevelSpec = {
      data: { values: Array.from({ length: 30 }, (_, i) => ({ t: Date.UTC(2024, 0, 1 + i), v: i })) },
      mark: 'line',
      // an unknown time interval: Vega logs a TypeError and would return the chart without its axis
      encoding: {
        x: { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: { tickCount: { interval: 'fortnight' as 'week', step: 1 } } },
        y: { field: 'v', type: 'quantitative' },
      },
    };
    await expect(renderSvg(spec, { onWarning: () => {} })).rejects.toThrow(/could not be drawn/);
  });
});

describe('previewChartSvg', () => {
  it('draws one line per value column over the dates, at the preview size, with a legend and date labels', async () => {
    const svg = await previewChartSvg({
      rows: sixMonths,
      dateColumn: 'date_locale',
      valueColumns: ['consommation_mwh', 'production_mwh', 'pertes_mwh'],
      title: 'consommation',
    });
    const root = svgRoot(svg);
    expect(root.name).toBe('svg');
    expect([Number(root.attr('width')), Number(root.attr('height'))]).toEqual([PREVIEW_WIDTH, PREVIEW_HEIGHT]);
    const lines = linePaths(svg);
    expect(lines).toHaveLength(3);
    // 182 days, no gap: each line is one path of 182 points
    for (const d of lines) {
      expect(d.match(/M/g)).toHaveLength(1);
      expect(d.match(/L/g)).toHaveLength(181);
    }
    expect(textsOfRole(svg, 'legend-label')).toEqual(['consommation_mwh', 'production_mwh', 'pertes_mwh']);
    expect(textsOfRole(svg, 'title-text')).toEqual(['consommation']);
    const xLabels = textsOfRole(svg, 'axis-label');
    expect(xLabels).toEqual(expect.arrayContaining(['2024', 'April', 'June']));
    // large values get SI prefixes on the value axis
    expect(xLabels.some((l) => /^\d+(\.\d+)?[kM]$/.test(l))).toBe(true);
  });

  it('draws at most four series and no legend for a single one', async () => {
    const rows = sixMonths.map((r) => ({ ...r, a: 1, b: 2, c: 3 }));
    const five = await previewChartSvg({ rows, dateColumn: 'date_locale', valueColumns: ['consommation_mwh', 'production_mwh', 'a', 'b', 'c'] });
    expect(linePaths(five)).toHaveLength(4);
    expect(textsOfRole(five, 'legend-label')).toEqual(['consommation_mwh', 'production_mwh', 'a', 'b']);
    const one = await previewChartSvg({ rows, dateColumn: 'date_locale', valueColumns: ['consommation_mwh'] });
    expect(linePaths(one)).toHaveLength(1);
    expect(one).not.toContain('role-legend');
  });

  it('is deterministic and does not depend on the order of the rows', async () => {
    const input = { rows: sixMonths, dateColumn: 'date_locale', valueColumns: ['consommation_mwh', 'pertes_mwh'] };
    const first = await previewChartSvg(input);
    expect(await previewChartSvg(input)).toBe(first);
    const shuffled = [...sixMonths].sort((a, b) => (a.date_locale.slice(-1) < b.date_locale.slice(-1) ? -1 : 1));
    expect(await previewChartSvg({ ...input, rows: shuffled })).toBe(first);
  });

  it('breaks the lines at a gap in the dates and at missing values', async () => {
    const rows = [...Array.from({ length: 10 }, (_, i) => ({ d: day(i), v: i })), ...Array.from({ length: 10 }, (_, i) => ({ d: day(100 + i), v: i }))];
    const [gap] = linePaths(await previewChartSvg({ rows, dateColumn: 'd', valueColumns: ['v'] }));
    expect(gap!.match(/M/g)).toHaveLength(2);
    const holes = rows.slice(0, 10).map((r) => ({ ...r, v: r.v === 4 ? null : r.v }));
    const [hole] = linePaths(await previewChartSvg({ rows: holes, dateColumn: 'd', valueColumns: ['v'] }));
    expect(hole!.match(/M/g)).toHaveLength(2);
  });

  it('reads dates and numbers as the engines return them', async () => {
    const rows = [
      { d: new Date(Date.UTC(2024, 0, 1)), v: 1n },
      { d: { value: '2024-01-02' }, v: '2.500' },
      { d: '2024-01-03 00:00:00+00', v: { toString: () => '3' } },
      { d: 'not a date', v: 99 },
    ];
    const [line] = linePaths(await previewChartSvg({ rows, dateColumn: 'd', valueColumns: ['v'] }));
    expect(line!.match(/[ML]/g)).toHaveLength(3);
  });
});

describe('toEpochMs and toNumber', () => {
  it('reads dates, timestamps with and without offsets as UTC instants', () => {
    expect(toEpochMs('2024-01-31')).toBe(Date.UTC(2024, 0, 31));
    expect(toEpochMs('2024-01-31 10:00:00')).toBe(Date.UTC(2024, 0, 31, 10));
    expect(toEpochMs('2024-01-31T10:00:00.250Z')).toBe(Date.UTC(2024, 0, 31, 10, 0, 0, 250));
    expect(toEpochMs('2024-01-31 10:00:00+01')).toBe(Date.UTC(2024, 0, 31, 9));
    expect(toEpochMs('2024-01-31 10:00:00+0530')).toBe(Date.UTC(2024, 0, 31, 4, 30));
    expect(toEpochMs(new Date(Date.UTC(2020, 1, 29)))).toBe(Date.UTC(2020, 1, 29));
    expect(toEpochMs({ value: '2024-01-31' })).toBe(Date.UTC(2024, 0, 31));
    expect(toEpochMs({ toString: () => '2024-01-31' })).toBe(Date.UTC(2024, 0, 31));
    expect(toEpochMs(1_700_000_000_000)).toBe(1_700_000_000_000);
    for (const bad of [null, undefined, '', '31/01/2024', 'soon', new Date(Number.NaN), true]) expect(toEpochMs(bad)).toBeUndefined();
  });

  it('reads numbers, bigints, DECIMAL strings and objects, and nothing else', () => {
    expect(toNumber(1.5)).toBe(1.5);
    expect(toNumber(12n)).toBe(12);
    expect(toNumber('18.250')).toBe(18.25);
    expect(toNumber({ toString: () => '-3.5' })).toBe(-3.5);
    for (const bad of [null, undefined, '', ' ', 'ND', Number.NaN, Number.POSITIVE_INFINITY, true, {}]) expect(toNumber(bad)).toBeUndefined();
  });
});

describe('columnTypeKind', () => {
  it('classifies DuckDB and BigQuery type names', () => {
    const kinds = Object.fromEntries(
      [
        'DATE',
        'TIMESTAMP',
        'TIMESTAMP WITH TIME ZONE',
        'TIMESTAMPTZ',
        'TIMESTAMP_NS',
        'DATETIME',
        'BIGINT',
        'INTEGER',
        'INT64',
        'HUGEINT',
        'UBIGINT',
        'DOUBLE',
        'FLOAT64',
        'REAL',
        'DECIMAL(18,3)',
        'NUMERIC',
        'NUMERIC(10, 2)',
        'BIGNUMERIC',
        'VARCHAR',
        'STRING',
        'BOOLEAN',
        'INTERVAL',
        'TIME',
      ].map((t) => [t, columnTypeKind(t)]),
    );
    expect(kinds).toEqual({
      DATE: 'date',
      TIMESTAMP: 'timestamp',
      'TIMESTAMP WITH TIME ZONE': 'timestamp',
      TIMESTAMPTZ: 'timestamp',
      TIMESTAMP_NS: 'timestamp',
      DATETIME: 'timestamp',
      BIGINT: 'integer',
      INTEGER: 'integer',
      INT64: 'integer',
      HUGEINT: 'integer',
      UBIGINT: 'integer',
      DOUBLE: 'float',
      FLOAT64: 'float',
      REAL: 'float',
      'DECIMAL(18,3)': 'decimal',
      NUMERIC: 'decimal',
      'NUMERIC(10, 2)': 'decimal',
      BIGNUMERIC: 'decimal',
      VARCHAR: 'other',
      STRING: 'other',
      BOOLEAN: 'other',
      INTERVAL: 'other',
      TIME: 'other',
    });
    expect(columnTypeKind(undefined)).toBe('other');
    expect(columnTypeKind('double')).toBe('float');
  });
});

describe('nameUnit', () => {
  it('reads the unit a column name ends with', () => {
    expect(nameUnit('consommation_mwh')).toBe('mwh');
    expect(nameUnit('part_renouvelables_7j_pct')).toBe('pct');
    expect(nameUnit('tmoy_c')).toBe('c');
    expect(nameUnit('taux_co2_g_kwh')).toBe('g/kwh');
    expect(nameUnit('thermosensibilite_mw_par_degre')).toBe('mw/degre');
    expect(nameUnit('r2')).toBeUndefined();
    expect(nameUnit('revenue')).toBeUndefined();
  });
});

describe('pickPreviewColumns', () => {
  const duck = (spec: string) =>
    spec
      .trim()
      .split('\n')
      .map((line) => {
        const [name, ...type] = line.trim().split(/\s+/);
        return { name: name!, type: type.join(' ') };
      });

  it('picks the date and the first four measures of the daily mix (DuckDB types)', () => {
    const columns = duck(`
      date_locale DATE
      nb_quarts_heure BIGINT
      nb_quarts_heure_jour INTEGER
      journee_complete BOOLEAN
      premier_ts_utc TIMESTAMP WITH TIME ZONE
      nucleaire_mwh DOUBLE
      eolien_mwh DOUBLE
      solaire_mwh DOUBLE
      hydraulique_mwh DOUBLE
      gaz_mwh DOUBLE
      part_nucleaire_pct DOUBLE
    `);
    expect(pickPreviewColumns(columns)).toEqual({ dateColumn: 'date_locale', valueColumns: ['nucleaire_mwh', 'eolien_mwh', 'solaire_mwh', 'hydraulique_mwh'] });
  });

  it('prefers a DATE to a TIMESTAMP, and a name with "date" among DATEs', () => {
    expect(
      pickPreviewColumns(
        duck(`
          ts_utc TIMESTAMP WITH TIME ZONE
          premier_jour DATE
          date_locale DATE
          consommation_mw DOUBLE
        `),
      )?.dateColumn,
    ).toBe('date_locale');
    expect(pickPreviewColumns(duck('ts_utc TIMESTAMPTZ\nconsommation_mw DOUBLE'))).toEqual({ dateColumn: 'ts_utc', valueColumns: ['consommation_mw'] });
  });

  it('works on BigQuery types and skips identifiers, codes, integer calendar parts and load metadata', () => {
    const columns = duck(`
      _loaded_at TIMESTAMP
      _row_number INT64
      order_id INT64
      customer_key INT64
      code_insee_region STRING
      region_code INT64
      annee INT64
      mois INT64
      heure INT64
      order_date DATE
      latitude FLOAT64
      amount_eur NUMERIC
      discount_eur BIGNUMERIC
      tax_eur FLOAT64
      weight_kg FLOAT64
    `);
    expect(pickPreviewColumns(columns)).toEqual({ dateColumn: 'order_date', valueColumns: ['amount_eur', 'discount_eur', 'tax_eur'] });
  });

  it('keeps only the columns in the unit of the first measure, so they share one axis', () => {
    const columns = duck(`
      date DATE
      stock_total_gwh DOUBLE
      nb_sites BIGINT
      variation_gwh DOUBLE
      temperature_france_c DOUBLE
      correlation_stock_temperature_saison DOUBLE
    `);
    expect(pickPreviewColumns(columns)).toEqual({ dateColumn: 'date', valueColumns: ['stock_total_gwh', 'variation_gwh'] });
    expect(pickPreviewColumns(duck('d DATE\nr2 DOUBLE\nscore DECIMAL(18,3)\nx_mw DOUBLE'))?.valueColumns).toEqual(['r2', 'score']);
  });

  it('plots counts only when there is nothing else', () => {
    expect(pickPreviewColumns(duck('jour DATE\nnb_lignes BIGINT\ncount_fichiers BIGINT'))).toEqual({
      dateColumn: 'jour',
      valueColumns: ['nb_lignes', 'count_fichiers'],
    });
    expect(pickPreviewColumns(duck('jour DATE\nnb_lignes BIGINT\nmontant DOUBLE'))?.valueColumns).toEqual(['montant']);
  });

  it('keeps float calendar-like measures but drops integer ones', () => {
    expect(pickPreviewColumns(duck('d DATE\nduree_minutes INTEGER\nheures_chauffage DOUBLE'))?.valueColumns).toEqual(['heures_chauffage']);
  });

  it('returns undefined when there is nothing to plot', () => {
    expect(pickPreviewColumns([])).toBeUndefined();
    expect(pickPreviewColumns(duck('region VARCHAR\nconsommation_mwh DOUBLE'))).toBeUndefined();
    expect(pickPreviewColumns(duck('date_locale DATE\nannee INTEGER\ncode_region INTEGER\nlibelle VARCHAR'))).toBeUndefined();
    expect(pickPreviewColumns([{ name: 'd', type: 'DATE' }, { name: 'v' }])).toBeUndefined();
  });
});
