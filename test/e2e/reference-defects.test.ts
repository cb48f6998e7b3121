import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckdb, runTsdbt } from '../helpers/tmp-project.js';

// The CI gate on the reference project: a temporary copy with seeded defects must fail the build,
// name the failing tests, skip what depends on them, and report exactly them in JUnit.
const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let result: Awaited<ReturnType<typeof runTsdbt>>;

const XLS = 'lake/eco2mix_national_tr_xls/eCO2mix_RTE_En-cours-TR_2024-04.xls';

function editLatin1(path: string, edit: (text: string) => string): void {
  writeFileSync(path, Buffer.from(edit(readFileSync(path).toString('latin1')), 'latin1'));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsdbt-defects-'));
  for (const path of ['models', 'lake', 'macros', 'seeds', 'snapshots', 'tests', 'project.yml', 'profiles.yml']) {
    if (existsSync(join(repo, path))) cpSync(join(repo, path), join(dir, path), { recursive: true });
  }
  // A NULL key and a duplicate in the reference seeds.
  editLatin1(join(dir, 'seeds/regions.csv'), (csv) => `${csv.trimEnd()}\n,Atlantide,,true\n`);
  editLatin1(join(dir, 'seeds/pays.csv'), (csv) => {
    const lines = csv.trimEnd().split('\n');
    return `${[...lines, lines[1]!].join('\n')}\n`;
  });
  editLatin1(join(dir, XLS), (text) =>
    text
      // An impossible consumption (out of range) ...
      .replace(/(\t2024-04-02\t01:30\t)46421\t/, '$1999999\t')
      // ... and a missing quarter-hour in a complete day.
      .replace(/France\tDonnées temps réel\t2024-04-02\t02:00\t[^\n]*\n/, ''),
  );
  result = await runTsdbt(dir, ['build']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const results = () =>
  JSON.parse(readFileSync(join(dir, 'target/run_results.json'), 'utf8')).results as Array<{
    unique_id: string;
    status: string;
    failures: number | null;
    message: string;
  }>;
const testName = (id: string) => id.split('.')[2]!;

describe('seeded defects in the reference project', () => {
  it('make tsdbt build exit 1 and name the failing tests', () => {
    expect(result.code).toBe(1);
    const failed = results()
      .filter((r) => r.status === 'fail')
      .map((r) => testName(r.unique_id))
      .sort();
    expect(failed).toEqual([
      // consommation_mw out of [20000, 110000]: a dbt name of 64+ characters, shortened with a hash
      'accepted_range_silver_eco2mix__145f24f04cda62713a3d028b75df2090',
      // the file has one line fewer than the audit seed expects
      'audit_bronze_egal_lignes_attendues',
      // consumption no longer balances production + pumping + exchanges
      'national_bilan_consommation_production',
      // the missing quarter-hour
      'national_quarts_heure_consecutifs',
      // the NULL key
      'not_null_regions_code_insee_region',
      // the duplicated country row
      'unique_pays_code_pays',
      'unique_pays_libelle_rte',
    ]);
    for (const name of failed) expect(result.stderr).toContain(`FAIL in test ${name}`);
  });

  it('skip the models downstream of a failing test', () => {
    const byName = new Map(results().map((r) => [r.unique_id.split('.').slice(0, 3).join('.'), r]));
    expect(byName.get('model.eco2mix.mix_energetique_quotidien')).toMatchObject({ status: 'skipped' });
    expect(byName.get('model.eco2mix.mix_energetique_quotidien')!.message).toMatch(/^skipped: upstream test \w+ failed$/);
  });

  it('report exactly those failures in target/junit.xml', () => {
    const xml = readFileSync(join(dir, 'target/junit.xml'), 'utf8');
    const failedInJunit = [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]+)"[^>]*>\s*<failure /g)].map((m) => m[1]).sort();
    const failedInResults = results()
      .filter((r) => r.status === 'fail')
      .map((r) => testName(r.unique_id))
      .sort();
    expect(failedInJunit).toEqual(failedInResults);
    expect(xml).toMatch(new RegExp(`<testsuites name="tsdbt" tests="\\d+" failures="${failedInResults.length}" errors="0"`));
    // The out-of-range value is in the failure's sample of failing rows.
    expect(xml).toContain('999999');
  });

  it('leave the models of the clean lake untouched', async () => {
    const [row] = await queryDuckdb(join(dir, 'target/dev.duckdb'), `select count(*)::int as n from bronze.bronze_eco2mix_national_tr`);
    expect(row).toEqual({ n: 1151 });
  });
});
