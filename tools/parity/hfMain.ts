/**
 * parity.html?hf=1: after the page's own check (main.ts) is done, builds the bundle's Hugging Face
 * layout (models/<bundle>/hf/) into a graph on the same backend and checks it against model.onnx and
 * PyTorch's processed fixtures (hfParity.ts), reporting through `window.__hfParity` and a table row
 * per output under the page's own.
 */
import { Engine } from '../../src/engine/engine';
import { describeFailures } from './fixtureParity';
import { checkHfLayout } from './hfParity';
import type { ParityReport } from './main';

export type HfParityReport = Pick<ParityReport, 'done' | 'backend' | 'rows' | 'failures' | 'error' | 'seconds'>;

declare global {
  interface Window {
    __hfParity?: HfParityReport;
  }
}

const params = new URLSearchParams(location.search);

async function afterMainCheck(): Promise<void> {
  while (!(window as { __parity?: { done: boolean } }).__parity?.done) await new Promise((r) => setTimeout(r, 200));
}

async function main(): Promise<void> {
  await afterMainCheck();
  const started = performance.now();
  const status = document.createElement('p');
  document.getElementById('parity')!.append(status);
  status.textContent = 'Building the model from its Hugging Face layout…';
  const backend = (params.get('backend') ?? 'auto') as 'auto' | 'wasm' | 'webgpu';
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string);
  const bundled = await Engine.load(new URL(bundle, location.href).href, { backend });
  // SwiftShader's WebGPU is slow: one prompt is enough there.
  const prompts = params.get('prompts') === 'shortest' ? [0] : undefined;
  const { rows, built } = await checkHfLayout(bundled, backend, prompts);
  const failures = describeFailures(rows);
  status.textContent = `Hugging Face layout on ${built.backend.name}: ${rows.length - failures.length} of ${rows.length} outputs match.`;
  window.__hfParity = { done: true, backend: built.backend, rows, failures, seconds: (performance.now() - started) / 1000 };
}

if (params.get('hf') === '1') {
  main().catch((err: unknown) => {
    window.__hfParity = { done: true, error: err instanceof Error ? err.message : String(err) };
  });
}
