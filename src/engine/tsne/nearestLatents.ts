/**
 * For a joint map: which latents of other SAEs write most nearly the same direction as one latent,
 * by decoder cosine — the way to tell a feature every architecture learned from one only this SAE has.
 */
import { EngineError } from '../../errors/engineError';
import type { Engine } from '../engine';
import { TopK } from '../analysis/topK';

export interface NearestLatents {
  saeId: string;
  /** nearest first */
  latents: { index: number; cosine: number }[];
}

export async function nearestLatents(engine: Engine, saeId: string, index: number, saeIds: string[], k: number): Promise<NearestLatents[]> {
  const from = await engine.sae(saeId);
  if (!Number.isSafeInteger(index) || index < 0 || index >= from.dSae) {
    throw new EngineError(`Latent ${index} does not exist: "${saeId}" has latents 0 to ${from.dSae - 1}.`, saeId, 'not-found');
  }
  const d = from.dIn;
  const direction = from.weights.W_dec.subarray(index * d, (index + 1) * d);
  const norm = Math.hypot(...direction) || 1;
  const out: NearestLatents[] = [];
  for (const otherId of saeIds) {
    const other = await engine.sae(otherId);
    if (other.dIn !== d) throw new EngineError(`"${otherId}" reads ${other.dIn}-wide activations and "${saeId}" ${d}-wide: their latents cannot be compared.`, otherId);
    const top = new TopK(k);
    const W = other.weights.W_dec;
    for (let f = 0; f < other.dSae; f++) {
      if (otherId === saeId && f === index) continue;
      let dot = 0;
      let sq = 0;
      for (let j = 0; j < d; j++) {
        const w = W[f * d + j]!;
        dot += w * direction[j]!;
        sq += w * w;
      }
      if (sq > 0) top.push(dot / Math.sqrt(sq) / norm, f);
    }
    out.push({ saeId: otherId, latents: top.entries().map(({ id, value }) => ({ index: id, cosine: value })) });
  }
  return out;
}
