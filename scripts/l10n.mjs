// @ts-check
// Writes l10n/bundle.l10n.json from the vscode.l10n.t() calls in src/: `npm run l10n`.
//
// Same extraction as `vscode-l10n-dev export --outDir ./l10n ./src`, but deterministic: that
// command reads the files in the order the file system lists them (which differs between
// machines and file systems), and the bundle's entries follow that order. Here the files are read
// sorted by path, so every machine writes the same bytes and CI can check the committed bundle is
// current (`git diff --exit-code` after `npm run l10n`).
import { getL10nJson } from '@vscode/l10n-dev';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = 'src';
const OUT = path.join(REPO, 'l10n', 'bundle.l10n.json');

/** @param {string} dir repo-relative, posix separators @returns {string[]} */
function sourceFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of fs.readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|tsx|js|jsx)$/.test(entry.name)) out.push(rel);
  }
  return out;
}

// Code-unit order, not localeCompare: the same on every machine whatever its locale.
const files = sourceFiles(SOURCE).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const bundle = await getL10nJson(files.map((f) => ({ extension: path.extname(f), contents: fs.readFileSync(path.join(REPO, f), 'utf8') })));
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, `${JSON.stringify(bundle, undefined, 2)}\n`);
console.log(`l10n: ${Object.keys(bundle).length} strings from ${files.length} files -> ${path.relative(REPO, OUT)}`);
