/**
 * Golden files: generated SQL pinned in test/golden/<engine>/…; a change to the generated SQL is a
 * test failure until the golden file is regenerated on purpose (UPDATE_GOLDEN=1 npm test) and the
 * diff reviewed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const GOLDEN_DIR = fileURLToPath(new URL('../golden', import.meta.url));

export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  expect(existsSync(path), `golden file test/golden/${name} is missing: run UPDATE_GOLDEN=1 npm test and review it`).toBe(true);
  expect(actual, `test/golden/${name}`).toBe(readFileSync(path, 'utf8'));
}
