/**
 * Screened encoders equal the dense ones on this execution provider: every SAE screening covers
 * encodes the hook activations of a fixture prompt on both paths (EncoderBank 'screened' and
 * 'dense'); the active sets must be identical and each value within 1e-6 of the scale of its dot
 * product, ‖x − b_dec‖·‖w_j‖. The same check runs in the browser on wasm and WebGPU (parity.html).
 */
import type { Engine } from '../../src/engine/engine';
import { EncoderBank } from '../../src/engine/sae/encoderBank';
import { isScreenable } from '../../src/engine/sae/screening';
import type { SparseRows } from '../../src/engine/sae/sparseRows';
import type { Sae } from '../../src/engine/types';
import type { ParityRow } from './fixtureParity';

const TOLERANCE = 1e-6;

/** One row per screenable SAE: `maxAbsDiff` is the worst value gap over its dot product's scale, Infinity when the sets differ. */
export async function checkScreenedEncoders(engine: Engine, ids: number[], prompt: number, saeIds: readonly string[]): Promise<ParityRow[]> {
  const rows: ParityRow[] = [];
  for (const saeId of saeIds) {
    const sae = await engine.sae(saeId);
    if (!isScreenable(sae)) continue;
    const acts = (await engine.run(ids, [sae.hookName])).hooks[sae.hookName]!.data as Float32Array;
    const hook = new Map([[sae.hookName, acts]]);
    const encoded: SparseRows[] = [];
    for (const path of ['dense', 'screened'] as const) {
      const bank = await EncoderBank.create([sae], path);
      try {
        encoded.push((await bank.encodeSparse(hook, ids.length))[0]!);
      } finally {
        await bank.release();
      }
    }
    const gap = worstGap(sae, acts, encoded[0]!, encoded[1]!);
    rows.push({ prompt, name: `screen.${saeId}`, maxAbsDiff: gap, tolerance: TOLERANCE, dims: [ids.length, sae.dSae], expectedDims: [ids.length, sae.dSae], ok: gap <= TOLERANCE });
  }
  return rows;
}

function worstGap(sae: Sae, x: Float32Array, dense: SparseRows, screened: SparseRows): number {
  const { dIn, dSae, weights: w } = sae;
  const bDec = sae.applyBDecToInput ? w.b_dec : new Float32Array(dIn);
  let worst = 0;
  for (let t = 0; t < dense.nRows; t++) {
    const [a0, a1, b0, b1] = [dense.rowStart[t]!, dense.rowStart[t + 1]!, screened.rowStart[t]!, screened.rowStart[t + 1]!];
    if (a1 - a0 !== b1 - b0) return Infinity;
    let xNorm = 0;
    for (let i = 0; i < dIn; i++) xNorm += (x[t * dIn + i]! - bDec[i]!) ** 2;
    for (let e = 0; e < a1 - a0; e++) {
      const f = dense.features[a0 + e]!;
      if (screened.features[b0 + e] !== f) return Infinity;
      let wNorm = 0;
      for (let i = 0; i < dIn; i++) wNorm += w.W_enc[i * dSae + f]! ** 2;
      const scale = Math.max(1, Math.sqrt(xNorm * wNorm));
      worst = Math.max(worst, Math.abs(dense.values[a0 + e]! - screened.values[b0 + e]!) / scale);
    }
  }
  return worst;
}
