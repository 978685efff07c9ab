import { defineConfig } from 'vitest/config';

// Unit tests live beside the code they test (`foo.ts` + `foo.test.ts`) and run in Node: the engine
// is framework-free and the views keep their logic in pure helpers. Browser tests live in e2e/.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.{ts,mts}', 'bench/**/*.test.ts', 'tools/**/*.test.ts', 'vite-plugins/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'build/**', 'models/**', 'e2e/**'],
    // Two shared cores: keep test files from fighting each other and a training run.
    maxWorkers: 1,
    testTimeout: 60_000,
  },
});
