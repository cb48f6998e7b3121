import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parseFastTemplate, renderFastTemplate } from './fast-template.js';

// The fast path must render exactly what Handlebars renders, for every template it accepts.
function both(source: string) {
  const hb = Handlebars.create();
  const calls: unknown[][] = [];
  hb.registerHelper('ref', (...args: unknown[]) => {
    const options = args.pop() as { hash: Record<string, unknown> };
    calls.push([...args, options.hash]);
    return `<${args.join('.')}>`;
  });
  hb.registerHelper('config', () => '');
  const context = { target: { name: 'dev' } };
  const viaHandlebars = hb.compile(source, { noEscape: true, strict: true })(context);
  const fast = parseFastTemplate(source);
  const viaFast = fast ? renderFastTemplate(fast, { helpers: hb.helpers, unknownName: (n) => new Error(n) }, context).text : undefined;
  return { viaHandlebars, viaFast, fast, calls };
}

describe('fast template path', () => {
  it.each([
    'select * from {{ref "a"}} join {{ref \'b\'}}',
    '{{config materialized="table" tags="x,y" enabled=true}}\nselect {{target.name}} as t, 1',
    "select '{{ref \"q\"}}' as quoted, \"x\" from {{ ref 'pkg' 'm' }}",
    'select 1 -- no templates at all',
  ])('renders like Handlebars: %s', (source) => {
    const { viaHandlebars, viaFast, fast } = both(source);
    expect(fast).toBeDefined();
    expect(viaFast).toBe(viaHandlebars);
  });

  it.each([
    '{{#if x}}a{{/if}}',
    '{{> partial}}',
    '{{! comment }}',
    '{{~ref "a"}}',
    '{{{ref "a"}}}',
    '\\{{ref "a"}}',
    '{{ref (concat "a" "b")}}',
    'select {{ref "a"',
  ])('leaves %s to Handlebars', (source) => {
    expect(parseFastTemplate(source)).toBeUndefined();
  });

  it('passes literals of every kind and the hash to helpers', () => {
    const { calls } = both('{{ref "a" 2 true key=3 other="s"}}');
    expect(calls[0]).toEqual(['a', 2, true, { key: 3, other: 's' }]);
  });

  it('reports the line and column of each mustache', () => {
    const fast = parseFastTemplate('select 1\nfrom {{ref "a"}}')!;
    expect(fast[1]).toMatchObject({ name: 'ref', line: 2, column: 5 });
  });
});
