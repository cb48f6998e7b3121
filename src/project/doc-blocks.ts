import type { ProjectConfig } from '../config/project-config.js';
import { readTextFile } from '../config/text-file.js';
import { didYouMean } from '../errors/suggest.js';
import { type Diagnostics, type SourceLocation, TsdbtError } from '../errors/tsdbt-error.js';
import { discoverFiles } from './discover.js';

/** A `{% docs name %}…{% enddocs %}` block of a Markdown file, as dbt reads them. */
export interface DocBlock {
  name: string;
  originalFilePath: string;
  /** The block's text, trimmed as dbt trims it. */
  contents: string;
}

const BLOCK = /\{%-?\s*docs\s+([A-Za-z_][\w]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g;
const OPENER = /\{%-?\s*docs\b/g;

/** The doc blocks of the project's .md files: under docs-paths, or every resource folder as in dbt. */
export function loadDocBlocks(config: ProjectConfig, diagnostics: Diagnostics): DocBlock[] {
  const roots =
    config.docsPaths.length > 0
      ? config.docsPaths
      : [...config.modelPaths, ...config.seedPaths, ...config.macroPaths, ...config.testPaths, ...config.analysisPaths, ...config.snapshotPaths];
  const blocks: DocBlock[] = [];
  const seen = new Map<string, string>();
  for (const file of discoverFiles(config.projectDir, [...new Set(roots)], ['.md'])) {
    let text: string;
    try {
      text = readTextFile(file.absolutePath, file.projectPath);
    } catch (error) {
      diagnostics.add(error as TsdbtError);
      continue;
    }
    const closed = new Set<number>();
    for (const match of text.matchAll(BLOCK)) {
      closed.add(match.index);
      const name = match[1]!;
      const at = lineOf(text, match.index);
      const earlier = seen.get(name);
      if (earlier) {
        diagnostics.add(
          new TsdbtError(`doc block "${name}" is defined twice: in ${earlier} and ${file.projectPath}`, {
            code: 'E_DOC_BLOCK',
            kind: 'project',
            location: { file: file.projectPath, line: at },
            hint: 'doc block names are unique across the project: rename one',
          }),
        );
        continue;
      }
      seen.set(name, file.projectPath);
      blocks.push({ name, originalFilePath: file.projectPath, contents: match[2]!.trim() });
    }
    for (const opener of text.matchAll(OPENER)) {
      if (closed.has(opener.index)) continue;
      diagnostics.add(
        new TsdbtError('doc block without its {% enddocs %}, or without a name', {
          code: 'E_DOC_BLOCK',
          kind: 'project',
          location: { file: file.projectPath, line: lineOf(text, opener.index) },
          hint: 'write {% docs name %} … {% enddocs %}',
        }),
      );
    }
  }
  return blocks;
}

// {{ doc("name") }} as dbt users write it in YAML, {{doc "name"}} as tsdbt templates do; dbt's
// two-argument form names the package first.
const DOC_CALL = /\{\{-?\s*doc\s*(?:\(\s*(?:["'][\w-]+["']\s*,\s*)?["']([^"']+)["']\s*\)|\s+["']([^"']+)["'])\s*-?\}\}/g;

/**
 * Resolves the doc() calls of descriptions. An unknown name is an error at the description,
 * with the closest block's name.
 */
export function createDescriber(blocks: readonly DocBlock[], diagnostics: Diagnostics): (text: string | undefined, at: () => SourceLocation) => string {
  const byName = new Map(blocks.map((b) => [b.name, b]));
  return (text, at) => {
    if (!text?.includes('doc')) return text ?? '';
    return text.replace(DOC_CALL, (call, quoted: string | undefined, plain: string | undefined) => {
      const name = quoted ?? plain!;
      const block = byName.get(name);
      if (block) return block.contents;
      diagnostics.add(
        new TsdbtError(`unknown doc block "${name}"`, {
          code: 'E_UNKNOWN_DOC',
          kind: 'project',
          location: at(),
          hint:
            didYouMean(name, byName.keys()) ??
            (byName.size === 0 ? 'define it in a .md file beside the models: {% docs name %} … {% enddocs %}' : `doc blocks: ${[...byName.keys()].join(', ')}`),
        }),
      );
      return call;
    });
  };
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
