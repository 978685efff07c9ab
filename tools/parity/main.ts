/**
 * parity.html: loads the default bundle with the engine on the backend named in the URL, compares
 * every hook, the logits and the SAE activations with the bundle's PyTorch fixtures, and shows the
 * result, then checks that head attribution adds up (dfaParity.ts; `?dfa=` names the SAEs, `none`
 * skips it), and that the screened SAE encoders equal the dense ones (screenParity.ts; `?screen=`
 * names the SAEs, `none` skips it). The e2e test reads `window.__parity`; `npm run dev:tools` serves the page to check any
 * browser by hand.
 */
import { loadFixtures } from '../testing/bundleFixtures';
import { Engine } from '../../src/engine/engine';
import { checkDfaSums } from './dfaParity';
import { checkFixtureParity, describeFailures, type ParityRow } from './fixtureParity';
import { checkScreenedEncoders } from './screenParity';

/** The strongest few features per destination: enough to catch a wrong sum, few enough for software WebGPU. */
const DFA_FEATURES_PER_DEST = 3;
import type { BackendInfo, LoadProgress } from '../../src/engine/types';

export interface ParityReport {
  done: boolean;
  backend?: BackendInfo;
  rows?: ParityRow[];
  failures?: string[];
  error?: string;
  seconds?: number;
  /** the last progress event of each file, in download order ('cached' when the Cache API served it) */
  files?: LoadProgress[];
  /** what the wasm thread count depends on */
  crossOriginIsolated?: boolean;
  cores?: number;
}

declare global {
  interface Window {
    __parity?: ParityReport;
  }
}

const params = new URLSearchParams(location.search);
const statusEl = document.getElementById('status')!;
const table = document.getElementById('rows') as HTMLTableElement;

function backendParam(): 'auto' | 'wasm' | 'webgpu' {
  const b = params.get('backend') ?? 'auto';
  if (b === 'auto' || b === 'wasm' || b === 'webgpu') return b;
  throw new Error(`?backend=${b} is not one of auto, wasm, webgpu.`);
}

function list(name: string): string[] | 'all' | 'none' | 'shortest' {
  const v = params.get(name) ?? 'all';
  if (v === 'all' || v === 'none' || v === 'shortest') return v;
  return v.split(',').filter(Boolean);
}

async function main(): Promise<void> {
  const started = performance.now();
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined);
  if (!bundle) throw new Error('No bundle: pass ?bundle=<folder URL> (this build names no default bundle).');
  const bundleUrl = new URL(bundle, location.href).href;
  const files = new Map<string, LoadProgress>();
  const engine = await Engine.load(bundleUrl, {
    backend: backendParam(),
    onProgress: (p) => {
      files.set(p.file, p);
      statusEl.textContent = `Loading ${p.file}: ${p.status} ${p.loadedBytes} bytes`;
    },
  });
  statusEl.textContent = `Running on ${engine.backend.name}…`;
  const fixtures = await loadFixtures(engine.bundle);
  const promptSel = list('prompts');
  const saeSel = list('saes');
  const prompts =
    promptSel === 'all' || promptSel === 'none'
      ? undefined
      : promptSel === 'shortest'
        ? [shortest(fixtures.prompts.map((p) => p.tokens.length))]
        : promptSel.map(Number);
  const saes = saeSel === 'all' || saeSel === 'shortest' ? undefined : saeSel === 'none' ? [] : saeSel;
  const rows = await checkFixtureParity(engine, fixtures, { prompts, saes });
  // Head attribution on the same prompts: its parts must add up on this backend too.
  const dfaSel = list('dfa');
  if (dfaSel !== 'none') {
    const dfaSaes = Array.isArray(dfaSel) ? dfaSel : (saes ?? engine.listSaes().map((s) => s.id));
    for (const p of prompts ?? fixtures.prompts.map((_, i) => i)) {
      statusEl.textContent = `Splitting features by head on prompt ${p}…`;
      rows.push(...(await checkDfaSums(engine, fixtures.prompts[p]!.tokens, p, dfaSaes, { featuresPerDest: DFA_FEATURES_PER_DEST })));
    }
  }
  // Screened encoders against dense ones, on this execution provider.
  const screenSel = list('screen');
  if (screenSel !== 'none') {
    const screenSaes = Array.isArray(screenSel) ? screenSel : (saes ?? engine.listSaes().map((s) => s.id));
    for (const p of prompts ?? fixtures.prompts.map((_, i) => i)) {
      statusEl.textContent = `Screened against dense encoders on prompt ${p}…`;
      rows.push(...(await checkScreenedEncoders(engine, fixtures.prompts[p]!.tokens, p, screenSaes)));
    }
  }
  const failures = describeFailures(rows);
  const seconds = (performance.now() - started) / 1000;
  render(rows);
  statusEl.textContent =
    `${engine.backend.name}${engine.backend.detail ? ` (${engine.backend.detail})` : ''}: ` +
    `${rows.length - failures.length} of ${rows.length} outputs match in ${seconds.toFixed(1)} s.`;
  window.__parity = { done: true, backend: engine.backend, rows, failures, seconds, files: [...files.values()],
    crossOriginIsolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency };
}

function shortest(lengths: number[]): number {
  return lengths.indexOf(Math.min(...lengths));
}

function render(rows: ParityRow[]): void {
  const head = table.createTHead().insertRow();
  for (const h of ['prompt', 'output', 'max |Δ|', 'tolerance', 'ok']) head.insertCell().textContent = h;
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.insertCell().textContent = String(r.prompt);
    tr.insertCell().textContent = r.name;
    tr.insertCell().textContent = r.maxAbsDiff.toExponential(2);
    tr.insertCell().textContent = String(r.tolerance);
    tr.insertCell().textContent = r.ok ? 'yes' : 'NO';
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  statusEl.textContent = `Failed: ${message}`;
  window.__parity = { done: true, error: message };
});
