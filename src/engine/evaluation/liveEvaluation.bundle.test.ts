import { beforeAll, describe, expect, it } from 'vitest';
import { loadTestEngine } from '../../../tools/testing/testEngine';
import type { Engine } from '../engine';
import { evaluateSaeLive, spreadSample } from './liveEvaluation';

const LOAD_TIMEOUT_MS = 300_000;

describe("an SAE measured live on the bundle's held-out text (Node, wasm)", () => {
  let engine: Engine;

  beforeAll(async () => {
    ({ engine } = await loadTestEngine());
  }, LOAD_TIMEOUT_MS);

  it('samples sequences spread over the whole corpus', () => {
    const corpus = { ids: Uint16Array.from({ length: 40 }, (_, i) => Math.floor(i / 4)), nSeqs: 10, seqLen: 4 };
    expect(Array.from(spreadSample(corpus, 3).ids)).toEqual([0, 0, 0, 0, 3, 3, 3, 3, 6, 6, 6, 6]);
    expect(spreadSample(corpus, 99).nSeqs).toBe(10);
  });

  it('gives a TopK SAE its k as L0, a reconstruction that explains most variance and CE recovered near the report’s', async () => {
    const info = engine.manifest.saes.find((s) => s.architecture === 'topk' && s.kind === 'resid')!;
    const progress: number[] = [];
    const figures = await evaluateSaeLive(engine, info.id, 16, { onProgress: (p) => progress.push(p.done) });
    expect(figures.nSeqs).toBe(16);
    expect(progress.at(-1)).toBe(16);
    expect(figures.l0.value).toBeCloseTo((await engine.sae(info.id)).k!, 6);
    expect(figures.fvu.value).toBeGreaterThan(0);
    expect(figures.fvu.value).toBeLessThan(0.5);
    expect(figures.ceSpliced.value).toBeGreaterThanOrEqual(figures.ceClean.value - 0.05);
    expect(figures.ceSpliced.value).toBeLessThan(figures.ceZeroAblation.value);
    const report = engine.manifest.report ? ((await engine.bundle.json(engine.manifest.report)) as { evaluation?: { saes: { id: string; overall: { ceRecoveredPct: { value: number } } }[] } }) : null;
    const bundled = report?.evaluation?.saes.find((s) => s.id === info.id)?.overall.ceRecoveredPct.value;
    if (bundled !== undefined) expect(Math.abs(figures.ceRecoveredPct.value - bundled)).toBeLessThan(10);
  }, LOAD_TIMEOUT_MS);

  it('stops when cancelled and refuses a sample too small to measure', async () => {
    const id = engine.manifest.saes[0]!.id;
    const stop = new AbortController();
    stop.abort();
    await expect(evaluateSaeLive(engine, id, 16, { signal: stop.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(evaluateSaeLive(engine, id, 1)).rejects.toThrow(/at least two/);
    await expect(evaluateSaeLive(engine, 'nope', 16)).rejects.toThrow(/no SAE "nope"/);
  }, LOAD_TIMEOUT_MS);
});
