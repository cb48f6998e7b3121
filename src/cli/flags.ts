import type { IndirectSelection } from '../project/named-selectors.js';

/** Flags as commands receive them, after cac's parsing is normalised. */
export interface Flags {
  projectDir?: string;
  profilesDir?: string;
  target?: string;
  vars?: string;
  threads?: number;
  select?: string[];
  exclude?: string[];
  /** --selector: a selectors.yml name. */
  selector?: string;
  /** --warn-error, --warn-error-options: warnings that become errors (exit 1). */
  warnError: boolean;
  warnErrorOptions?: string;
  /** run-operation --args: YAML or JSON mapping of the macro's arguments. */
  operationArgs?: string;
  indirectSelection?: IndirectSelection;
  fullRefresh: boolean;
  /** false with --no-reuse: nodes whose inputs did not change are built all the same. */
  reuse: boolean;
  /** false with --no-partial-parse: parse and compile read every file again. */
  partialParse: boolean;
  /** Microbatch models: --event-time-start / --event-time-end / --restate, checked as dates or timestamps. */
  eventTimeStart?: string;
  eventTimeEnd?: string;
  restate?: string;
  failFast: boolean;
  logFormat: 'text' | 'json';
  color?: boolean;
  quiet: boolean;
  debug: boolean;
  resourceType?: string;
  output?: string;
  limit: number;
  inline?: string;
  /** false with --no-batch: one query per data test. */
  batch: boolean;
  /** --show-all: the summary lists passing tests too. */
  showAll: boolean;
  junit?: string;
  state?: string;
  dryRun: boolean;
  /** --empty: refs and sources read as zero rows. */
  empty: boolean;
  defer: boolean;
  favorState: boolean;
  /** import: the folder the tsdbt project is written into. */
  out?: string;
  /** docs generate: false with --no-catalog (no connection). */
  catalog: boolean;
  /** docs serve */
  host: string;
  port: number;
  open: boolean;
  watch: boolean;
  args: string[];
}
