import { z } from 'zod';
import type { ProfileOutput } from '../config/profiles.js';
import { validateYaml } from '../config/yaml-file.js';
import { didYouMean } from '../errors/suggest.js';
import { DiagnosticsError, TsdbtError } from '../errors/tsdbt-error.js';

/** Keys of another dbt adapter's output that tsdbt knows but does not implement yet. */
export type UnsupportedKeys = Readonly<Record<string, string>>;

/**
 * Validates a profiles.yml output against an adapter's schema: unknown keys with did-you-mean,
 * wrong types, and keys known from dbt but not implemented — each error at its profiles.yml line.
 */
export function parseOutput<T extends z.ZodRawShape>(output: ProfileOutput, shape: T, unsupported: UnsupportedKeys): z.infer<z.ZodObject<T>> {
  const known = Object.keys(shape);
  const errors: TsdbtError[] = [];
  const keyLocation = (key: string) => output.file.locate([...output.path, key], true);
  for (const key of Object.keys(output.values)) {
    if (key in shape || key in unsupported) continue;
    errors.push(
      new TsdbtError(`unknown ${output.type} setting "${key}" in target "${output.name}"`, {
        code: 'E_TARGET_KEY',
        kind: 'config',
        location: keyLocation(key),
        hint: didYouMean(key, known) ?? `${output.type} outputs take: ${known.join(', ')}`,
      }),
    );
  }
  const schema = z.object({ ...shape });
  const validated = validateYaml(output.file, schema, 'config', known, output.values, output.path);
  errors.push(...validated.errors);
  const value = validated.value;
  for (const [key, hint] of Object.entries(unsupported)) {
    if (output.values[key] !== undefined) {
      errors.push(
        new TsdbtError(`"${key}" is not supported yet by tsdbt's ${output.type} adapter (target "${output.name}")`, {
          code: 'E_TARGET_KEY',
          kind: 'config',
          location: keyLocation(key),
          hint,
        }),
      );
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DiagnosticsError(errors);
  return value as z.infer<z.ZodObject<T>>;
}

/** Profile values arrive as text after `{{env}}` interpolation: numbers and booleans may be strings. */
export const profileInteger = z.union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/, 'must be an integer')]).transform(Number);
export const profileBoolean = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true');
