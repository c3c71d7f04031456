// `npm run generate [-- --check]`: regenerates the files derived from the lint registry and the
// error catalogue (the list is in src/generate/artefacts.ts). Bundles src/generate/main.ts with
// esbuild into a temporary file and runs it, so it needs no compiled out/. Deterministic: running
// it twice changes nothing; CI can run it and `git diff --exit-code`.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'fusion-generate-'));
try {
  const outfile = join(dir, 'generate.cjs');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/generate/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    // as in scripts/build.mjs: jsonc-parser's ESM build bundles cleanly, its UMD `main` does not
    mainFields: ['module', 'main'],
  });
  const { main } = createRequire(import.meta.url)(outfile);
  process.exitCode = main(root, process.argv.slice(2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
