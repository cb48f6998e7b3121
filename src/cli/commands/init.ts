import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeArtifactFile } from '../../artifacts/write-file.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { CommandContext } from '../command.js';
import type { Flags } from '../flags.js';
import { howToRun } from '../how-to-run.js';

/** `tsdbt init [dir]`: a project that builds on DuckDB straight away. */
export async function initCommand(flags: Flags, { reporter }: CommandContext): Promise<number> {
  const dir = resolve(flags.args[0] ?? '.');
  if (existsSync(dir) && readdirSync(dir).some((f) => ['project.yml', 'models', 'profiles.yml'].includes(f))) {
    throw new TsdbtError(`${dir} already holds a project`, {
      code: 'E_INIT_EXISTS',
      kind: 'usage',
      hint: 'choose an empty or new folder: tsdbt init my_project',
    });
  }
  const name =
    basename(dir)
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^(\d)/, '_$1') || 'my_project';
  const files = scaffold(name);
  for (const [path, content] of Object.entries(files)) writeArtifactFile(join(dir, path), content);
  reporter.onInfo(`Created project "${name}" in ${dir}:`);
  for (const path of Object.keys(files)) reporter.onInfo(`  ${path}`);
  const run = howToRun(dir);
  reporter.onInfo(`Next: cd ${flags.args[0] ?? '.'} && ${run.command} build`);
  if (run.install) reporter.onInfo(`  (${run.install})`);
  return 0;
}

function scaffold(name: string): Record<string, string> {
  return {
    'project.yml': `name: ${name}
version: "0.1.0"
profile: ${name}

model-paths: [models]
seed-paths: [seeds]
macro-paths: [macros]
test-paths: [tests]

models:
  ${name}:
    staging:
      +materialized: view
      +schema: staging
    marts:
      +materialized: table
      +schema: marts
`,
    'profiles.yml': `${name}:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: target/dev.duckdb
      threads: 2
`,
    'seeds/countries.csv': 'code,name\nFR,France\nDE,Germany\nES,Spain\n',
    'models/staging/stg_countries.sql': `select
  upper(code) as country_code,
  name as country_name
from {{ref "countries"}}
`,
    'models/marts/country_count.sql': `{{config materialized="table"}}
select count(*) as countries
from {{ref "stg_countries"}}
`,
    'models/schema.yml': `version: 2
models:
  - name: stg_countries
    description: One row per country.
    columns:
      - name: country_code
        description: ISO 3166-1 alpha-2 code.
        data_tests: [not_null, unique]
  - name: country_count
    description: How many countries we know.
`,
    'macros/.gitkeep': '',
    'tests/.gitkeep': '',
    '.gitignore': 'target/\n',
  };
}
