// ESLint flat config for the TypeScript parts: extension/src, media/src, tests/extension.
// Run from the repository root: `eslint --config extension/eslint.config.mjs ...` (npm run lint).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const here = import.meta.dirname;

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/out/**', '**/node_modules/**', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.webview.json', './tsconfig.tests.json'],
        tsconfigRootDir: here,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Constants are grouped in namespaces, as in esbonio (common/constants.ts).
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // The vscode API declares Disposable as a class but hands out plain objects that fit it.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'error',
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // mocha's `this.skip()`/`this.timeout()` need function expressions.
      '@typescript-eslint/no-invalid-this': 'off',
    },
  },
);
