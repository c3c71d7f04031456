/**
 * Matching the globs and app patterns of a project configuration.
 *
 * File globs are relative to the configuration file's folder and use forward slashes, as in
 * `.gitignore`: a glob without a slash (`*.make.json`, `archive`) matches at any depth; a glob with
 * one at the start or in the middle (`exports/*.json`, `/legacy/**`, `./x.json`) is anchored at the
 * configuration's folder; a trailing `/` (`archive/`, `exports/old/`) means "this folder and
 * everything in it" and does not anchor by itself. Dot files match like any other.
 */
import { minimatch } from 'minimatch';

function normalize(pattern: string): { glob: string; anchored: boolean; folder: boolean } {
  let p = pattern.trim().replace(/\\/g, '/');
  let anchored = false;
  if (p.startsWith('./')) {
    p = p.slice(2);
    anchored = true;
  } else if (p.startsWith('/')) {
    p = p.replace(/^\/+/, '');
    anchored = true;
  }
  const folder = p.endsWith('/');
  if (folder) p = p.replace(/\/+$/, '');
  if (p.includes('/')) anchored = true;
  return { glob: p, anchored, folder };
}

/** True when `relPath` (forward slashes, relative to the configuration's folder) matches the glob. */
export function matchesFileGlob(relPath: string, pattern: string): boolean {
  const { glob, anchored, folder } = normalize(pattern);
  if (glob === '') return false;
  const options = { dot: true, matchBase: !anchored };
  // `dir/`: the folder itself and everything in it.
  if (folder) return minimatch(relPath, glob, options) || minimatch(relPath, `${glob}/**`, { dot: true });
  return minimatch(relPath, glob, options);
}

/** True when any of the globs matches the file, or one of the folders it is in. */
export function matchesIgnorePattern(relPath: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0 || relPath.startsWith('../') || relPath === '..') return false;
  const parts = relPath.split('/');
  const candidates: string[] = [];
  for (let i = 1; i <= parts.length; i++) candidates.push(parts.slice(0, i).join('/'));
  return patterns.some((p) => candidates.some((c) => matchesFileGlob(c, p)));
}

const appRegexCache = new Map<string, RegExp>();

/** True when the module's app (`util:SetVariable2`) matches the pattern (`util:*`, `builtin:Basic?eeder`); case-insensitive. */
export function matchesAppPattern(app: string, pattern: string): boolean {
  let re = appRegexCache.get(pattern);
  if (!re) {
    const body = pattern
      .trim()
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 'i');
    appRegexCache.set(pattern, re);
  }
  return re.test(app.trim());
}
