/** "Did you mean" support shared by the parsers, lint and the CLI's argument parser. */

/** Optimal-string-alignment distance (a swap of two neighbours counts as one edit). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The first of `candidates` nearest to `word` (case-insensitive), when its distance is at most
 * `limit`; candidates whose length alone differs by more than `limit` are not measured.
 */
export function closest(word: string, candidates: readonly string[], limit: number): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const other = c.toLowerCase();
    if (Math.abs(other.length - lower.length) > limit) continue;
    const d = editDistance(lower, other);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** The nearest of `candidates` to `name` (case-insensitive edit distance ≤ 1 to 3 by length), for "did you mean" hints. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  return closest(name, candidates, name.length <= 4 ? 1 : name.length < 12 ? 2 : 3);
}
