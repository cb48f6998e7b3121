import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { countLines, embeddable, joinWithLines, lineMarker, markLines, readMarkedLines } from './line-map.js';

/** Renders with and without line markers: the text must be identical, and the origins are returned. */
function renderBoth(source: string, context: Record<string, unknown> = {}) {
  const hb = Handlebars.create();
  hb.registerPartial('part', 'p1\np2');
  const plain = hb.compile(source, { noEscape: true })(context);
  const ast = hb.parseWithoutProcessing(source);
  const mark = (node: hbs.AST.Node | null | undefined): void => {
    if (!node) return;
    if (node.type === 'Program') (node as hbs.AST.Program).body.forEach(mark);
    else if (node.type === 'ContentStatement') {
      const content = node as hbs.AST.ContentStatement;
      content.value = markLines(content.value, content.loc.start.line);
    } else if ('program' in node) {
      mark((node as hbs.AST.BlockStatement).program);
      mark((node as hbs.AST.BlockStatement).inverse);
    }
  };
  mark(ast);
  const marked = readMarkedLines(hb.compile(ast, { noEscape: true })(context));
  return { plain, marked };
}

describe('line markers', () => {
  it.each([
    ['standalone block lines', 'select\n{{#if on}}\n  a,\n{{/if}}\n  b\nfrom t'],
    ['an else branch', 'select\n{{#if off}}\n  a\n{{else}}\n  b\n{{/if}}\nfrom t'],
    ['whitespace control', 'select\n  {{~#if on~}}\n  a\n  {{~/if}}\nfrom t'],
    ['each over a list', 'select\n{{#each cols}}\n  {{this}},\n{{/each}}\n  1\nfrom t'],
    ['a standalone comment', 'select 1\n{{!-- why --}}\nfrom t'],
    ['a partial on its own line', 'select\n  {{> part}}\nfrom t'],
    ['blank lines around blocks', 'a\n\n{{#if on}}\n\nb\n\n{{/if}}\n\nc'],
  ])('leave the output of %s unchanged', (_name, source) => {
    const { plain, marked } = renderBoth(source, { on: true, off: false, cols: ['x', 'y'] });
    expect(marked.text).toBe(plain);
  });

  it('give each output line the template line it starts on', () => {
    const { marked } = renderBoth('select\n{{#if on}}\n  a,\n{{/if}}\n  b\nfrom t', { on: true });
    expect(marked.text.split('\n')).toEqual(['select', '  a,', '  b', 'from t']);
    expect(marked.origins.slice(0, 4)).toEqual([1, 3, 5, 6]);
  });

  it('repeat the lines of a loop body for every item', () => {
    const { marked } = renderBoth('select\n{{#each cols}}\n  {{this}},\n{{/each}}\n  1', { cols: ['x', 'y'] });
    expect(marked.text.split('\n')).toEqual(['select', '  x,', '  y,', '  1']);
    expect(marked.origins.slice(0, 4)).toEqual([1, 3, 3, 5]);
  });

  it('encode any line number in space characters only', () => {
    expect(lineMarker(1207)).toMatch(/^\s+$/);
    expect(readMarkedLines(`a\n${lineMarker(1207)}b`).origins).toEqual([1, 1207]);
  });
});

describe('joining and embedding', () => {
  it('keeps the origin of a line continued by the next piece', () => {
    const joined = joinWithLines([
      { text: 'with ', lines: [7] },
      {
        text: 'x as (\nselect 1\n)',
        lines: [
          { file: 'e.sql', line: 1 },
          { file: 'e.sql', line: 2 },
          { file: 'e.sql', line: 3 },
        ],
      },
      { text: '\nselect * from x', lines: [9, 10] },
    ]);
    expect(joined.text).toBe('with x as (\nselect 1\n)\nselect * from x');
    expect(joined.lines).toEqual([7, { file: 'e.sql', line: 2 }, { file: 'e.sql', line: 3 }, 10]);
  });

  it('drops leading blank lines and a trailing semicolon with their origins', () => {
    expect(embeddable({ text: '\n\n  select 1\nfrom t;\n', lines: [1, 2, 3, 4, 5] })).toEqual({ text: 'select 1\nfrom t', lines: [3, 4, 5] });
    expect(countLines('a\nb\n')).toBe(2);
  });
});
