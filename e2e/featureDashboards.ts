/**
 * What the dashboard e2e tests know about the served bundle's precomputed dashboards, read from
 * disk: which SAEs have them, and which features are live or dead.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bundle } from './explorer';

interface SaeIndexFile {
  sae: { id: string; dSae: number };
  shards: { path: string; first: number; count: number }[];
  features: { nActive: number[]; label: string[]; topTokens: number[] };
}

const rootFile = path.join(bundle.dir, 'dashboards', 'index.json');
if (!existsSync(rootFile)) {
  throw new Error(
    `${rootFile} does not exist: the bundle under test has no dashboards. ` +
      `Run \`npx tsx scripts/precompute-dashboards.ts ${path.relative(process.cwd(), bundle.dir)}\` before the e2e tests.`,
  );
}

export const dashboardsRoot = JSON.parse(readFileSync(rootFile, 'utf8')) as {
  saes: { id: string; dSae: number; nDead: number }[];
  vocab: string[];
};

export function saeIndex(saeId: string): SaeIndexFile {
  const dir = path.join(bundle.dir, 'dashboards', saeId);
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as Omit<SaeIndexFile, 'features'> & { summary: string };
  // summary.bin: a 16-byte header, then gzip JSON (docs/ARCHITECTURE.md, "Dashboards").
  const summary = readFileSync(path.join(dir, index.summary)).subarray(16);
  return { ...index, features: JSON.parse(gunzipSync(summary).toString('utf8')) as SaeIndexFile['features'] };
}

/** The live feature that fires most often: every panel has something to show for it. */
export function busiestFeature(saeId: string): number {
  const { nActive } = saeIndex(saeId).features;
  return nActive.indexOf(Math.max(...nActive));
}
