import { useEffect, useMemo, useState } from 'react';
import { usePromptStore } from '../../state/promptStore';
import { request } from '../../state/session';
import type { PromptActivations } from '../../worker/protocol';

/**
 * The reader's current text encoded by SAE `saeId`: the prompt view's result when it is for this
 * SAE, else computed in the worker on the map's own lane (so neither view drops the other's request).
 */
export function useReaderActivations(saeId: string, enabled: boolean): { acts: PromptActivations | null; failed: string | null } {
  const text = usePromptStore((s) => s.text);
  const promptResult = usePromptStore((s) => (s.result?.saeId === saeId && s.result.text === s.text ? s.result : null));
  const [own, setOwn] = useState<{ key: string; acts: PromptActivations | null; failed: string | null } | null>(null);
  const key = `${saeId}\u0000${text}`;
  const needed = enabled && promptResult === null && text.trim() !== '';

  useEffect(() => {
    if (!needed) return;
    let current = true;
    request('analyze', { text, saeId, lane: 'map' }).then(
      (acts) => current && acts && setOwn({ key, acts, failed: null }),
      (err: unknown) => current && setOwn({ key, acts: null, failed: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      current = false;
    };
  }, [needed, key, text, saeId]);

  if (!enabled) return { acts: null, failed: null };
  if (promptResult) return { acts: promptResult, failed: null };
  return own?.key === key ? { acts: own.acts, failed: own.failed } : { acts: null, failed: null };
}

/** Each feature's largest |activation| over the text's tokens (BOS left out), for the active ones. */
export function activeFeatures(acts: PromptActivations, token: number | null): Map<number, number> {
  const out = new Map<number, number>();
  const { nTokens, dSae } = acts;
  const from = token ?? 1;
  const to = token === null ? nTokens : token + 1;
  for (let t = Math.max(1, from); t < to; t++) {
    for (let f = 0; f < dSae; f++) {
      const v = Math.abs(acts.acts[t * dSae + f]!);
      if (v > 0 && v > (out.get(f) ?? 0)) out.set(f, v);
    }
  }
  return out;
}

/** Radius of a lit latent at the text's strongest activation, in CSS pixels (the weakest get 3). */
const MAX_LIT_RADIUS = 8;

/**
 * The latents active on the text (or on token `token` alone) of a map of `n` latents, and the radius
 * each is drawn at, by its activation; null when the activations are not this map's SAE's.
 */
export function useLitLatents(acts: PromptActivations | null, token: number | null, n: number): { active: Map<number, number>; radii: Map<number, number> } | null {
  return useMemo(() => {
    if (!acts || acts.dSae !== n) return null;
    const active = activeFeatures(acts, token);
    const strongest = Math.max(0, ...active.values());
    const radii = new Map([...active].map(([f, v]) => [f, 3 + (MAX_LIT_RADIUS - 3) * (strongest > 0 ? v / strongest : 0)]));
    return { active, radii };
  }, [acts, token, n]);
}
