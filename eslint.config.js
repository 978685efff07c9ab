import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Engine modules, as the page's code may import them: types only (see the rule below). */
const MAIN_THREAD_ONLY = {
  group: ['**/engine/**', '**/worker/**', '!**/worker/client', '!**/worker/protocol'],
  allowTypeImports: true,
  message:
    'The page must not bundle engine code: import types only, send a request through worker/protocol.ts, or move plain data readers and constants into src/dashboardData/ or src/errors/.',
};

export default defineConfig(
  {
    ignores: [
      'dist/',
      // the e2e builds of engineers sharing a checkout (E2E_DIST, E2E_RESULTS; see playwright.config.ts)
      'dist-*/',
      'test-results-*/',
      'build/',
      'coverage/',
      'models/',
      'test-results/',
      'playwright-report/',
      '.cache/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['scripts/**', 'bench/**', 'e2e/**', 'vite-plugins/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The page's thread reaches the engine only through the worker's protocol, so that no engine
    // code (onnxruntime least of all) lands in the page's bundle: from src/engine/ and the worker's
    // own modules it imports types alone. Plain values the page needs live in worker/protocol.ts,
    // src/dashboardData/ (the precomputed dashboards' readers) and src/errors/; the engine imports
    // those two folders too, so they stay free of engine code themselves.
    // `npm run check:main-bundle` checks the built page the same way. Tests run in Node, not in the
    // page, and are left out.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/engine/**', 'src/worker/**', '**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [MAIN_THREAD_ONLY] }],
    },
  },
  {
    // The page's half of the worker: the client and the protocol, beside the worker's own modules.
    files: ['src/worker/client.ts', 'src/worker/protocol.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [MAIN_THREAD_ONLY, { ...MAIN_THREAD_ONLY, group: ['./*', '!./client', '!./protocol'] }] },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
);
