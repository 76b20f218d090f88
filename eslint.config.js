// ESLint flat config: syntax-level rules only (no type information), so `eslint .` stays fast;
// the types themselves are checked by `tsc --noEmit`.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vitest from '@vitest/eslint-plugin';
import globals from 'globals';

export default defineConfig(
  { ignores: ['dist/', 'dist.*/', 'reports/', 'coverage/', '.data/', 'models/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_`-named bindings are deliberately unused: a parameter kept for its position, or a
      // property destructured away (`const { a: _a, ...rest } = x`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `let x; const f = () => x; x = make(f);` - the closure needs the binding before its one assignment.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Stripping control characters is the point of this file.
    files: ['src/channels/sanitize-text.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Plain JavaScript run by Node: the test fixtures (.mjs) and .dependency-cruiser.cjs.
    files: ['**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // typescript-eslint's base config makes every file an ES module; .cjs files are CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    // Plain JavaScript served to browsers.
    files: ['web/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['test/**/*.ts'],
    plugins: { vitest },
    rules: {
      // expect(value, message) is Vitest's way to name a failure.
      'vitest/valid-expect': ['error', { maxArgs: 2 }],
      'vitest/no-focused-tests': 'error',
      'vitest/no-identical-title': 'error',
      'vitest/expect-expect': [
        'error',
        {
          // expect*, assert* (expectError, ...), fast-check's fc.assert, and waitFor (test/helpers/wait.ts),
          // which throws when what it waits for never happens.
          assertFunctionNames: ['expect*', 'assert*', 'fc.assert', 'waitFor'],
        },
      ],
      'vitest/no-disabled-tests': 'warn',
    },
  },
);
