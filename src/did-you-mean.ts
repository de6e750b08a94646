/**
 * "Did you mean ...?" for a mistyped command, option or setting (the command line, and config.ts
 * for a `TOKEND_*` variable): the known names closest to what was typed, by edit distance (a swap of two neighbours counts as one edit, `--emial` → `--email`),
 * or those it begins (`tok` → `tokens`).
 */

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidates within reach of `typed` (one edit per three letters, at least one), nearest
 * first; else those that begin with it. Empty when nothing is close: a guess far off helps less
 * than the usage that follows.
 */
export function closest(typed: string, candidates: readonly string[]): string[] {
  const lower = typed.toLowerCase();
  const reach = Math.max(1, Math.floor(lower.length / 3));
  const near = candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter(({ distance }) => distance <= reach)
    .sort((x, y) => x.distance - y.distance);
  if (near.length > 0) return near.filter(({ distance }) => distance === near[0]?.distance).map(({ candidate }) => candidate);
  return lower.length >= 2 ? candidates.filter((candidate) => candidate.toLowerCase().startsWith(lower)) : [];
}

/** " - did you mean X?" / " - did you mean X or Y?", or nothing. */
export function didYouMean(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  const shown = suggestions.slice(0, 3);
  const last = shown.pop() as string;
  return ` - did you mean ${shown.length > 0 ? `${shown.join(', ')} or ${last}` : last}?`;
}
