import { didYouMean } from '../errors/suggest.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** dbt flags a dbt user may type that tsdbt does not implement yet, and what to do instead. */
const DBT_FLAGS: Record<string, string> = {
  '--sample': 'build on a small target (a profile output of its own) instead',
  '--store-failures': "set store_failures: true in the tests' config",
  '--resource-types': 'tsdbt ls takes --resource-type (one type)',
  '--models': 'write --select',
  '-m': 'write --select (-s)',
  '--profile': 'the profile is named in project.yml (profile:)',
  '--version-check': 'tsdbt checks require-tsdbt-version in project.yml',
};

interface OptionLike {
  rawName: string;
}

/**
 * cac reports an unknown option camel-cased (`--warnError`): the option as the user typed it
 * (`--warn-error`), with the closest option of the command, or what to do for a dbt flag.
 */
export function unknownOptionError(error: unknown, argv: readonly string[], command: string, options: readonly OptionLike[]): TsdbtError | undefined {
  const reported = /Unknown option `(-{1,2}[^`]+)`/.exec((error as Error)?.message ?? '')?.[1];
  if (!reported) return undefined;
  const typed = argv.find((word) => word.startsWith('-') && camelName(word.split('=')[0]!) === camelName(reported))?.split('=')[0] ?? reported;
  const unsupported = DBT_FLAGS[typed];
  if (unsupported) {
    return new TsdbtError(`${typed} is a dbt option tsdbt does not support yet`, { code: 'E_USAGE', kind: 'usage', hint: unsupported });
  }
  const known = options.flatMap((option) => option.rawName.split(',').map((name) => name.trim().split(/[ <[]/)[0]!)).filter((name) => name.startsWith('--'));
  return new TsdbtError(`unknown option ${typed} for tsdbt ${command}`, {
    code: 'E_USAGE',
    kind: 'usage',
    hint: `${didYouMean(typed, known) ?? ''} tsdbt ${command} --help lists its options`.trim(),
  });
}

function camelName(flag: string): string {
  return flag.replace(/^-{1,2}(no-)?/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
