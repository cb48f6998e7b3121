/** dbt's doc blocks: `{% docs %}` in Markdown files, `doc()` in YAML descriptions. */
import { describe, expect, it } from 'vitest';
import { manifestViolations, schemasPresent } from '../helpers/dbt-schemas.js';
import { createTmpProject, queryDuckdb, runTsdbt, STACK_LINE } from '../helpers/tmp-project.js';

const DOCS = `# Shop documentation

{% docs orders_table %}
One row per **order**, as the shop exports it.
{% enddocs %}

{%- docs order_id -%}
The order's number.
{%- enddocs -%}
`;

const files = (description: string) => ({
  'lake/orders.csv': 'id,amount\n1,10\n',
  'models/docs/shop.md': DOCS,
  'models/orders.sql': '{{config materialized="table"}}\nselect * from {{source "shop" "orders"}}\n',
  'models/schema.yml': `version: 2
sources:
  - name: shop
    description: 'Exports of the shop: {{ doc("orders_table") }}'
    tables:
      - name: orders
        external: {location: lake/orders.csv}
        description: '{{ doc("orders_table") }}'
models:
  - name: orders
    description: ${description}
    config:
      persist_docs: {relation: true, columns: true}
    columns:
      - name: id
        description: "{{doc 'order_id'}}"
      - name: amount
        description: 'Amount, see {{doc "order_id"}}'
`,
});

describe('doc blocks', () => {
  it('resolves doc() in every description, in both forms, and lists the blocks in the manifest', async () => {
    const project = createTmpProject(files(`'{{ doc("orders_table") }}'`));
    const result = await runTsdbt(project.dir, ['build']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const manifest = project.json('target/manifest.json');
    const orders = manifest.nodes['model.demo.orders'];
    expect(orders.description).toBe('One row per **order**, as the shop exports it.');
    expect(orders.columns.id.description).toBe("The order's number.");
    expect(orders.columns.amount.description).toBe("Amount, see The order's number.");
    expect(manifest.sources['source.demo.shop.orders']).toMatchObject({
      description: 'One row per **order**, as the shop exports it.',
      source_description: 'Exports of the shop: One row per **order**, as the shop exports it.',
    });
    expect(manifest.docs['doc.demo.order_id']).toEqual({
      unique_id: 'doc.demo.order_id',
      resource_type: 'doc',
      package_name: 'demo',
      name: 'order_id',
      path: 'docs/shop.md',
      original_file_path: 'models/docs/shop.md',
      block_contents: "The order's number.",
    });
    if (schemasPresent) expect(manifestViolations(manifest)).toEqual([]);
    // persist_docs writes the resolved text.
    const [comment] = await queryDuckdb(project.dbPath, "select comment from duckdb_tables() where table_name = 'orders'");
    expect(comment).toEqual({ comment: 'One row per **order**, as the shop exports it.' });
  });

  it('refuses an unknown doc name at its description, with the closest block', async () => {
    const project = createTmpProject(files(`'{{ doc("order_table") }}'`));
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(STACK_LINE);
    expect(result.stderr).toContain('error models/schema.yml:11:18: unknown doc block "order_table"');
    expect(result.stderr).toContain('hint: did you mean "orders_table"?');
  });

  it('refuses a block defined twice, and one never closed', async () => {
    const project = createTmpProject({
      ...files("'plain'"),
      'models/more.md': '{% docs order_id %}again{% enddocs %}\n\n{% docs open_block %}\nno end\n',
    });
    const result = await runTsdbt(project.dir, ['compile']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error models/more.md:1: doc block "order_id" is defined twice: in models/docs/shop.md and models/more.md');
    expect(result.stderr).toContain('error models/more.md:3: doc block without its {% enddocs %}, or without a name');
  });
});
