/** Every command-line option, as data: cac reads these, --help prints them. */
export interface OptionSpec {
  flags: string;
  description: string;
  default?: unknown;
}

export const OPTIONS = {
  projectDir: { flags: '--project-dir <dir>', description: 'Project folder (default: current folder)' },
  profilesDir: { flags: '--profiles-dir <dir>', description: 'Folder holding profiles.yml (default: $TSDBT_PROFILES_DIR, the project, ~/.tsdbt)' },
  target: { flags: '-t, --target <name>', description: 'Target (output) of the profile to use' },
  vars: { flags: '--vars <yaml>', description: "Variables as YAML or JSON, e.g. '{start: 2024-01-01}'" },
  threads: { flags: '--threads <n>', description: "Nodes run at once (default: the target's threads)" },
  select: {
    flags: '-s, --select <selector>',
    description:
      'Resources to include: names, +parents, children+, @x, tag:, path:, config.X:, source:, resource_type:, exposure: (space = union, comma = intersection)',
  },
  exclude: { flags: '--exclude <selector>', description: 'Resources to leave out (same syntax as --select)' },
  args: { flags: '--args <yaml>', description: "run-operation: the macro's arguments as YAML or JSON, e.g. '{role: reporter}'" },
  selector: { flags: '--selector <name>', description: 'A named selector of selectors.yml (instead of --select)' },
  indirectSelection: {
    flags: '--indirect-selection <mode>',
    description: 'Tests of selected resources: eager (any parent selected), cautious (all), buildable (all selected or upstream), empty (none)',
  },
  fullRefresh: { flags: '--full-refresh', description: 'Rebuild incremental models from scratch' },
  reuse: {
    flags: '--no-reuse',
    description: 'Build every selected node, even those whose SQL and inputs have not changed since their last build (default: they are reused)',
  },
  partialParse: {
    flags: '--no-partial-parse',
    description: 'Parse every file again instead of reusing target/partial_parse.json (default: reused when nothing the last parse read has changed)',
  },
  eventTimeStart: {
    flags: '--event-time-start <time>',
    description: "Microbatch models: build the batches from this date or timestamp (default: the model's begin)",
  },
  eventTimeEnd: {
    flags: '--event-time-end <time>',
    description: 'Microbatch models: build the batches before this date or timestamp (exclusive; default: now)',
  },
  restate: {
    flags: '--restate <from..to>',
    description: 'Microbatch models: rebuild only the batches from FROM to TO (dates, inclusive), e.g. 2024-01-01..2024-01-31',
  },
  failFast: { flags: '-x, --fail-fast', description: 'Stop at the first failure (in-flight queries are cancelled)' },
  logFormat: { flags: '--log-format <format>', description: 'text or json (one JSON event per line)', default: 'text' },
  color: { flags: '--no-color', description: 'Plain output without ANSI colours (also NO_COLOR=1)' },
  quiet: { flags: '-q, --quiet', description: 'Print only errors and command output' },
  debug: { flags: '--debug', description: 'Show stack traces of internal errors' },
  warnError: { flags: '--warn-error', description: 'Treat every warning (warn-severity tests too) as an error: exit 1' },
  warnErrorOptions: {
    flags: '--warn-error-options <yaml>',
    description: "Which warnings are errors: '{include: all | [names], exclude: [names]}' (names: see the README)",
  },
  resourceType: { flags: '--resource-type <type>', description: 'ls: only model, seed, snapshot, source, exposure, test or unit_test' },
  output: { flags: '--output <format>', description: 'ls: selector, name, path or json; show: table or json' },
  limit: { flags: '--limit <n>', description: 'show: rows to preview', default: 10 },
  inline: { flags: '--inline <sql>', description: 'show/compile: SQL (templates allowed) to run instead of a model' },
  showAll: { flags: '--show-all', description: 'List every test in the summary, passing ones too (default: only those that did not pass)' },
  batch: { flags: '--no-batch', description: 'Run every data test as its own query (default: the column tests of a model share one scan)' },
  state: { flags: '--state <dir>', description: 'Folder with an earlier manifest.json, for state:new / state:modified selectors' },
  defer: { flags: '--defer', description: "With --state: unselected parents this target has not built are read from the state run's relations" },
  favorState: { flags: '--favor-state', description: "With --defer: read the state's relation even where this target has one" },
  empty: {
    flags: '--empty',
    description: 'run/build: read every ref and source as zero rows (schemas and SQL checked on the engine, no data); data tests skipped',
  },
  dryRun: { flags: '--dry-run', description: "Validate every statement with the engine's dry run and report estimated bytes (BigQuery), without running" },
  lakeDryRun: { flags: '--dry-run', description: 'lake push: list the files that would be uploaded, upload nothing' },
  junit: { flags: '--junit <path>', description: 'Where to write the JUnit XML report (default: target/junit.xml)' },
  out: { flags: '--out <dir>', description: 'import: the folder to write the tsdbt project into (new or empty)' },
  catalog: { flags: '--no-catalog', description: 'docs generate: do not connect; column types and row counts come from YAML only' },
  host: { flags: '--host <address>', description: 'docs serve: address to listen on', default: '127.0.0.1' },
  port: { flags: '--port <n>', description: 'docs serve: port (the next free one when taken)', default: 8080 },
  open: { flags: '--open', description: 'docs serve: open the site in the default browser' },
  watch: { flags: '--watch', description: 'docs serve: regenerate the site when a project file changes' },
} satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

const PROJECT: OptionName[] = ['projectDir', 'profilesDir', 'target', 'vars', 'logFormat', 'color', 'quiet', 'debug', 'warnError', 'warnErrorOptions'];
const SELECTION: OptionName[] = ['select', 'exclude', 'selector', 'indirectSelection', 'state'];
const BATCHES: OptionName[] = ['eventTimeStart', 'eventTimeEnd', 'restate'];
const EXECUTION: OptionName[] = ['threads', 'fullRefresh', 'reuse', 'failFast', 'defer', 'favorState', 'dryRun'];
const TESTING: OptionName[] = ['batch', 'junit', 'showAll'];

export interface CommandSpec {
  name: string;
  usage: string;
  description: string;
  options: OptionName[];
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'init',
    usage: 'init [dir]',
    description: 'Create a new project (project.yml, profiles.yml, a seed, two models and their tests)',
    options: ['logFormat', 'color', 'quiet', 'debug'],
  },
  { name: 'debug', usage: 'debug', description: 'Check project.yml and profiles.yml, show the resolved target, test the connection', options: PROJECT },
  {
    name: 'parse',
    usage: 'parse',
    description: 'Load and render the project; write target/manifest.json (no warehouse needed)',
    options: [...PROJECT, 'partialParse'],
  },
  {
    name: 'compile',
    usage: 'compile',
    description: 'Render every model to target/compiled/**.sql and write the manifest (no warehouse needed)',
    options: [...PROJECT, ...SELECTION, 'inline', 'partialParse'],
  },
  {
    name: 'ls',
    usage: 'ls',
    description: 'List selected resources (models, seeds, snapshots, sources, exposures, tests, unit tests)',
    options: [...PROJECT, ...SELECTION, 'resourceType', 'output'],
  },
  { name: 'seed', usage: 'seed', description: 'Load CSV seeds into tables (column_types from YAML)', options: [...PROJECT, ...SELECTION, ...EXECUTION] },
  {
    name: 'snapshot',
    usage: 'snapshot',
    description: 'Record the changes of the selected snapshots (SCD type 2: new and changed rows, deletions per hard_deletes) in DAG order',
    options: [...PROJECT, ...SELECTION, 'threads', 'reuse', 'failFast', 'defer', 'dryRun'],
  },
  { name: 'run', usage: 'run', description: 'Build the selected models in DAG order', options: [...PROJECT, ...SELECTION, ...EXECUTION, ...BATCHES, 'empty'] },
  {
    name: 'test',
    usage: 'test',
    description: 'Run data tests (generic, singular) and unit tests of the selection; exit 1 if an error-severity test fails',
    options: [...PROJECT, ...SELECTION, 'threads', 'reuse', 'failFast', 'defer', 'favorState', ...TESTING],
  },
  {
    name: 'build',
    usage: 'build',
    description: 'Seeds, models and their tests in DAG order: unit tests before a model, data tests right after; a failure skips everything downstream',
    options: [...PROJECT, ...SELECTION, ...EXECUTION, ...BATCHES, ...TESTING, 'empty'],
  },
  {
    name: 'source',
    usage: 'source <action>',
    description: 'source freshness: check max(loaded_at_field) of sources against warn_after/error_after; writes target/sources.json',
    options: [...PROJECT, ...SELECTION],
  },
  {
    name: 'show',
    usage: 'show',
    description: 'Preview rows of a model (--select) or of inline SQL (--inline)',
    options: [...PROJECT, 'select', 'inline', 'limit', 'output'],
  },
  {
    name: 'deps',
    usage: 'deps',
    description: 'Install the packages of packages.yml with npm (npm: name or local: folder; dbt_utils and dbt_expectations are built in)',
    options: ['projectDir', 'logFormat', 'color', 'quiet', 'debug'],
  },
  {
    name: 'import',
    usage: 'import <kind> <dir>',
    description: 'import dbt <dbt-project> --out <dir>: a tsdbt project from a dbt project (Jinja translated to Handlebars, IMPORT.md lists what is left)',
    options: ['out', 'logFormat', 'color', 'quiet', 'debug'],
  },
  {
    name: 'run-operation',
    usage: 'run-operation <macro>',
    description: 'Render a macro (SQL or JS) with --args and run its SQL on the target; prints the rows of its last statement',
    options: [...PROJECT, 'args', 'output'],
  },
  {
    name: 'retry',
    usage: 'retry',
    description:
      'Run again the nodes the last seed/snapshot/run/test/build left errored, failed or skipped, with its arguments (target, vars, selection, --full-refresh…); flags given here win',
    options: [...PROJECT, 'threads', 'fullRefresh', 'reuse', 'failFast', 'defer', 'favorState', 'state', ...BATCHES, ...TESTING],
  },
  {
    name: 'clean',
    usage: 'clean',
    description: "Remove the project's clean-targets (default: target/); only folders inside the project",
    options: ['projectDir', 'logFormat', 'color', 'quiet', 'debug'],
  },
  {
    name: 'docs',
    usage: 'docs <action>',
    description:
      'docs generate: target/catalog.json, target/lineage.json (column lineage) and the static site target/docs/; docs serve: serve target/docs on 127.0.0.1',
    options: [...PROJECT, 'catalog', 'host', 'port', 'open', 'watch'],
  },
  {
    name: 'lake',
    usage: 'lake <action> [dir]',
    description:
      'lake ls: list the GCS lake of a bigquery target (and how the local lake differs); lake push [dir]: upload new and changed files of the local lake (default lake/) by checksum',
    options: [...PROJECT, 'lakeDryRun'],
  },
];
