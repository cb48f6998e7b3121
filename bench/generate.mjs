#!/usr/bin/env node
// Generates a deterministic, layered benchmark project for tsdbt or Dataform.
//
//   node bench/generate.mjs --models N --out DIR --flavor tsdbt|dataform [--seed S]
//        [--rows-min 2000] [--rows-max 4000] [--dataform-core PATH]
//
// Shape (identical for both flavors with the same --models/--seed):
//   10 % staging models, each reading one raw source table,
//   45 % silver models, each referencing 2 earlier models,
//   45 % gold models, each referencing 3 earlier models.
// Every model outputs the same columns (id, k, amount, category, event_ts, score) with `id`
// unique, so any ref/join combination is valid SQL and every model runs on DuckDB once the raw
// tables of seed.sql exist.
//
// Only Node built-ins are used.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATOR_VERSION = 2;
const HERE = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = {
    models: 100,
    out: null,
    flavor: 'tsdbt',
    seed: 42,
    rowsMin: 2000,
    rowsMax: 4000,
    dataformCore: path.join(HERE, 'node_modules', '@dataform', 'core'),
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) fail(`missing value for ${a}`);
      return v;
    };
    switch (a) {
      case '--models':
      case '-n':
        opts.models = toInt(next(), a);
        break;
      case '--out':
      case '-o':
        opts.out = next();
        break;
      case '--flavor':
        opts.flavor = next();
        break;
      case '--seed':
        opts.seed = toInt(next(), a);
        break;
      case '--rows-min':
        opts.rowsMin = toInt(next(), a);
        break;
      case '--rows-max':
        opts.rowsMax = toInt(next(), a);
        break;
      case '--dataform-core':
        opts.dataformCore = next();
        break;
      case '--quiet':
      case '-q':
        opts.quiet = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(
          'usage: node bench/generate.mjs --models N --out DIR --flavor tsdbt|dataform [--seed S]\n' +
            '         [--rows-min 2000] [--rows-max 4000] [--dataform-core PATH] [--quiet]\n',
        );
        process.exit(0);
        break;
      default:
        fail(`unknown argument: ${a}`);
    }
  }
  if (!opts.out) fail('--out DIR is required');
  if (opts.flavor !== 'tsdbt' && opts.flavor !== 'dataform') fail('--flavor must be tsdbt or dataform');
  if (opts.models < 10) fail('--models must be at least 10');
  if (opts.rowsMin < 1 || opts.rowsMax < opts.rowsMin) fail('bad --rows-min/--rows-max');
  return opts;
}

function toInt(v, name) {
  const n = Number(v);
  if (!Number.isInteger(n)) fail(`${name} expects an integer, got ${v}`);
  return n;
}

function fail(msg) {
  process.stderr.write(`generate: ${msg}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Deterministic PRNG (mulberry32)

function makeRng(seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}

// ---------------------------------------------------------------------------------------------
// Project shape (flavor-independent)

const ENTITIES = [
  'orders',
  'customers',
  'payments',
  'sessions',
  'invoices',
  'shipments',
  'products',
  'accounts',
  'subscriptions',
  'refunds',
  'campaigns',
  'tickets',
  'inventory',
  'suppliers',
  'visits',
  'claims',
  'contracts',
  'devices',
  'readings',
  'transfers',
];
const SILVER_VERBS = ['enriched', 'joined', 'scored', 'ranked', 'deduped', 'normalised'];
const GOLD_NOUNS = ['summary', 'kpis', 'scorecard', 'report', 'metrics', 'mart'];
const TAGS = ['daily', 'hourly', 'finance', 'marketing', 'ops', 'core'];

const N_STAGING_TEMPLATES = 2;
const N_SILVER_TEMPLATES = 3;
const N_GOLD_TEMPLATES = 3;

/** Builds the list of models (names, layers, refs, template choices) from the seed alone. */
export function buildShape(nModels, seed, rowsMin = 2000, rowsMax = 4000) {
  const rng = makeRng(seed);
  const nStaging = Math.max(2, Math.round(nModels * 0.1));
  const nSilver = Math.round(nModels * 0.45);
  const nGold = nModels - nStaging - nSilver;
  const models = [];
  const sources = [];
  const pad = (i, n) => String(i).padStart(String(n).length, '0');

  for (let i = 0; i < nStaging; i++) {
    const entity = ENTITIES[i % ENTITIES.length];
    const table = `${entity}_${pad(i, nStaging)}`;
    sources.push({ name: table, rows: rng.int(rowsMin, rowsMax), salt: rng.int(1, 1_000_000) });
    models.push({
      name: `stg_${entity}_${pad(i, nStaging)}`,
      layer: 'staging',
      entity,
      source: table,
      refs: [],
      template: rng.int(0, N_STAGING_TEMPLATES - 1),
      config: null,
    });
  }
  const stagingIdx = models.map((_, i) => i);
  const silverIdx = [];
  const goldIdx = [];

  const distinctPick = (count, pools) => {
    // Picks `count` distinct model indices, the first from pools[0], the rest from pools[1].
    const chosen = [];
    for (let c = 0; c < count; c++) {
      const pool = c === 0 ? pools[0] : pools[1];
      const candidates = pool.length ? pool : pools[1];
      for (let attempt = 0; attempt < 20; attempt++) {
        // Bias towards recent models so the DAG gets realistic depth.
        const r = rng.next();
        const j = candidates.length - 1 - Math.floor(r ** 2 * candidates.length);
        const idx = candidates[Math.max(0, j)];
        if (!chosen.includes(idx)) {
          chosen.push(idx);
          break;
        }
      }
    }
    return chosen;
  };

  for (let i = 0; i < nSilver; i++) {
    const entity = rng.pick(ENTITIES);
    const verb = rng.pick(SILVER_VERBS);
    const refs = distinctPick(2, [stagingIdx, [...stagingIdx, ...silverIdx]]);
    const cfgRoll = rng.next();
    models.push({
      name: `slv_${entity}_${verb}_${pad(i, nSilver)}`,
      layer: 'silver',
      entity,
      refs,
      template: rng.int(0, N_SILVER_TEMPLATES - 1),
      config: cfgRoll < 0.25 ? { tags: rng.pick(TAGS) } : null,
    });
    silverIdx.push(models.length - 1);
  }
  for (let i = 0; i < nGold; i++) {
    const entity = rng.pick(ENTITIES);
    const noun = rng.pick(GOLD_NOUNS);
    const upstream = [...silverIdx, ...goldIdx];
    const refs = distinctPick(3, [silverIdx, upstream]);
    const cfgRoll = rng.next();
    models.push({
      name: `gld_${entity}_${noun}_${pad(i, nGold)}`,
      layer: 'gold',
      entity,
      refs,
      template: rng.int(0, N_GOLD_TEMPLATES - 1),
      config: cfgRoll < 0.5 ? { materialized: 'table', tags: rng.pick(TAGS) } : null,
    });
    goldIdx.push(models.length - 1);
  }
  // Resolve ref indices to names.
  for (const m of models) m.refNames = m.refs.map((i) => models[i].name);
  return { models, sources, counts: { staging: nStaging, silver: nSilver, gold: nGold } };
}

// ---------------------------------------------------------------------------------------------
// Dialects: the SQL bodies are written once, against these helpers.

const TSDBT = {
  ref: (n) => `{{ref "${n}"}}`,
  source: (t) => `{{source "raw" "${t}"}}`,
  var: (n, d) => `{{var "${n}" ${d}}}`,
  int: 'bigint',
  int32: 'integer',
  float: 'double',
  str: 'varchar',
  ts: 'timestamp',
  dayTrunc: (c) => `date_trunc('day', ${c})`,
};

const DATAFORM = {
  ref: (n) => `\${ref("${n}")}`,
  source: (t) => `\${ref("${t}")}`,
  var: (n) => `\${dataform.projectConfig.vars.${n}}`,
  int: 'int64',
  int32: 'int64',
  float: 'float64',
  str: 'string',
  ts: 'timestamp',
  dayTrunc: (c) => `timestamp_trunc(${c}, day)`,
};

const VAR_DEFAULTS = { score_scale: 1, max_recency_rank: 1000000, min_category_rows: 0 };

function stagingSql(m, d) {
  const src = d.source(m.source);
  if (m.template === 0) {
    return `-- Typed, trimmed and de-duplicated ${m.entity} from raw.${m.source}.
with source_rows as (
    select * from ${src}
),

typed as (
    select
        cast(id as ${d.int})                      as id,
        cast(k as ${d.int32})                     as k,
        round(cast(amount as ${d.float}), 2)      as amount,
        lower(trim(category))               as category,
        cast(event_ts as ${d.ts})           as event_ts,
        coalesce(score, 0.0)                as score,
        row_number() over (partition by id order by event_ts desc) as dedup_rank
    from source_rows
    where id is not null
)

select id, k, amount, category, event_ts, score
from typed
where dedup_rank = 1
`;
  }
  return `-- ${cap(m.entity)} from raw.${m.source} with signed amounts by status.
with source_rows as (
    select * from ${src}
    where event_ts >= timestamp '2020-01-01'
)

select
    cast(id as ${d.int}) as id,
    cast(k as ${d.int32}) as k,
    case
        when status = 'refunded' then -amount
        when status = 'cancelled' then 0
        else amount
    end as amount,
    coalesce(nullif(lower(trim(category)), ''), 'unknown') as category,
    event_ts,
    score * ${d.var('score_scale', VAR_DEFAULTS.score_scale)} as score
from source_rows
`;
}

function silverSql(m, d) {
  const [a, b] = m.refNames;
  if (m.template === 0) {
    return `-- ${cap(m.entity)} ${verbOf(m)}: ${a} joined with ${b} on id, with a moving total.
with base as (
    select * from ${d.ref(a)}
),

other as (
    select id, amount as other_amount, score as other_score
    from ${d.ref(b)}
),

joined as (
    select
        base.id, base.k, base.category, base.event_ts,
        base.amount + coalesce(other.other_amount, 0) * 0.1 as amount,
        greatest(base.score, coalesce(other.other_score, 0)) as score
    from base
    left join other on base.id = other.id
)

select
    id, k, round(amount, 2) as amount, category, event_ts,
    round(score + sum(amount) over (
        partition by k order by event_ts, id rows between 3 preceding and current row
    ) / 100000.0, 4) as score
from joined
`;
  }
  if (m.template === 1) {
    return `-- ${cap(m.entity)} ${verbOf(m)}: rows of ${a} classified against per-key stats of ${b}.
with facts as (
    select * from ${d.ref(a)}
),

key_stats as (
    select k, count(*) as n_rows, avg(amount) as avg_amount, max(event_ts) as last_ts
    from ${d.ref(b)}
    group by k
),

scored as (
    select
        f.id, f.k, f.amount, f.event_ts,
        case
            when f.amount > coalesce(s.avg_amount, 0) * 1.5 then 'high'
            when f.amount < coalesce(s.avg_amount, 0) * 0.5 then 'low'
            else f.category
        end as category,
        f.score * 0.5 + coalesce(s.n_rows, 0) / 100.0 as score
    from facts f
    left join key_stats s on f.k = s.k
)

select id, k, amount, category, event_ts, score from scored
`;
  }
  return `-- ${cap(m.entity)} ${verbOf(m)}: ${a} ranked per key, categories taken from ${b}.
with a as (
    select * from ${d.ref(a)}
),

b as (
    select id, category as b_category, event_ts as b_ts from ${d.ref(b)}
),

ordered as (
    select
        a.id, a.k, a.amount, a.category, a.event_ts, a.score, b.b_category, b.b_ts,
        lag(a.amount) over (partition by a.category order by a.event_ts, a.id) as prev_amount,
        rank() over (partition by a.k order by a.amount desc) as amount_rank
    from a
    left join b on a.id = b.id
)

select
    id, k,
    round(amount - coalesce(prev_amount, 0) * 0.05, 2) as amount,
    coalesce(b_category, category) as category,
    greatest(event_ts, coalesce(b_ts, event_ts)) as event_ts,
    score + 1.0 / amount_rank as score
from ordered
`;
}

function goldSql(m, d) {
  const [a, b, c] = m.refNames;
  if (m.template === 0) {
    return `-- ${cap(m.entity)} ${nounOf(m)}: ${a} blended with ${b} and category totals of ${c}.
with facts as (
    select * from ${d.ref(a)}
),

enrich as (
    select id, amount as enrich_amount, score as enrich_score from ${d.ref(b)}
),

category_stats as (
    select category, count(*) as category_rows, sum(amount) as category_amount
    from ${d.ref(c)} group by category
),

combined as (
    select
        f.id, f.k, f.category, f.event_ts,
        f.amount * 0.7 + coalesce(e.enrich_amount, 0) * 0.3 as amount,
        f.score + coalesce(e.enrich_score, 0) * 0.1 + coalesce(cs.category_rows, 0) / 1000.0 as score
    from facts f
    left join enrich e on f.id = e.id
    left join category_stats cs on f.category = cs.category
    where coalesce(cs.category_rows, 0) >= ${d.var('min_category_rows', VAR_DEFAULTS.min_category_rows)}
)

select id, k, round(amount, 2) as amount, category, event_ts, round(score, 4) as score
from combined
`;
  }
  if (m.template === 1) {
    return `-- ${cap(m.entity)} ${nounOf(m)}: moving averages over ${a}, daily activity of ${b}, scores of ${c}.
with daily as (
    select ${d.dayTrunc('event_ts')} as event_day, sum(amount) as day_amount, count(distinct k) as active_keys
    from ${d.ref(b)}
    group by 1
),

c_scores as (
    select id, score as c_score from ${d.ref(c)} where score is not null
),

windowed as (
    select
        id, k, category, event_ts, amount, score,
        avg(amount) over (partition by category order by event_ts rows between 6 preceding and current row) as moving_avg,
        row_number() over (partition by k order by event_ts desc, id) as recency_rank
    from ${d.ref(a)}
)

select
    w.id, w.k,
    round(w.amount * 0.5 + w.moving_avg * 0.5, 2) as amount,
    case when w.recency_rank <= 3 then upper(w.category) else lower(w.category) end as category,
    w.event_ts,
    round(w.score + coalesce(c.c_score, 0) * 0.2 + coalesce(dl.active_keys, 0) / 100.0, 4) as score
from windowed w
left join daily dl on ${d.dayTrunc('w.event_ts')} = dl.event_day
left join c_scores c on w.id = c.id
where w.recency_rank <= ${d.var('max_recency_rank', VAR_DEFAULTS.max_recency_rank)}
`;
  }
  return `-- ${cap(m.entity)} ${nounOf(m)}: ${a} against the retail mix of ${b} per key and timings of ${c}.
with a as (
    select * from ${d.ref(a)}
),

mix as (
    select
        k,
        sum(case when category = 'retail' then amount else 0 end) as retail_amount,
        sum(case when category <> 'retail' then amount else 0 end) as other_amount
    from ${d.ref(b)}
    group by k
),

c as (
    select id, event_ts as c_ts, amount as c_amount from ${d.ref(c)}
)

select
    a.id, a.k,
    round(a.amount + coalesce(mix.retail_amount, 0) / 1000.0 - coalesce(c.c_amount, 0) * 0.01, 2) as amount,
    case when coalesce(mix.retail_amount, 0) > coalesce(mix.other_amount, 0) then 'retail_heavy'
         else a.category end as category,
    coalesce(least(a.event_ts, c.c_ts), a.event_ts) as event_ts,
    a.score
from a
left join mix on a.k = mix.k
left join c on a.id = c.id
`;
}

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const verbOf = (m) => m.name.split('_')[2];
const nounOf = (m) => m.name.split('_')[2];

function bodySql(m, d) {
  if (m.layer === 'staging') return stagingSql(m, d);
  if (m.layer === 'silver') return silverSql(m, d);
  return goldSql(m, d);
}

function describe(m) {
  if (m.layer === 'staging') return `Staged ${m.entity} from raw table ${m.source}, one row per id.`;
  if (m.layer === 'silver') return `${cap(m.entity)} ${verbOf(m)} from ${m.refNames.join(' and ')}; one row per id.`;
  return `${cap(m.entity)} ${nounOf(m)} built from ${m.refNames.join(', ')}; one row per id.`;
}

const COLUMNS = [
  ['id', 'Surrogate key of the row; unique and never null.'],
  ['k', 'Grouping key (0-96) shared by all models.'],
  ['amount', "Monetary amount in EUR after this model's adjustments."],
  ['category', 'Business category of the row.'],
  ['event_ts', 'When the underlying event happened (UTC).'],
  ['score', 'Derived quality score.'],
];

// ---------------------------------------------------------------------------------------------
// Emitters

function yq(s) {
  return JSON.stringify(s);
} // a JSON string is a valid YAML double-quoted scalar

function emitTsdbt(shape, out, _opts) {
  write(
    out,
    'project.yml',
    `name: bench
version: "1.0.0"
profile: bench
models:
  bench:
    staging: { +materialized: view, +schema: staging }
    silver: { +materialized: table, +schema: silver }
    gold: { +materialized: table, +schema: gold }
`,
  );
  write(out, 'profiles.yml', 'bench: {target: dev, outputs: {dev: {type: duckdb, path: target/bench.duckdb, threads: 2}}}\n');

  for (const m of shape.models) {
    let cfg = '';
    if (m.config) {
      const parts = [];
      if (m.config.materialized) parts.push(`materialized="${m.config.materialized}"`);
      if (m.config.tags) parts.push(`tags="${m.config.tags}"`);
      cfg = `{{config ${parts.join(' ')}}}\n`;
    }
    write(out, `models/${m.layer}/${m.name}.sql`, cfg + bodySql(m, TSDBT));
  }

  // Sources
  let src = 'version: 2\n\nsources:\n  - name: raw\n    schema: raw\n' + '    description: "Raw landing tables loaded by seed.sql."\n    tables:\n';
  for (const s of shape.sources) {
    src += `      - name: ${s.name}\n        description: ${yq(`Raw ${s.name.replace(/_\d+$/, '')} rows (${s.rows}).`)}\n`;
    src += '        columns:\n          - name: id\n            data_tests: [not_null, unique]\n';
  }
  write(out, 'models/staging/_sources.yml', src);

  // Properties per layer
  for (const layer of ['staging', 'silver', 'gold']) {
    let y = 'version: 2\n\nmodels:\n';
    for (const m of shape.models) {
      if (m.layer !== layer) continue;
      y += `  - name: ${m.name}\n    description: ${yq(describe(m))}\n    columns:\n`;
      for (const [col, desc] of COLUMNS) {
        y += `      - name: ${col}\n        description: ${yq(desc)}\n`;
        if (col === 'id') y += '        data_tests: [not_null, unique]\n';
        else if (col === 'k') y += '        data_tests: [not_null]\n';
      }
    }
    write(out, `models/${layer}/_${layer}.yml`, y);
  }
  write(out, 'seed.sql', seedSql(shape));
}

function seedSql(shape) {
  let s = '-- Creates the raw source tables (DuckDB). Deterministic: no random().\n' + 'create schema if not exists raw;\n';
  for (const t of shape.sources) {
    s += `create or replace table raw.${t.name} as
select
    i as id,
    cast((i * 7 + ${t.salt}) % 97 as integer) as k,
    round(((i * 2654435761 + ${t.salt}) % 100000) / 100.0, 2) as amount,
    ['  Retail', 'wholesale ', 'ONLINE', 'partner', 'Internal', ''][1 + cast((i * 13 + ${t.salt}) % 6 as integer)] as category,
    timestamp '2023-01-01' + to_seconds((i * 7919 + ${t.salt}) % 31536000) as event_ts,
    case (i + ${t.salt}) % 10 when 0 then 'refunded' when 1 then 'cancelled' else 'complete' end as status,
    case when (i + ${t.salt}) % 50 = 0 then null else ((i * 31 + ${t.salt}) % 1000) / 1000.0 end as score
from range(1, ${t.rows + 1}) r(i);
`;
  }
  return s;
}

function emitDataform(shape, out, opts) {
  write(
    out,
    'workflow_settings.yaml',
    `# dataformCoreVersion is deliberately absent: @dataform/core is pinned in package.json and
# installed into node_modules/ (with dataformCoreVersion set, the CLI copies the project to a
# temporary directory and runs \`npm i\` on every compile).
defaultProject: bench-project
defaultLocation: EU
defaultDataset: bench
defaultAssertionDataset: bench_assertions
vars:
${Object.entries(VAR_DEFAULTS)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}
`,
  );
  write(
    out,
    'package.json',
    `${JSON.stringify(
      {
        name: 'bench-dataform',
        private: true,
        dependencies: { '@dataform/core': '3.0.62' },
      },
      null,
      2,
    )}\n`,
  );
  // Install @dataform/core offline: it has no dependencies, a copy of the package is enough.
  const coreDst = path.join(out, 'node_modules', '@dataform', 'core');
  if (fs.existsSync(path.join(opts.dataformCore, 'bundle.js'))) {
    fs.mkdirSync(path.dirname(coreDst), { recursive: true });
    fs.cpSync(opts.dataformCore, coreDst, { recursive: true, dereference: true });
  } else if (!opts.quiet) {
    process.stderr.write(`generate: ${opts.dataformCore} not found; run \`npm install\` in bench/ ` + `or in ${out} before compiling\n`);
  }

  for (const s of shape.sources) {
    write(
      out,
      `definitions/sources/${s.name}.sqlx`,
      `config {
  type: "declaration",
  schema: "raw",
  name: "${s.name}",
  description: ${yq(`Raw ${s.name.replace(/_\d+$/, '')} rows (${s.rows}).`)}
}
`,
    );
  }
  for (const m of shape.models) {
    const type = m.config?.materialized ?? (m.layer === 'staging' ? 'view' : 'table');
    const cols = COLUMNS.map(([c, desc]) => `    ${c}: ${yq(desc)}`).join(',\n');
    const tags = m.config?.tags ? `  tags: ["${m.config.tags}"],\n` : '';
    const header = `config {
  type: "${type}",
  schema: "${m.layer}",
${tags}  description: ${yq(describe(m))},
  columns: {
${cols}
  },
  assertions: {
    uniqueKey: ["id"],
    nonNull: ["id", "k"]
  }
}

`;
    write(out, `definitions/${m.layer}/${m.name}.sqlx`, header + bodySql(m, DATAFORM));
  }
}

function write(root, rel, text) {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

// ---------------------------------------------------------------------------------------------

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = path.resolve(opts.out);
  const shape = buildShape(opts.models, opts.seed, opts.rowsMin, opts.rowsMax);
  // Start from an empty directory so stale models never leak into a smaller project.
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  if (opts.flavor === 'tsdbt') emitTsdbt(shape, out, opts);
  else emitDataform(shape, out, opts);

  const edges = shape.models.reduce((n, m) => n + m.refs.length, 0);
  const summary = {
    generator: GENERATOR_VERSION,
    flavor: opts.flavor,
    models: shape.models.length,
    seed: opts.seed,
    ...shape.counts,
    sources: shape.sources.length,
    refEdges: edges,
    depth: dagDepth(shape.models),
  };
  write(out, 'bench-shape.json', `${JSON.stringify(summary, null, 2)}\n`);
  if (!opts.quiet) process.stdout.write(`${JSON.stringify(summary)}\n`);
}

function dagDepth(models) {
  const depth = new Array(models.length).fill(1);
  for (let i = 0; i < models.length; i++) {
    for (const r of models[i].refs) depth[i] = Math.max(depth[i], depth[r] + 1);
  }
  return Math.max(...depth);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
