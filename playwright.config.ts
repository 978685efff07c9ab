import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_WEBGPU_ARGS, findChromium } from './scripts/chromium.mjs';

/** A fixed port, so a leftover server is an obvious error instead of a silent reuse. */
const PORT = Number(process.env.E2E_PORT ?? 4319);
/** Where the app is built and results land: separate ones let two runs share a checkout. */
const DIST = process.env.E2E_DIST ?? 'dist';
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
const vite = 'node_modules/.bin/vite';
const executablePath = findChromium();
/** Tests comparing the WebGPU and wasm backends run in a browser with WebGPU turned on. */
const WEBGPU_SPECS = /parity.*\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  outputDir: RESULTS,
  // The model runs on the CPU; two shared cores cannot run several pages at once.
  workers: 1,
  fullyParallel: false,
  // Generous: every test loads the model in a fresh browser, and CI machines may be busy.
  timeout: 420_000,
  expect: { timeout: 90_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    viewport: { width: 1360, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      // A reader's browser without WebGPU: the app probes, falls back to wasm threads, and says why.
      name: 'chromium',
      testIgnore: WEBGPU_SPECS,
      use: { launchOptions: { executablePath, args: CHROMIUM_ARGS } },
    },
    {
      name: 'chromium-webgpu',
      testMatch: WEBGPU_SPECS,
      use: { launchOptions: { executablePath, args: CHROMIUM_WEBGPU_ARGS } },
    },
  ],
  webServer: {
    // Tests run against the production build, served with the cross-origin isolation headers;
    // `exec` makes the kept pid the server's. SAE_BUNDLE_DIR passes through to the build.
    command: `${vite} build --logLevel warn --outDir ${DIST} --emptyOutDir && exec ${vite} preview --outDir ${DIST} --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
