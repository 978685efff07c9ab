#!/usr/bin/env node
/**
 * Finds the system chromium that the e2e tests drive. We never download a browser: where chromium
 * is missing it is installed from the distribution (see systemPackages.mjs), or the error says how.
 *
 * Usage: `node scripts/chromium.mjs` prints the path (installing first when possible).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { installPackages } from './systemPackages.mjs';

/** Flags for headless chromium in containers. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Adds WebGPU, which Linux chromium keeps behind a flag. Headless it gets SwiftShader, a software
 * adapter: right for comparing numbers against wasm, far too slow for anything timed.
 */
export const CHROMIUM_WEBGPU_ARGS = [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'];

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromPath() {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found && isExecutable(found)) return found;
    } catch {
      // not on PATH under this name
    }
  }
  return null;
}

/** @returns {string | null} */
function locateChromium() {
  if (process.env.CHROMIUM_PATH) {
    if (isExecutable(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file.`);
  }
  return fromPath() ?? CANDIDATES.find(isExecutable) ?? null;
}

/**
 * The chromium executable, installed with apt when missing and we are root.
 * @returns {string}
 */
export function findChromium() {
  const found = locateChromium();
  if (found) return found;
  installPackages(['chromium']);
  const installed = locateChromium();
  if (!installed) throw new Error('apt-get installed chromium but no chromium executable was found afterwards.');
  return installed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(findChromium());
}
