/**
 * What the load panel says about a bundle load: which stage it is in, from the files' download
 * events and the steps between (see LoadStep). Every stage is named while it runs, so the panel never
 * sits on full bars with nothing said while ONNX Runtime compiles or the model's session is built.
 */
import type { LoadProgress, LoadStep } from '../engine/types';
import type { LoadSteps } from '../state/loadStore';
import { formatBytes } from '../format/numbers';

/** The steps in the order a load runs them (the runtime starts beside the downloads). */
export const STEP_ORDER: readonly LoadStep['step'][] = ['runtime', 'session', 'warmup'];

export const STEP_TEXT: Record<LoadStep['step'], { title: string; running: string }> = {
  runtime: { title: 'Start ONNX Runtime (compile its wasm, one test run)', running: 'Starting ONNX Runtime' },
  session: { title: 'Build the model’s session', running: 'Building the model’s session' },
  warmup: { title: 'Warm-up run of the model', running: 'Warming up the model' },
};

/**
 * The runtime's own wasm binary, downloaded beside the bundle's files (a bundle holds no wasm). Not
 * matched by its name: the page's bundle must hold none of ONNX Runtime's strings (check:main-bundle).
 */
export function isRuntimeBinary(file: string): boolean {
  return file.endsWith('.wasm');
}

const finished = (p: LoadProgress) => p.status === 'done' || p.status === 'cached';

/** The one line that says what the load waits for now. */
export function loadHeadline(files: readonly LoadProgress[], steps: LoadSteps): string {
  const pending = files.filter((f) => !finished(f));
  if (pending.length > 0) {
    const loaded = files.reduce((sum, f) => sum + (finished(f) ? (f.totalBytes ?? f.loadedBytes) : f.loadedBytes), 0);
    const total = files.every((f) => f.totalBytes !== null) ? files.reduce((sum, f) => sum + f.totalBytes!, 0) : null;
    const bytes = total !== null ? `${formatBytes(loaded)} of ${formatBytes(total)}` : formatBytes(loaded);
    const what = pending.length === 1 ? pending[0]!.file : `${pending.length} of ${files.length} files`;
    return `Downloading ${what} · ${bytes}`;
  }
  // Downloads done: the first step still running is what the reader waits for (the runtime may still compile).
  const running = STEP_ORDER.find((s) => steps[s]?.status === 'running');
  if (running) return `${STEP_TEXT[running].running}…`;
  if (files.length === 0) return 'Starting…';
  return STEP_ORDER.every((s) => steps[s]?.status === 'done') ? 'Ready' : 'Preparing…';
}

/** “running…”, “waiting”, or the time a finished step took. */
export function stepStatusText(step: LoadStep | undefined): string {
  if (!step) return 'waiting';
  if (step.status === 'running') return 'running…';
  return step.ms !== undefined ? `${(step.ms / 1000).toFixed(1)} s` : 'done';
}
