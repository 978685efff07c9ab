/**
 * Computes the latent maps of a bundle's SAEs (t-SNE of their decoder directions, the engine's own
 * src/engine/tsne) and writes each into its dashboards folder, naming it in the SAE's index.json.
 * The full dashboard precompute writes them too; this redoes only the maps, without a corpus pass.
 *
 *   npx tsx scripts/precompute-maps.ts models/explorer-4l
 *   npx tsx scripts/precompute-maps.ts models/explorer-4l --sae L2-resid-topk --perplexity 50
 *
 * Options: --sae id[,id…] (default: every SAE with dashboards) · --perplexity P (30) ·
 * --iterations N (1000) · --seed S (1).
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Engine } from '../src/engine/engine';
import { precomputeLatentMaps } from '../src/engine/tsne/precomputeMaps';
import type { TsneSettings } from '../src/engine/tsne/tsne';

const USAGE = 'usage: npx tsx scripts/precompute-maps.ts <bundle-dir> [--sae id,id] [--perplexity P] [--iterations N] [--seed S]';

function fail(message: string): never {
  console.error(`precompute-maps: ${message}`);
  process.exit(2);
}

function parseArgs(argv: string[]): { bundle: string; saeIds?: string[]; settings: Partial<TsneSettings> } {
  let bundle: string | undefined;
  let saeIds: string[] | undefined;
  const settings: Partial<TsneSettings> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const number = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) fail(`${a} needs a positive number.\n${USAGE}`);
      return v;
    };
    if (a === '--sae') saeIds = (argv[++i] ?? fail(`--sae needs a value.\n${USAGE}`)).split(',').filter(Boolean);
    else if (a === '--perplexity') settings.perplexity = number();
    else if (a === '--iterations') settings.iterations = number();
    else if (a === '--seed') settings.seed = number();
    else if (a.startsWith('--')) fail(`unknown option ${a}.\n${USAGE}`);
    else if (bundle === undefined) bundle = a;
    else fail(`one bundle at a time (got "${bundle}" and "${a}").\n${USAGE}`);
  }
  if (bundle === undefined) fail(`name the bundle folder.\n${USAGE}`);
  return { bundle, ...(saeIds ? { saeIds } : {}), settings };
}

async function main(): Promise<void> {
  const { bundle, saeIds, settings } = parseArgs(process.argv.slice(2));
  const bundleDir = resolve(bundle);
  const started = performance.now();
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const files = await precomputeLatentMaps(engine, saeIds, settings, (p) => {
    if (p.finished) console.log(`  ${p.saeId}: KL ${p.finished.kl.toFixed(3)} in ${p.finished.seconds.toFixed(1)} s (${p.done}/${p.total})`);
  });
  for (const f of files) await writeFile(join(bundleDir, f.path), f.bytes);
  const mapBytes = files.filter((f) => f.path.endsWith('.bin')).reduce((s, f) => s + f.bytes.length, 0);
  console.log(`wrote ${files.length / 2} maps (${(mapBytes / 1e3).toFixed(0)} kB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(`precompute-maps failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
