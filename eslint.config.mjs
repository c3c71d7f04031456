// @ts-check
// ESLint flat config: `npm run lint` (eslint . --max-warnings 0).
//
// - TypeScript (src/, test/, bench/) is linted with type information: the TypeScript project
//   service finds tsconfig.json, which includes all three folders, so rules such as
//   no-floating-promises see the real types.
// - The build and harness scripts and the UI suite (*.mjs) are linted as plain JavaScript; their
//   types are checked by `npm run typecheck:harness` (// @ts-check and JSDoc).
// - The layering of src/ is enforced here: src/core is pure (no `vscode`, nothing from src/cli or
//   src/extension), and src/cli and src/extension never import each other.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The `no-restricted-imports` setting of one layer of src/. The regular expressions match the
 * import string as written: `^(\.\./)+cli(/|$)` is any relative path that climbs out of the current folder
 * tree into a `cli` folder (src/ has only one), e.g. `../../cli/args` from src/core/text/.
 * @param {{ regex: string, message: string }[]} patterns
 * @param {string[]} [paths] bare module names that are forbidden as a whole
 * @returns {import('eslint').Linter.RuleEntry}
 */
function restrictImports(patterns, paths = []) {
  return [
    'error',
    {
      paths: paths.map((name) => ({ name, message: `src/core and src/cli run outside VS Code: only src/extension imports ${name}.` })),
      patterns,
    },
  ];
}

const toCli = { regex: '^(\\.\\./)+cli(/|$)', message: 'Only the CLI imports src/cli; move shared code to src/core.' };
const toExtension = {
  regex: '^(\\.\\./)+extension(/|$)',
  message: 'Only the extension imports src/extension; move shared code to src/core.',
};

export default defineConfig(
  globalIgnores([
    'node_modules/',
    'dist/',
    'out/',
    '.cache/',
    '.vscode-test/',
    'test-results/',
    'test/fixtures/',
    'samples/',
    'l10n/',
    '**/*.vsix',
  ]),

  // Every file: ESLint's recommended JavaScript rules.
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'smart'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },

  // TypeScript: typed linting.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Promises: a dropped promise hides its rejection; in the extension an unhandled rejection
      // is an error toast at best. Write `void p` where nothing needs to wait.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test()/describe() return a promise the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `return await` inside try/catch: without it a rejected promise skips the catch.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-deprecated': 'error',
      // A switch over a union names every member or has a default.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // The code base writes type-only imports as their own `import type { … }` line.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      // tsc already reports unused locals and parameters (noUnusedLocals/noUnusedParameters);
      // this keeps the same `_name` escape for parameters.
      // `const { size: _drop, ...rest } = r` is how a property is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // A method that implements a promise-returning interface is `async` even when it awaits
      // nothing (the CLI commands' run()); removing `async` would only add Promise.resolve noise.
      '@typescript-eslint/require-await': 'off',
    },
  },

  // Layering of src/.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrictImports([toCli, toExtension], ['vscode']),
      // core returns results; the CLI prints and the extension logs to its output channel.
      'no-console': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrictImports([toExtension], ['vscode']) },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restrictImports([toCli]) },
  },

  // JavaScript: build/harness scripts, the UI suite and this file (Node ES modules).
  {
    files: ['**/*.mjs'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
  },
  {
    // The UI suite passes functions to page.evaluate(), which run in the workbench page.
    files: ['test/e2e/**/*.mjs'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly' } },
  },
);
