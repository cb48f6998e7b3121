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
