import { distance } from 'fastest-levenshtein';

/** Closest candidates to a misspelled name, best first ("did you mean …"). */
export function suggest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const lowered = name.toLowerCase();
  const scored: Array<[string, number]> = [];
  for (const candidate of candidates) {
    const d = distance(lowered, candidate.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3));
    if (d <= limit || candidate.toLowerCase().includes(lowered)) scored.push([candidate, d]);
  }
  scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return scored.slice(0, max).map(([candidate]) => candidate);
}

export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const found = suggest(name, candidates);
  if (found.length === 0) return undefined;
  return `did you mean ${found.map((f) => `"${f}"`).join(', ')}?`;
}
