/*
 * Third-party data stays out of the repository. Real scenario exports and API payloads published
 * by others live in ../shared beside the clone (corpus/, fixtures/, reference/make-api/sdk-mocks/);
 * tests read them there at run time, and the project's own fixtures are written by hand. This test
 * fails when a file the repository tracks is a byte copy of one of those files (same SHA-256), and
 * is skipped, with the reason printed, where ../shared is absent.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, SHARED } from './helpers/blueprintFixtures';

/** The folders of ../shared that hold third-party data. */
const THIRD_PARTY = ['corpus', 'fixtures', path.join('reference', 'make-api', 'sdk-mocks')];

/** Folders of a working tree that are never tracked (build output, dependencies, test runs). */
const UNTRACKED = new Set(['.git', 'node_modules', 'out', 'dist', '.cache', '.vscode-test', 'test-results']);

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every file under `dir` (recursively), skipping the folder names in `skip`. */
function filesUnder(dir: string, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (skip.has(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * The repository's files (relative paths): the tracked ones and the new ones git would track
 * (`git ls-files --cached --others --exclude-standard`), or, outside a git checkout, every file of
 * the working tree except the never-tracked folders.
 */
function trackedFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (git.status === 0 && git.stdout.length > 0) {
    return git.stdout.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(REPO_ROOT, f)));
  }
  return filesUnder(REPO_ROOT, UNTRACKED).map((f) => path.relative(REPO_ROOT, f));
}

/** sha256 → the ../shared files with that content (relative to ../shared). */
function thirdPartyHashes(): Map<string, string[]> {
  const byHash = new Map<string, string[]>();
  for (const sub of THIRD_PARTY) {
    const dir = path.join(SHARED, sub);
    if (!fs.existsSync(dir)) continue;
    for (const f of filesUnder(dir)) {
      if (fs.statSync(f).size === 0) continue; // an empty file is nobody's data
      const h = sha256(f);
      byHash.set(h, [...(byHash.get(h) ?? []), path.relative(SHARED, f)]);
    }
  }
  return byHash;
}

/** The tracked files that are byte copies of third-party files, as "repo path = shared path" lines. */
function copiesOfThirdPartyData(): string[] {
  const shared = thirdPartyHashes();
  const copies: string[] = [];
  for (const rel of trackedFiles()) {
    const file = path.join(REPO_ROOT, rel);
    // a symbolic link (the lint-walk fixtures have some) is a path, not data: only regular files count
    const st = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size === 0) continue;
    const same = shared.get(sha256(file));
    if (same) copies.push(`${rel.split(path.sep).join('/')} = ../shared/${same[0].split(path.sep).join('/')}`);
  }
  return copies;
}

const SKIP: string | false = fs.existsSync(SHARED)
  ? false
  : `${SHARED} is missing: the third-party data to compare with is kept beside the clone, in ../shared`;

describe('third-party data', () => {
  test('there is third-party data to compare with', { skip: SKIP }, () => {
    assert.ok(thirdPartyHashes().size >= 100, 'expected the corpus and the fixtures of ../shared (over a hundred files)');
  });

  test('no tracked file is a byte copy of a file of ../shared corpus, fixtures or reference/make-api/sdk-mocks', { skip: SKIP }, () => {
    assert.ok(trackedFiles().length > 50, 'the tracked files were listed');
    assert.deepEqual(
      copiesOfThirdPartyData(),
      [],
      'replace these with hand-written files; tests read the real ones from ../shared at run time',
    );
  });
});
