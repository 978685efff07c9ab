import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testBundleDir } from '../../tools/testing/testBundleDir';
import { parseBundleReport } from './bundleReport';

describe('parseBundleReport', () => {
  it("reads the test bundle's evaluation: one entry per SAE with its figures", () => {
    const dir = testBundleDir();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { report: string; saes: { id: string }[] };
    const json = JSON.parse(readFileSync(path.join(dir, manifest.report), 'utf8')) as unknown;
    const report = parseBundleReport(json, 'report.json');
    expect(report.saes.map((s) => s.id)).toEqual(manifest.saes.map((s) => s.id));
    for (const s of report.saes) {
      expect(s.l0.value).toBeGreaterThan(0);
      expect(s.ceRecoveredPct.lo).toBeLessThanOrEqual(s.ceRecoveredPct.value);
    }
  });

  it('names what is missing or wrong', () => {
    expect(() => parseBundleReport({ name: 'x' }, 'report.json')).toThrow(/has no evaluation/);
    expect(() => parseBundleReport({ evaluation: { sequences: 3, saes: [{ id: 'a', overall: { tokens: 1 } }] } }, 'report.json')).toThrow(
      /evaluation.saes\[0\].overall.l0 must be an object/,
    );
  });
});
