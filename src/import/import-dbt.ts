import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { definedMacros, translateJinja, type TranslatedMacro, type Untranslated } from '../compile/jinja/to-handlebars.js';
import { onFile } from '../errors/file-system.js';
import { openProject } from '../api/open-project.js';
import { DiagnosticsError, TsdbtError } from '../errors/tsdbt-error.js';

/** Something the import could not do, where it is in the imported project, and what to do. */
export interface ImportProblem extends Untranslated {
  /** The file in the output project (the same relative path as in the dbt project, or the macro's new file). */
  file: string;
}

export interface ImportOutcome {
  outDir: string;
  /** Files written, by what happened to them. */
  counts: { translated: number; macros: number; copied: number };
  problems: ImportProblem[];
  /** What became of each package of packages.yml. */
  packages: Array<{ name: string; note: string }>;
  reportPath: string;
}

/** Folders of a dbt project that are never part of it. */
const SKIPPED = new Set(['target', 'dbt_packages', 'dbt_modules', 'logs', 'node_modules', '.git', '.venv', 'venv', '__pycache__']);

/** What tsdbt offers for dbt hub packages. */
const PACKAGES: Record<string, string> = {
  'dbt-labs/dbt_utils':
    'its tests are built in (dbt_utils.x and x) and its generators are helpers (generate_surrogate_key, star, date_spine, union_relations, pivot); macros that query the warehouse while compiling are not',
  'calogica/dbt_expectations': 'its most used tests are built in, under dbt_expectations.x and their plain names',
  'metaplane/dbt_expectations': 'its most used tests are built in, under dbt_expectations.x and their plain names',
  'calogica/dbt_date': 'date_spine and the date arithmetic helpers are built in; the other dbt_date macros are not',
};

/**
 * `tsdbt import dbt <dir> --out <dir>`: a tsdbt project from a dbt project. YAML, seeds and docs
 * are copied as they are (tsdbt reads them); SQL models, analyses, singular tests, macros and
 * generic tests are translated from Jinja to Handlebars; IMPORT.md lists what is left to do.
 */
export async function importDbtProject(from: string, out: string): Promise<ImportOutcome> {
  const source = resolve(from);
  const outDir = resolve(out);
  if (!existsSync(join(source, 'dbt_project.yml'))) {
    throw new TsdbtError(`${source} is not a dbt project: it has no dbt_project.yml`, {
      code: 'E_IMPORT',
      kind: 'usage',
      hint: 'give the folder that holds dbt_project.yml: tsdbt import dbt path/to/dbt-project --out new-folder',
    });
  }
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new TsdbtError(`${outDir} is not empty`, { code: 'E_IMPORT', kind: 'usage', hint: 'import into a new or empty folder' });
  }

  const projectFile = parseDocument(readFileSync(join(source, 'dbt_project.yml'), 'utf8'));
  const paths = (key: string, fallback: string[]) => {
    const value = projectFile.get(key);
    return isSeq(value) ? value.items.map((item) => String(isScalar(item) ? item.value : item)) : fallback;
  };
  const roots = {
    models: paths('model-paths', ['models']),
    macros: paths('macro-paths', ['macros']),
    tests: paths('test-paths', ['tests']),
    analyses: paths('analysis-paths', ['analyses']),
    snapshots: paths('snapshot-paths', ['snapshots']),
  };
  const under = (file: string, folders: string[]) => folders.some((folder) => file === folder || file.startsWith(`${folder.replace(/\/$/, '')}/`));

  const files = listFiles(source);
  const problems: ImportProblem[] = [];
  const counts = { translated: 0, macros: 0, copied: 0 };
  const write = (file: string, content: string) => {
    const target = join(outDir, file);
    onFile(target, () => {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    });
  };
  const copy = (file: string) => {
    const target = join(outDir, file);
    onFile(target, () => {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(source, file), target);
    });
    counts.copied++;
  };

  // Every macro name first: a call to one of them becomes a helper call.
  const macroFiles = files.filter(
    (f) =>
      f.endsWith('.sql') &&
      (under(f, roots.macros) ||
        under(
          f,
          roots.tests.map((t) => `${t}/generic`),
        )),
  );
  const projectMacros = new Set<string>();
  for (const file of macroFiles) for (const name of definedMacros(read(source, file))) projectMacros.add(name);
  const translate = (file: string) => translateJinja(read(source, file), { projectMacros });

  const packages: ImportOutcome['packages'] = [];
  for (const file of files) {
    if (file === 'packages.yml' || file === 'dependencies.yml') {
      // tsdbt reads it: built-in packages are accepted, the others reported at every compile.
      packages.push(...packageNotes(read(source, file)));
      copy(file);
      continue;
    }
    if (file === 'dbt_project.yml') {
      write(file, translateHooks(projectFile, projectMacros, problems));
      continue;
    }
    if (file === 'package-lock.yml') continue;
    if (under(file, roots.snapshots) && file.endsWith('.sql')) {
      counts.translated += writeSnapshots(file, read(source, file), projectMacros, write, problems);
      continue;
    }
    if (macroFiles.includes(file)) {
      counts.macros += writeMacros(file, translate(file), roots.macros[0] ?? 'macros', write, problems);
      continue;
    }
    if (file.endsWith('.sql') && (under(file, roots.models) || under(file, roots.tests) || under(file, roots.analyses))) {
      const translation = translate(file);
      // A {% set %} or {{ config() }} line that rendered nothing leaves blank lines at the top.
      write(file, tidy(translation.text).replace(/^\s*\n/, ''));
      if (translation.macros.length > 0) {
        problems.push({ file, line: translation.macros[0]!.line, column: 1, construct: 'a macro defined in a model', todo: 'move it to macros/' });
      }
      problems.push(...translation.problems.map((p) => ({ ...p, file })));
      counts.translated++;
      continue;
    }
    copy(file);
  }
  problems.push(...translateYamlHooks(outDir, files, projectMacros));
  if (!existsSync(join(source, 'profiles.yml'))) {
    write('profiles.yml', duckdbProfile(String(projectFile.get('profile') ?? projectFile.get('name'))));
  }
  // What still stops the result is found by compiling it, as tsdbt build would (nothing connects).
  if (problems.length === 0) problems.push(...(await compileProblems(outDir)));
  const reportPath = join(outDir, 'IMPORT.md');
  const outcome: ImportOutcome = { outDir, counts, problems, packages, reportPath };
  write('IMPORT.md', report(source, outcome, !existsSync(join(source, 'profiles.yml'))));
  return outcome;
}

async function compileProblems(projectDir: string): Promise<ImportProblem[]> {
  try {
    await openProject({ projectDir });
    return [];
  } catch (error) {
    const errors = error instanceof DiagnosticsError ? error.errors : error instanceof TsdbtError ? [error] : undefined;
    if (!errors) throw error;
    return errors.map((e) => ({
      file: e.location?.file ?? '.',
      line: e.location?.line ?? 1,
      column: e.location?.column ?? 1,
      construct: e.message,
      todo: e.hint ?? 'fix it by hand',
    }));
  }
}

/**
 * dbt's `{% snapshot name %} … {% endsnapshot %}` blocks of one file: each body (its config()
 * call and SELECT) translated to `<folder>/<name>.sql`, tsdbt's snapshot file. Returns how many.
 */
function writeSnapshots(
  file: string,
  text: string,
  projectMacros: ReadonlySet<string>,
  write: (file: string, content: string) => void,
  problems: ImportProblem[],
): number {
  const blocks = [...text.matchAll(/\{%-?\s*snapshot\s+(\w+)\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/g)];
  if (blocks.length === 0) {
    problems.push({ file, line: 1, column: 1, construct: 'a snapshot file without a {% snapshot %} block', todo: 'write it as snapshots/<name>.sql by hand' });
    return 0;
  }
  const folder = dirname(file);
  for (const block of blocks) {
    const [, name, body] = block as unknown as [string, string, string];
    // Lines of the body are counted from the line its block starts on.
    const offset = text.slice(0, block.index! + block[0].indexOf(body)).split('\n').length - 1;
    const translation = translateJinja(body, { projectMacros });
    const target = `${folder === '.' ? '' : `${folder}/`}${name}.sql`;
    write(
      target,
      `${tidy(translation.text)
        .replace(/^\s*\n/, '')
        .trimEnd()}\n`,
    );
    problems.push(...translation.problems.map((p) => ({ ...p, file, line: p.line + offset })));
  }
  return blocks.length;
}

/** Macros of one file: each to macros/<name>.sql (generic tests to tests/generic/<name>.sql). */
function writeMacros(
  file: string,
  translation: ReturnType<typeof translateJinja>,
  macroRoot: string,
  write: (file: string, content: string) => void,
  problems: ImportProblem[],
): number {
  const outside = translation.text.replace(/\{\{!--[\s\S]*?--\}\}/g, '').trim();
  if (outside !== '')
    problems.push({
      file,
      line: 1,
      column: 1,
      construct: 'text outside the macros of a macro file',
      todo: 'tsdbt macro files hold one macro each: move it into a macro or a model',
    });
  for (const problem of translation.problems) {
    const macro = [...translation.macros].reverse().find((m) => m.line <= problem.line);
    problems.push({ ...problem, file: macro ? macroPath(macroRoot, macro) : file });
  }
  for (const macro of translation.macros) write(macroPath(macroRoot, macro), macroFile(macro));
  return translation.macros.length;
}

function macroPath(macroRoot: string, macro: TranslatedMacro): string {
  return macro.kind === 'test' ? `tests/generic/${macro.name}.sql` : `${macroRoot}/${macro.name}.sql`;
}

/** A tsdbt SQL macro: its parameters on the first line, then its body. */
function macroFile(macro: TranslatedMacro): string {
  const own = macro.kind === 'test' ? macro.params.filter((p) => p.name !== 'model' && p.name !== 'column_name') : macro.params;
  const params =
    macro.params.length === 0
      ? ''
      : `{{!-- params: ${(macro.kind === 'test' ? own : macro.params).map((p) => (p.default === undefined ? p.name : `${p.name}=${p.default}`)).join(', ')} --}}\n`;
  return `${macro.kind === 'test' && own.length === 0 ? '' : params}${tidy(macro.body)
    .replace(/^\s*\n/, '')
    .trimEnd()}\n`;
}

/** on-run-start / on-run-end of dbt_project.yml are templates too. */
function translateHooks(project: Document, projectMacros: ReadonlySet<string>, problems: ImportProblem[]): string {
  for (const key of ['on-run-start', 'on-run-end']) {
    const value = project.get(key, true);
    const items = isSeq(value) ? value.items : value === undefined ? [] : [value];
    items.forEach((item, index) => {
      if (!isScalar(item) || typeof item.value !== 'string') return;
      const translation = translateJinja(item.value, { projectMacros });
      item.value = translation.text;
      problems.push(...translation.problems.map((p) => ({ ...p, file: 'dbt_project.yml', construct: `${key}[${index}]: ${p.construct}` })));
    });
  }
  return project.toString();
}

/**
 * pre-hook / post-hook values in YAML (dbt_project.yml folders, properties `config:`) are
 * templates too: each hook's SQL (a string, or a mapping's `sql:`) is translated in place.
 */
function translateYamlHooks(outDir: string, files: string[], projectMacros: ReadonlySet<string>): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const file of files.filter((f) => /\.ya?ml$/.test(f) && f !== 'packages.yml' && f !== 'dependencies.yml')) {
    const path = join(outDir, file);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (!/\b(pre|post)[-_]hook\s*:/.test(text)) continue;
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines });
    let changed = false;
    const translate = (node: unknown, key: string) => {
      if (isScalar(node) && typeof node.value === 'string') {
        const translation = translateJinja(node.value, { projectMacros });
        if (translation.text === node.value) return;
        node.value = translation.text;
        changed = true;
        const at = lines.linePos(node.range?.[0] ?? 0);
        problems.push(...translation.problems.map((p) => ({ ...p, file, line: at.line + p.line - 1, construct: `${key}: ${p.construct}` })));
      } else if (isSeq(node)) node.items.forEach((item) => translate(item, key));
      else if (isMap(node)) translate(node.get('sql', true), key);
    };
    visit(document, {
      Pair(_, pair) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        if (/^\+?(pre|post)[-_]hook$/.test(key)) translate(pair.value, key);
      },
    });
    if (changed) writeFileSync(path, document.toString());
  }
  return problems;
}

function packageNotes(text: string): ImportOutcome['packages'] {
  const document = parseDocument(text).toJS() as { packages?: Array<Record<string, unknown>> } | null;
  return (document?.packages ?? []).map((entry) => {
    const name = String(entry.package ?? entry.git ?? entry.local ?? entry.tarball ?? 'unknown');
    return {
      name,
      note:
        PACKAGES[name] ??
        'no tsdbt equivalent: copy the macros you use into macros/ (tsdbt import translates them there), or publish them as an npm package of tsdbt macros',
    };
  });
}

function duckdbProfile(profile: string): string {
  return `${profile}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: target/dev.duckdb\n      threads: 4\n`;
}

/** Cosmetics of translated text: a {{config}} or comment on its own line stays on its own line. */
function tidy(text: string): string {
  return text.replace(/(^|\n)(\{\{config [^\n]*?\}\}|\{\{!--[^\n]*?--\}\})(?=[^\n])/g, '$1$2\n');
}

function report(source: string, outcome: ImportOutcome, profileWritten: boolean): string {
  const lines = [
    '# Imported from dbt',
    '',
    `Source: \`${source}\`, imported by \`tsdbt import dbt\`.`,
    '',
    `- ${outcome.counts.translated} SQL files (models, tests, analyses) translated from Jinja to Handlebars`,
    `- ${outcome.counts.macros} macros and generic tests written one per file`,
    `- ${outcome.counts.copied} files copied as they are (YAML, seeds, docs)`,
  ];
  if (profileWritten) lines.push("- profiles.yml written with a DuckDB target (`dev`, target/dev.duckdb): add your warehouse's target");
  lines.push('', `## Left to do (${outcome.problems.length})`, '');
  if (outcome.problems.length === 0) lines.push('Nothing: the project was translated completely.');
  else {
    lines.push('| where | construct | what to do |', '|---|---|---|');
    for (const p of outcome.problems) lines.push(`| ${p.file}:${p.line}:${p.column} | ${cell(p.construct)} | ${cell(p.todo)} |`);
  }
  if (outcome.packages.length > 0) {
    lines.push('', '## Packages', '');
    for (const p of outcome.packages) lines.push(`- \`${p.name}\`: ${p.note}`);
  }
  lines.push('', 'Then: `npx tsdbt build` (the compile errors point at anything left as Jinja).', '');
  return lines.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function read(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}

function listFiles(root: string, folder = root): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      if (SKIPPED.has(name)) return [];
      const path = join(folder, name);
      return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
    });
}
