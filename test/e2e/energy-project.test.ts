import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactViolations, manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

// The reference project itself (models/, lake/, project.yml, profiles.yml), built from a copy so
// the tests never touch the developer's target/ folder.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const realLake = resolve(repo, '../shared/data');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-energy-'));
  for (const path of ['models', 'lake', 'macros', 'seeds', 'snapshots', 'tests', 'project.yml', 'profiles.yml']) {
    if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function counts(db: string) {
  const [row] = await queryDuckdb(
    db,
    `select
    (select count(*) from bronze.bronze_eco2mix_national_tr)::int as bronze,
    (select count(*) from bronze.bronze_eco2mix_rejected_lines)::int as rejected,
    (select count(*) from silver.silver_eco2mix_national_15min)::int as silver,
    (select count(*) - count(distinct ts_utc) from silver.silver_eco2mix_national_15min)::int as duplicate_instants,
    (select count(*) from gold.mix_energetique_quotidien)::int as days,
    (select count(*) from gold.mix_energetique_quotidien where journee_complete and nb_quarts_heure <> nb_quarts_heure_attendus)::int as incomplete_complete_days,
    (select max(abs(part_nucleaire_pct + part_eolien_pct + part_solaire_pct + part_hydraulique_pct + part_bioenergies_pct + part_gaz_pct + part_fioul_pct + part_charbon_pct - 100)) from gold.mix_energetique_quotidien) < 1e-9 as shares_sum_to_100`,
  );
  return row;
}

describe('the eCO2mix reference project', () => {
  it('builds on the committed sample lake (the README main job)', async () => {
    const result = await runTsdbt(dir, ['build']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await counts(join(dir, 'target/dev.duckdb'))).toEqual({
      bronze: 1152,
      rejected: 11,
      silver: 930,
      duplicate_instants: 0,
      days: 11,
      incomplete_complete_days: 0,
      shares_sum_to_100: true,
    });
    // DST: the spring-forward day has 92 real quarter-hours, not 96 with RTE's copies.
    const [spring] = await queryDuckdb(
      join(dir, 'target/dev.duckdb'),
      `select nb_quarts_heure::int as n from gold.mix_energetique_quotidien where date_locale = date '2024-03-31'`,
    );
    expect(spring).toEqual({ n: 92 });
  });

  it.skipIf(!schemasPresent)("writes artifacts valid against dbt's JSON schemas (0 violations)", async () => {
    const freshness = await runTsdbt(dir, ['source', 'freshness']);
    expect(freshness.code).toBe(0);
    const read = (file: string) => JSON.parse(readFileSync(join(dir, 'target', file), 'utf8'));
    const manifest = read('manifest.json');
    expect(Object.keys(manifest.nodes).length).toBeGreaterThan(300);
    expect(manifestViolations(manifest)).toEqual([]);
    expect(artifactViolations('run-results_v6.json', read('run_results.json'))).toEqual([]);
    expect(artifactViolations('sources_v3.json', read('sources.json'))).toEqual([]);
  });

  const hasRealData = existsSync(join(realLake, 'eco2mix_national_tr_xls'));
  if (!hasRealData) console.warn(`[energy-project] ${realLake} not found: the real-data build test is skipped`);

  it.skipIf(!hasRealData)('builds the same models over the real RTE downloads (--target real)', async () => {
    const result = await runTsdbt(dir, ['build', '--target', 'real'], { env: { TSDBT_REAL_LAKE: realLake } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // PROVENANCE.md: 6 720 national data rows; one disclaimer line per RTE file (60 files).
    expect(await counts(join(dir, 'target/real.duckdb'))).toMatchObject({
      bronze: 6720,
      rejected: 60,
      duplicate_instants: 0,
      incomplete_complete_days: 0,
      shares_sum_to_100: true,
    });
  });
});
