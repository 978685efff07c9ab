/**
 * Precomputes the feature dashboards of a bundle's SAEs over its held-out corpus, with the very
 * engine the browser runs (src/engine/analysis), and writes them into <bundle>/dashboards/.
 *
 *   npx tsx scripts/precompute-dashboards.ts models/explorer-4l
 *   npx tsx scripts/precompute-dashboards.ts build/tiny-bundle --sae L1-resid-topk --max-seqs 64
 *
 * Options: --sae id[,id…] (default: all SAEs) · --max-seqs N (default: the whole corpus) ·
 * --shard-size N (default 128) · --workers N (threads for the corpus pass; default: one per core,
 * at most 2) · --budget-mb M (fail when the dashboards exceed M MB; default 16: about 0.9 MB for each of the
 * bundle's 17 SAEs) · --only heads (only the attention SAEs' head statistics, from the dashboards
 * already computed) · --only labels (only the heuristic labels in each summary.bin, from the
 * dashboards already computed; no model run) · --only examples (only the examples "show more" offers,
 * MORE_EXAMPLES per feature, in examples-NNNN.bin shards named in each SAE's index.json: a corpus pass).
 * Each SAE's latent map (t-SNE of its decoder) is written too; scripts/precompute-maps.ts redoes the maps alone.
 * Explanations placed beside the dashboards (dashboards/<sae>/explanations.json) are kept.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type CorpusPassRunner, precomputeDashboards, precomputeHeadStats, precomputeLabels, precomputeMoreExamples } from '../src/engine/analysis/precomputeDashboards';
import { DASHBOARDS_DIR, type DashboardsRoot } from '../src/dashboardData/dashboardIndex';
import { Engine } from '../src/engine/engine';
import { runCorpusWorker } from './corpusWorker';

/** Explanations a bundle's author places beside an SAE's dashboards (kept, and listed in its index.json). */
const EXPLANATIONS_FILE = 'explanations.json';
const USAGE = 'usage: npx tsx scripts/precompute-dashboards.ts <bundle-dir> [--sae id,id] [--max-seqs N] [--shard-size N] [--workers N] [--budget-mb M] [--only heads|labels|examples]';
/** The model and SAEs run single-threaded on wasm here, so one worker per core, up to two, pays. */
const DEFAULT_WORKERS = Math.max(1, Math.min(2, availableParallelism()));
/** The bundle may not hold a file larger than this (static hosts and the Cache API). */
const MAX_FILE_BYTES = 16e6;

interface Args {
  bundle: string;
  saeIds?: string[];
  maxSeqs?: number;
  shardSize?: number;
  workers: number;
  budgetMb: number;
  only?: 'heads' | 'labels' | 'examples';
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & { budgetMb: number; workers: number } = { budgetMb: 16, workers: DEFAULT_WORKERS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value.\n${USAGE}`);
      return v;
    };
    const count = (name: string) => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 1) fail(`${name} must be a positive integer.\n${USAGE}`);
      return v;
    };
    if (a === '--sae') args.saeIds = value().split(',').filter(Boolean);
    else if (a === '--max-seqs') args.maxSeqs = count(a);
    else if (a === '--shard-size') args.shardSize = count(a);
    else if (a === '--workers') args.workers = count(a);
    else if (a === '--budget-mb') args.budgetMb = Number(value());
    else if (a === '--only') {
      const only = value();
      args.only = only === 'heads' || only === 'labels' || only === 'examples' ? only : fail(`--only takes "heads", "labels" or "examples".\n${USAGE}`);
    }
    else if (a.startsWith('--')) fail(`unknown option ${a}.\n${USAGE}`);
    else if (args.bundle === undefined) args.bundle = a;
    else fail(`one bundle at a time (got "${args.bundle}" and "${a}").\n${USAGE}`);
  }
  if (args.bundle === undefined) fail(`name the bundle folder.\n${USAGE}`);
  return args as Args;
}

function fail(message: string): never {
  console.error(`precompute-dashboards: ${message}`);
  process.exit(2);
}

/** The more-examples shards ("show more"): fetched only on demand, so outside the budget of what a page loads. */
const MORE_EXAMPLES_FILE = /^examples-\d+\.bin$/;

async function folderBytes(dir: string): Promise<{ total: number; largest: { path: string; bytes: number }; moreExamples: number }> {
  let total = 0;
  let moreExamples = 0;
  let largest = { path: '', bytes: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const { size } = await stat(path);
    if (MORE_EXAMPLES_FILE.test(entry.name)) moreExamples += size;
    else total += size;
    if (size > largest.bytes) largest = { path, bytes: size };
  }
  return { total, largest, moreExamples };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/**
 * The root index.json to write: a run over some SAEs (--sae) keeps the entries of the others that an
 * earlier run wrote, on the same corpus, in the manifest's order; otherwise their dashboards would drop
 * out of the app.
 */
async function withEarlierSaes(path: string, fresh: Uint8Array, order: string[]): Promise<Uint8Array> {
  if (!existsSync(path)) return fresh;
  const next = JSON.parse(new TextDecoder().decode(fresh)) as DashboardsRoot;
  const earlier = JSON.parse(await readFile(path, 'utf8')) as DashboardsRoot;
  if (earlier.corpus?.sha256 !== next.corpus.sha256 || earlier.corpus.usedSeqs !== next.corpus.usedSeqs) return fresh;
  const ids = new Set(next.saes.map((s) => s.id));
  const saes = [...next.saes, ...earlier.saes.filter((s) => !ids.has(s.id))].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return new TextEncoder().encode(JSON.stringify({ ...next, saes }));
}

/** Runs a part of the corpus pass in a worker thread with its own engine. */
function workerRunner(bundleDir: string): CorpusPassRunner {
  return (job, onSequences) => runCorpusWorker(new URL('./precompute-worker.ts', import.meta.url), { bundleDir, job }, onSequences, 'corpus-pass');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const bundleDir = resolve(args.bundle);
  const started = performance.now();
  const engine = await Engine.load(bundleDir, { backend: 'wasm' });
  const { manifest } = engine;
  const heldout = manifest.data?.heldout;
  const seqs = Math.min(heldout?.n_seqs ?? 0, args.maxSeqs ?? Infinity);
  const saeCount = args.saeIds?.length ?? manifest.saes.length;
  console.log(
    `${manifest.name}: ${saeCount} SAEs over ${seqs} sequences × ${heldout?.seq_len ?? '?'} tokens ` +
      `(${engine.backend.name}, ${args.workers} worker thread${args.workers === 1 ? '' : 's'})`,
  );

  if (args.only) {
    const files =
      args.only === 'examples'
        ? await precomputeMoreExamples(engine, {
            saeIds: args.saeIds,
            parallelism: args.workers,
            runPart: args.workers > 1 ? workerRunner(bundleDir) : undefined,
            onProgress: (p) => {
              if (p.stage === 'corpus' && p.done % 256 < 16) console.log(`  [${((performance.now() - started) / 1000).toFixed(0)} s] corpus pass: ${p.done}/${p.total} sequences`);
            },
          })
        : await (args.only === 'heads' ? precomputeHeadStats : precomputeLabels)(engine, args.saeIds);
    for (const f of files) await writeFile(join(bundleDir, f.path), f.bytes);
    console.log(`wrote ${files.map((f) => f.path).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return;
  }

  let lastReport = 0;
  const written: string[] = [];
  const staleExamples = new Set<string>();
  const root = await precomputeDashboards(engine, {
    saeIds: args.saeIds,
    maxSeqs: args.maxSeqs,
    shardSize: args.shardSize,
    parallelism: args.workers,
    runPart: args.workers > 1 ? workerRunner(bundleDir) : undefined,
    onProgress: (p) => {
      const now = performance.now();
      if (p.stage === 'corpus' && p.done < p.total && now - lastReport < 5000) return;
      lastReport = now;
      const elapsed = ((now - started) / 1000).toFixed(0);
      if (p.stage === 'corpus') console.log(`  [${elapsed} s] corpus pass: ${p.done}/${p.total} sequences`);
      else if (p.stage === 'heads') console.log(`  [${elapsed} s] head statistics of ${p.saeId}`);
      else if (p.stage === 'map') console.log(`  [${elapsed} s] latent map of ${p.saeId}`);
      else if (p.saeId) console.log(`  [${elapsed} s] assembling ${p.saeId} (${p.done + 1}/${p.total})`);
    },
    onSae: async ({ saeId, files }) => {
      const dir = join(bundleDir, DASHBOARDS_DIR, saeId);
      await mkdir(dir, { recursive: true });
      // Shards of an earlier run that this one no longer writes would be stale; explanations stay.
      const keep = new Set(files.map((f) => join(bundleDir, f.path)));
      for (const name of await readdir(dir)) {
        if (/^shard-\d+\.bin$/.test(name) && !keep.has(join(dir, name))) await rm(join(dir, name));
        // The more examples came from the earlier pass; index.json no longer names them (--only examples writes them again).
        if (MORE_EXAMPLES_FILE.test(name)) {
          await rm(join(dir, name));
          staleExamples.add(saeId);
        }
      }
      for (const f of files) await writeFile(join(bundleDir, f.path), f.bytes);
      // Explanations placed beside the dashboards are listed in index.json, so the app asks for them.
      if (existsSync(join(dir, EXPLANATIONS_FILE))) {
        const indexPath = join(dir, 'index.json');
        const index = JSON.parse(await readFile(indexPath, 'utf8')) as Record<string, unknown>;
        await writeFile(indexPath, JSON.stringify({ ...index, explanations: EXPLANATIONS_FILE }));
      }
      written.push(saeId);
    },
  });
  await mkdir(dirname(join(bundleDir, root.path)), { recursive: true });
  await writeFile(join(bundleDir, root.path), await withEarlierSaes(join(bundleDir, root.path), root.bytes, manifest.saes.map((s) => s.id)));

  const seconds = (performance.now() - started) / 1000;
  const dashboards = await folderBytes(join(bundleDir, DASHBOARDS_DIR));
  const bundle = await folderBytes(bundleDir);
  console.log(`wrote dashboards of ${written.length} SAEs in ${seconds.toFixed(1)} s`);
  console.log(
    `dashboards/: ${mb(dashboards.total)} (budget ${args.budgetMb} MB) and ${mb(dashboards.moreExamples)} of more examples (fetched on demand); ` +
      `largest file ${mb(dashboards.largest.bytes)}`,
  );
  if (staleExamples.size > 0) {
    console.log(`removed the more examples of ${[...staleExamples].join(', ')} (from the earlier pass): write them again with --only examples --sae ${[...staleExamples].join(',')}`);
  }
  console.log(`whole bundle: ${mb(bundle.total)}; largest file ${bundle.largest.path.slice(bundleDir.length + 1)} ${mb(bundle.largest.bytes)}`);
  if (dashboards.total > args.budgetMb * 1e6) fail(`the dashboards take ${mb(dashboards.total)}, over the ${args.budgetMb} MB budget.`);
  if (dashboards.largest.bytes > MAX_FILE_BYTES) fail(`${dashboards.largest.path} is ${mb(dashboards.largest.bytes)}, over the ${mb(MAX_FILE_BYTES)} per-file limit.`);
  if (bundle.largest.bytes > MAX_FILE_BYTES) console.warn(`warning: ${bundle.largest.path} is over the ${mb(MAX_FILE_BYTES)} per-file limit.`);
}

main().catch((err: unknown) => {
  console.error(`precompute-dashboards failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
