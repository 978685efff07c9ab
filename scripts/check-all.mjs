#!/usr/bin/env node
/**
 * `npm test`: runs every check even when an earlier one fails, then prints one summary, so a lint
 * slip does not hide a broken e2e test. Exits non-zero when any check failed.
 */
import { spawnSync } from 'node:child_process';
import { ensureSystemPackages } from './systemPackages.mjs';

const CHECKS = [
  ['lint', 'npm run --silent lint'],
  ['typecheck', 'npm run --silent typecheck'],
  ['unit tests', 'npm run --silent test:unit'],
  ['main bundle', 'npm run --silent check:main-bundle'],
  ['e2e tests', 'npm run --silent test:e2e'],
  // The training pipeline end to end on its tiny configuration, then the engine's parity tests on
  // what it wrote: a pipeline change that breaks the browser's reading of a bundle fails here.
  ['pipeline smoke test', 'npm run --silent test:pipeline'],
];

// Before the first check, so a fresh machine fails here with the one command to run, not in the
// fifth check with an import error.
try {
  ensureSystemPackages();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}

const results = [];
for (const [name, command] of CHECKS) {
  console.log(`\n=== ${name}: ${command}`);
  const started = Date.now();
  const { status, signal } = spawnSync(command, { shell: true, stdio: 'inherit' });
  results.push({ name, ok: status === 0, seconds: (Date.now() - started) / 1000, why: signal ?? `exit ${status}` });
}

console.log('\n=== summary');
for (const r of results) {
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(11)} ${r.seconds.toFixed(1).padStart(6)} s${r.ok ? '' : `  (${r.why})`}`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
