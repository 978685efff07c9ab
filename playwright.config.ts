import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_WEBGPU_ARGS, findChromium } from './scripts/chromium.mjs';

/** Fixed ports, so a leftover server is an obvious error instead of a silent reuse. */
const PORT = Number(process.env.E2E_PORT ?? 4319);
/** The parity page is served apart from the app, which never ships it (tools/vite.config.ts). */
const TOOLS_PORT = Number(process.env.E2E_TOOLS_PORT ?? PORT + 1);
/** Where the app and the tool pages are built and results land: separate ones let two runs share a checkout. */
const DIST = process.env.E2E_DIST ?? 'dist';
const TOOLS_DIST = path.resolve(import.meta.dirname, `${DIST}-tools`);
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';
const vite = 'node_modules/.bin/vite';
const TOOLS_CONFIG = '--config tools/vite.config.ts';
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
    // The app's offline service worker would answer requests before page.route() sees them, and keep
    // files from one test for the next: only the offline test (e2e/offline.spec.ts) allows it.
    serviceWorkers: 'block',
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
      use: { baseURL: `http://localhost:${TOOLS_PORT}/`, launchOptions: { executablePath, args: CHROMIUM_WEBGPU_ARGS } },
    },
  ],
  // Tests run against production builds, served with the cross-origin isolation headers; `exec`
  // makes the kept pid the server's. SAE_BUNDLE_DIR passes through to the builds.
  webServer: [
    {
      command: `${vite} build --logLevel warn --outDir ${DIST} --emptyOutDir && exec ${vite} preview --outDir ${DIST} --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}/`,
      reuseExistingServer: false,
      timeout: 300_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      // The tools' Vite root is tools/, so their outDir is given as an absolute path.
      command:
        `${vite} build ${TOOLS_CONFIG} --logLevel warn --outDir ${TOOLS_DIST} --emptyOutDir && ` +
        `exec ${vite} preview ${TOOLS_CONFIG} --outDir ${TOOLS_DIST} --port ${TOOLS_PORT} --strictPort`,
      url: `http://localhost:${TOOLS_PORT}/parity.html`,
      reuseExistingServer: false,
      timeout: 300_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
