import { describe, expect, it } from 'vitest';
import { handlebarsFor, translateJinja } from './to-handlebars.js';

const translate = (source: string, macros: string[] = []) => translateJinja(source, { projectMacros: new Set(macros) });

describe('Jinja → Handlebars', () => {
  it.each([
    ["{{ ref('orders') }}", '{{ref "orders"}}'],
    ["{{ ref('shop', 'orders') }}", '{{ref "shop" "orders"}}'],
    ["{{ source('raw', 'orders') }}", '{{source "raw" "orders"}}'],
    ["{{ var('start', '2024-01-01') }}", '{{var "start" "2024-01-01"}}'],
    ["{{ env_var('USER') }}", '{{env "USER"}}'],
    ['{{ this }}', '{{this}}'],
    ['{{ target.name }}', '{{target.name}}'],
    [
      "{{ config(materialized='table', tags=['a', 'b'], partition_by={'field': 'day'}) }}",
      '{{config materialized="table" tags=(list "a" "b") partition_by=(dict field="day")}}',
    ],
    ['{% if is_incremental() %}x{% endif %}', '{{#if (is_incremental)}}x{{/if}}'],
    [
      "{% if target.name == 'prod' %}p{% elif target.name != 'ci' %}d{% else %}c{% endif %}",
      '{{#if (eq target.name "prod")}}p{{else if (ne target.name "ci")}}d{{else}}c{{/if}}',
    ],
    ['{% if not is_incremental() %}full{% endif %}', '{{#unless (is_incremental)}}full{{/unless}}'],
    ['{% if a_var is defined %}x{% endif %}', undefined],
    ['{# note #}select 1', '{{!-- note --}}select 1'],
    ["{{ dbt_utils.generate_surrogate_key(['id', 'day']) }}", '{{generate_surrogate_key "id" "day"}}'],
    ["{{ dbt.datediff('a', 'b', 'day') }}", '{{datediff "day" "a" "b"}}'],
    ["{{ dbt_utils.star(from=ref('x'), except=['a']) }}", '{{star except=(list "a")}}'],
    ["{{ dbt_utils.get_column_values(ref('x'), 'c') }}", undefined],
  ])('%s', (jinja, handlebars) => {
    expect(handlebarsFor(jinja)).toBe(handlebars);
  });

  it('inlines a set list into a for loop with block parameters and loop.last', () => {
    const { text, problems } = translate(
      "{%- set methods = ['card', 'cash'] -%}\nselect\n{% for m in methods %}sum(case when method = '{{ m }}' then amount end) as {{ m }}_amount{% if not loop.last %},{% endif %}\n{% endfor %}from {{ ref('payments') }}",
    );
    expect(problems).toEqual([]);
    expect(text).toBe(
      'select\n{{#each (list "card" "cash") as |m|}}sum(case when method = \'{{m}}\' then amount end) as {{m}}_amount{{#unless @last}},{{/unless}}\n{{/each}}from {{ref "payments"}}',
    );
  });

  it('reads target through @root inside a loop, where the context is the item', () => {
    expect(translate("{% for c in ['a'] %}{{ target.schema }}.{{ this }}{% endfor %}").text).toBe(
      '{{#each (list "a") as |c|}}{{@root.target.schema}}.{{@root}}{{/each}}',
    );
  });

  it('turns macro definitions into tsdbt macros with their defaults, and calls into helper calls', () => {
    const { text, macros, problems } = translate(
      '{% macro cents_to_dollars(column_name, scale=2) %}\n    ({{ column_name }} / 100)::numeric(16, {{ scale }})\n{% endmacro %}',
    );
    expect(problems).toEqual([]);
    expect(text).toBe('');
    expect(macros).toEqual([
      {
        name: 'cents_to_dollars',
        kind: 'macro',
        params: [{ name: 'column_name' }, { name: 'scale', default: '2' }],
        body: '\n    ({{column_name}} / 100)::numeric(16, {{scale}})\n',
        line: 1,
      },
    ]);
    expect(translate("select {{ cents_to_dollars('amount', scale=4) }}", ['cents_to_dollars']).text).toBe('select {{cents_to_dollars "amount" scale=4}}');
  });

  it("chooses adapter.dispatch implementations on the target's type", () => {
    const { macros } = translate("{% macro money(c) %}{{ return(adapter.dispatch('money')(c)) }}{% endmacro %}", ['money', 'duckdb__money', 'default__money']);
    expect(macros[0]!.body).toBe('{{#if (eq @root.target.type "duckdb")}}{{duckdb__money c}}{{else}}{{default__money c}}{{/if}}');
  });

  it('reads dbt test blocks as generic tests', () => {
    const { macros } = translate('{% test is_even(model, column_name) %}\nselect * from {{ model }} where {{ column_name }} % 2 = 1\n{% endtest %}');
    expect(macros).toMatchObject([{ name: 'is_even', kind: 'test', body: '\nselect * from {{model}} where {{column_name}} % 2 = 1\n' }]);
  });

  it('leaves what it cannot translate as Jinja, and says where and what to do', () => {
    const { text, problems } = translate("select 1\n{% set rows = run_query('select 1') %}\nfrom {{ ref('x') | upper }}\n{% do log('x') %}");
    expect(text).toBe("select 1\n{% set rows = run_query('select 1') %}\nfrom {{ ref('x') | upper }}\n{{ __do__(log('x')) }}");
    expect(problems).toEqual([
      { line: 2, column: 1, construct: '{% set rows = … %} of a computed value', todo: expect.stringContaining('only literals and lists of literals') },
      { line: 3, column: 6, construct: 'the filter | upper', todo: expect.stringContaining('Jinja filters have no tsdbt equivalent') },
      { line: 4, column: 1, construct: '{% do … %}', todo: expect.stringContaining('move the logic into a JS helper') },
    ]);
  });
});
