// ESLint flat config: @eslint/js + typescript-eslint recommended (syntax-only, no type information, so
// lint stays fast; `tsc -b` does the type checking) and the React hooks rules for the UI code.
// Globals follow the tsconfig split: browser for src/, worker for workers/ and models/, node for tooling.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig([
  globalIgnores([
    'dist/',
    'node_modules/',
    'public/',
    'test-results/',
    '.vite/',
    'models/training/checkpoints/',
    '**/*.tsbuildinfo',
  ]),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in signatures and destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
    rules: {
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['workers/**/*.ts', 'models/**/*.ts'],
    languageOptions: { globals: globals.worker },
  },
  {
    files: [
      'cli/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.{ts,mjs,js}',
      'test/**/*.{ts,tsx}',
      'models/training/*.ts',
      '*.config.{ts,js}',
    ],
    languageOptions: { globals: globals.node },
  },
]);
