/*
 * `npm run generate` (scripts/generate.mjs bundles and runs this): writes every artefact of
 * artefacts.ts whose committed text is stale. `--check` writes nothing and fails when one is.
 * Also reports rule pages in docs/rules/ that belong to no rule (it does not delete them).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isLintCode } from '../core/lint/registry';
import { artefacts } from './artefacts';

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Rule pages with no rule: docs/rules/<name>.md other than README.md whose name is not a lint code. */
export function orphanRulePages(root: string): string[] {
  const dir = path.join(root, 'docs', 'rules');
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.md') && n !== 'README.md' && !isLintCode(n.slice(0, -'.md'.length)))
    .map((n) => `docs/rules/${n}`)
    .sort();
}

/** Returns the process exit code: 0 when everything is (now) up to date, 1 otherwise. */
export function main(root: string, args: readonly string[]): number {
  const check = args.includes('--check');
  let stale = 0;
  for (const a of artefacts()) {
    const file = path.join(root, a.path);
    const current = read(file);
    let next: string;
    try {
      next = a.render(current);
    } catch (e) {
      console.error(`generate: ${a.path}: ${e instanceof Error ? e.message : String(e)}`);
      stale++;
      continue;
    }
    if (next === current) continue;
    if (check) {
      console.error(`generate: ${a.path} is stale (run npm run generate)`);
      stale++;
    } else {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, next);
      console.log(`generate: wrote ${a.path}${current === undefined ? ' (new: write its body)' : ''}`);
    }
  }
  for (const orphan of orphanRulePages(root)) {
    console.error(`generate: ${orphan} belongs to no lint rule (delete it, or add the rule)`);
    stale++;
  }
  return stale === 0 ? 0 : 1;
}
