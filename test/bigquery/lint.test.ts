import { describe, expect, it } from 'vitest';
import { createTmpProject, runTsdbt } from '../helpers/tmp-project.js';

describe('compile --target with BigQuery', () => {
  it('warns about DuckDB-only SQL in a model, with its compiled line and the portable helper', async () => {
    const project = createTmpProject({
      'profiles.yml': 'demo:\n  target: prod\n  outputs:\n    prod: {type: bigquery, project: my-project, dataset: analytics, method: oauth}\n',
      'models/m.sql': 'select 1 as a,\n  x::int as y\nfrom {{ref "n"}}\n',
      'models/n.sql': 'select {{safe_cast "\'1\'" "int"}} as x\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'warning: models/m.sql (compiled target/compiled/demo/models/m.sql:2:4): DuckDB-only ::cast ::i: write {{cast "expr" "type"}} (CAST(expr AS type))\n',
    );
    expect(project.read('target/compiled/demo/models/n.sql')).toBe("select SAFE_CAST('1' AS INT64) as x\n");
  });
});

describe('compile --target with BigQuery: SQL that gives another result there', () => {
  it('warns about raw GREATEST, CONCAT, EXTRACT(WEEK), REGEXP_REPLACE and MD5, not about the helpers that render them', async () => {
    const project = createTmpProject({
      'profiles.yml': 'demo:\n  target: prod\n  outputs:\n    prod: {type: bigquery, project: my-project, dataset: analytics, method: oauth}\n',
      'models/raw.sql':
        "select greatest(a, 0) as g,\n  concat(b, 'x') as c,\n  extract(week from d) as w,\n  regexp_replace(b, 'a', 'b') as r,\n  md5(b) as h\nfrom {{ref \"n\"}}\n",
      'models/helpers.sql':
        'select {{greatest "a" "0"}} as g, {{least "a" "0"}} as l, {{concat "b" "\'x\'"}} as c, {{extract "week" "d"}} as w, {{hash "b"}} as h\nfrom {{ref "n"}}\n',
      'models/n.sql': 'select 1 as a, \'b\' as b, {{cast "\'2024-01-01\'" "date"}} as d\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(0);
    const warnings = result.stderr.trim().split('\n');
    expect(warnings.map((w) => w.replace(/: (a NULL|ISO|DuckDB replaces|hex).*/, ''))).toEqual([
      'warning: models/raw.sql (compiled target/compiled/demo/models/raw.sql:1:8): GREATEST/LEAST greatest( gives another result on BigQuery',
      'warning: models/raw.sql (compiled target/compiled/demo/models/raw.sql:2:3): CONCAT concat( gives another result on BigQuery',
      'warning: models/raw.sql (compiled target/compiled/demo/models/raw.sql:3:3): EXTRACT(WEEK) extract(week gives another result on BigQuery',
      'warning: models/raw.sql (compiled target/compiled/demo/models/raw.sql:4:3): REGEXP_REPLACE regexp_replace( gives another result on BigQuery',
      'warning: models/raw.sql (compiled target/compiled/demo/models/raw.sql:5:3): MD5 md5( gives another result on BigQuery',
    ]);
    expect(warnings[0]).toContain('write {{greatest "a" "b"}} / {{least "a" "b"}} (NULLs skipped on both)');
  });
});
