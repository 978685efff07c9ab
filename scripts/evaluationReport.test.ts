import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBundleDir } from '../tools/testing/testBundleDir';
import { missedTargets, renderReport, type Report, type SaeEvaluation } from './evaluationReport';

const TOPK_STYLES = ['topk', 'abstopk', 'matching_pursuit'];

describe("the bundle's report, as scripts/evaluate-bundle.ts wrote it", () => {
  const dir = testBundleDir();
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Report;
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    saes: { id: string; path: string }[];
    data: { heldout: { n_seqs: number; sources?: { id: string; n_seqs: number }[] } };
  };
  const ev = report.evaluation;

  it('evaluates every SAE of the manifest on every held-out sequence, per source', () => {
    if (!ev) throw new Error(`${dir}/report.json has no "evaluation": run npx tsx scripts/evaluate-bundle.ts ${dir}`);
    expect(ev.saes.map((s) => s.id)).toEqual(manifest.saes.map((s) => s.id));
    expect(ev.sequences).toBe(manifest.data.heldout.n_seqs);
    const sources = (manifest.data.heldout.sources ?? []).filter((s) => s.n_seqs > 0).map((s) => s.id);
    expect(Object.keys(ev.model.by_source)).toEqual(sources);
  });

  it('gives figures that hang together', () => {
    for (const s of ev!.saes) {
      const f = s.overall;
      for (const i of [f.l0, f.fvu, f.ceClean, f.ceSpliced, f.ceZeroAblation, f.ceRecoveredPct]) {
        expect(i.lo).toBeLessThanOrEqual(i.value + 1e-9);
        expect(i.hi).toBeGreaterThanOrEqual(i.value - 1e-9);
      }
      expect(f.fvu.value, s.id).toBeGreaterThan(0);
      expect(f.deadPct).toBeGreaterThanOrEqual(0);
      expect(f.deadPct).toBeLessThanOrEqual(100);
      expect(f.ceClean.value).toBeCloseTo(ev!.model.heldout_loss.value, 6);
      if (TOPK_STYLES.includes(s.architecture)) {
        const { k } = JSON.parse(readFileSync(path.join(dir, manifest.saes.find((m) => m.id === s.id)!.path, 'cfg.json'), 'utf8')) as { k: number };
        expect(f.l0.value, s.id).toBeLessThanOrEqual(k);
      }
    }
  });

  it('renders REPORT.md with every SAE and the targets it misses', () => {
    const md = renderReport(report);
    for (const s of ev!.saes) expect(md).toContain(`| ${s.id} |`);
    const missed = ev!.saes.filter((s) => missedTargets(s, report.targets).length > 0);
    if (missed.length) expect(md).toContain('Missed:');
    else expect(md).toContain('Every SAE meets its targets.');
    expect(readFileSync(path.join(dir, 'REPORT.md'), 'utf8')).toBe(md);
  });
});

describe('missedTargets', () => {
  const figures = (fvu: number, deadPct: number, ce: number, l0 = 32) => {
    const i = (value: number) => ({ value, lo: value, hi: value });
    return { tokens: 1, l0: i(l0), fvu: i(fvu), deadPct, densePct: 0, ceClean: i(1), ceSpliced: i(1), ceZeroAblation: i(2), ceRecoveredPct: i(ce) };
  };
  const sae = (architecture: string, kind: string, f: ReturnType<typeof figures>): SaeEvaluation => ({
    id: 'x',
    hook_name: 'h',
    architecture,
    kind,
    d_sae: 8,
    overall: f,
    by_source: {},
  });
  const targets = {
    topk_dead_pct: 1,
    topk_fvu: 0.08,
    topk_ce_recovered_pct: 97,
    attn_dead_pct: 5,
    attn_fvu: 0.15,
    attn_ce_recovered_pct: 95,
    l1_fvu: 0.2,
    l1_max_l0: 64,
    jumprelu_dead_pct: 5,
    jumprelu_fvu: 0.1,
  };

  it('holds attention SAEs to their own, looser targets', () => {
    expect(missedTargets(sae('topk', 'attn', figures(0.12, 3, 96)), targets)).toEqual([]);
    expect(missedTargets(sae('topk', 'resid', figures(0.12, 3, 96)), targets)).toHaveLength(3);
  });

  it('judges ReLU + L1 by FVU at its L0', () => {
    expect(missedTargets(sae('standard', 'resid', figures(0.19, 0, 90, 70)), targets)).toEqual(['L0 70.0 > 64']);
  });
});
