/** "1 row", "2 rows", "1,234 files": a count with its noun, singular for one. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
