/**
 * dfa-bench.html: the browser half of `npm run bench:dfa` (bench/dfa.ts). It loads the bundle, takes
 * a text from the held-out corpus, and offers `window.__dfaRound()`: one timed computation of the
 * direct feature attribution (every head × every source token) of the strongest features of every
 * attention SAE at their peak tokens — the model and the SAEs run once for all of them, as the
 * engine's attribution does for several features — with the features and the parts' checksum, so the
 * driver can check PyTorch did the same work and got the same numbers.
 */
import { attentionDfa, encoderColumn } from '../../src/engine/analysis/headAttribution';
import { Engine } from '../../src/engine/engine';
import type { BackendInfo } from '../../src/engine/types';

export interface DfaQuery {
  saeId: string;
  feature: number;
  dest: number;
}

export interface DfaBenchReady {
  backend: BackendInfo;
  crossOriginIsolated: boolean;
  cores: number;
  ids: number[];
  saeIds: string[];
}

export interface DfaBenchRound {
  ms: number;
  queries: DfaQuery[];
  /** Σ |part| over every query's [n_heads, T] attribution */
  checksum: number;
}

declare global {
  interface Window {
    __dfaReady?: DfaBenchReady | { error: string };
    __dfaRound?: () => Promise<DfaBenchRound>;
  }
}

const params = new URLSearchParams(location.search);
const statusEl = document.getElementById('status')!;

async function main(): Promise<void> {
  const bundle = params.get('bundle') ?? (import.meta.env.VITE_DEFAULT_BUNDLE as string | undefined);
  if (!bundle) throw new Error('No bundle: pass ?bundle=<folder URL> (this build names no default bundle).');
  const threads = params.has('threads') ? Number(params.get('threads')) : undefined;
  const engine = await Engine.load(new URL(bundle, location.href).href, { backend: 'wasm', wasmThreads: threads });
  const { n_heads: nHeads, d_head: dHead, n_layers: nLayers } = engine.manifest.model;
  const heldout = engine.manifest.data?.heldout;
  if (!heldout) throw new Error('The bundle has no held-out corpus to take the text from.');
  const corpus = new Uint16Array((await engine.bundle.bytes(heldout.path)).slice().buffer);
  const tokens = Number(params.get('tokens') ?? 128);
  const perSae = Number(params.get('features') ?? 8);
  const ids = [engine.manifest.model.bos_token_id, ...Array.from(corpus.subarray(1, heldout.seq_len), Number), ...Array.from(corpus.subarray(heldout.seq_len + 1, 2 * heldout.seq_len), Number)].slice(0, tokens);
  const saeIds = engine.listSaes().filter((s) => s.kind === 'attn').map((s) => s.id);
  const saes = await Promise.all(saeIds.map((id) => engine.sae(id)));
  const T = ids.length;
  const patternHooks = Array.from({ length: nLayers }, (_, l) => [`blocks.${l}.attn.hook_v`, `blocks.${l}.attn.hook_pattern`]).flat();
  const round = async (): Promise<DfaBenchRound> => {
    const t = performance.now();
    const { acts, hooks } = await engine.featureActsWithHooks(ids, saeIds, patternHooks);
    const queries: DfaQuery[] = [];
    let checksum = 0;
    saes.forEach((sae, i) => {
      const { acts: a, dSae } = acts.get(sae.id)!;
      // each feature's peak over the text (BOS aside), the strongest first
      const peak = new Float32Array(dSae);
      const at = new Int32Array(dSae);
      for (let d = 1; d < T; d++) {
        for (let f = 0; f < dSae; f++) {
          if (a[d * dSae + f]! <= peak[f]!) continue;
          peak[f] = a[d * dSae + f]!;
          at[f] = d;
        }
      }
      const top = Array.from(peak.keys()).filter((f) => peak[f]! > 0).sort((x, y) => peak[y]! - peak[x]! || x - y).slice(0, perSae);
      const layer = Number(/^blocks\.(\d+)\./.exec(sae.hookName)![1]);
      const v = hooks[`blocks.${layer}.attn.hook_v`]!.data as Float32Array;
      const pattern = hooks[`blocks.${layer}.attn.hook_pattern`]!.data as Float32Array;
      for (const f of top) {
        const parts = attentionDfa(v, pattern, { T, nHeads, dHead }, at[f]!, encoderColumn(sae, f));
        for (const p of parts) checksum += Math.abs(p);
        queries.push({ saeId: saeIds[i]!, feature: f, dest: at[f]! });
      }
    });
    return { ms: performance.now() - t, queries, checksum };
  };
  statusEl.textContent = `Warming up on ${engine.backend.name}…`;
  await round();
  window.__dfaRound = round;
  window.__dfaReady = { backend: engine.backend, crossOriginIsolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency, ids, saeIds };
  statusEl.textContent = `Ready on ${engine.backend.name} (${engine.backend.threads} threads).`;
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  statusEl.textContent = `Failed: ${message}`;
  window.__dfaReady = { error: message };
});
