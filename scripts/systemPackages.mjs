#!/usr/bin/env node
/**
 * The Debian packages the tests need beyond Node: chromium for the e2e tests, PyTorch and friends
 * for the training pipeline's smoke test. `npm test` and `.ci/run` call `ensureSystemPackages()`
 * before the first check: as root (CI containers, fresh machines) it installs what is missing with
 * apt-get; otherwise it stops with the one command to run.
 *
 * Usage: `node scripts/systemPackages.mjs` installs what is missing (or says how).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export const SYSTEM_PACKAGES = [
  'chromium',
  // the pipeline runs on Debian's own /usr/bin/python3 with Debian's torch, which needs OpenBLAS
  // to be usable; regex is the tokenizer's pre-splitter; the Bible is one of the corpora
  'python3-torch',
  'python3-onnx',
  'python3-numpy',
  'python3-regex',
  'libopenblas0-pthread',
  'bible-kjv',
  'bible-kjv-text',
  // the engine's WebAssembly kernels: a test rebuilds them and checks the committed ones match
  'clang-14',
  'lld-14',
];

/** @returns {string[]} the packages of `packages` that dpkg does not list as installed */
export function missingPackages(packages = SYSTEM_PACKAGES) {
  return packages.filter((pkg) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

/** Installs `packages` with apt-get as root; anyone else gets an error naming the command to run. */
export function installPackages(packages) {
  if (packages.length === 0) return;
  const command = `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`Missing Debian packages: ${packages.join(', ')}. Install them with\n\n  ${command}\n\nand run again.`);
  }
  console.error(`[system packages] installing ${packages.join(' ')} with apt-get…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

/** Every package the tests need, installed (as root) or reported with the command that installs it. */
export function ensureSystemPackages() {
  installPackages(missingPackages());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureSystemPackages();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
