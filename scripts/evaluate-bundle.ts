/**
 * Evaluates a bundle's shipped files exactly as the browser loads them (fp16 weights, the engine on
 * onnxruntime-web) on all of its held-out text: per SAE L0, FVU, dead and dense latents, and CE loss
 * with the SAE spliced in (through the model's delta inputs) and with its hook zero-ablated; the
 * model's held-out loss; each overall and per source, with 95 % bootstrap intervals over sequences.
 * Writes them into <bundle>/report.json ("evaluation") and renders <bundle>/REPORT.md.
 *
 *   npx tsx scripts/evaluate-bundle.ts models/explorer-4l
 *   npx tsx scripts/evaluate-bundle.ts build/tiny-bundle --max-seqs 64 --resamples 200
 *
 * Options: --sae id[,id…] (default: all; their figures replace theirs in an earlier evaluation of the same
 * sequences, the other SAEs' stay) · --max-seqs N (default: every held-out sequence) ·
 * --batch N (sequences per model run, default 8) · --resamples N (bootstrap, default 1000) ·
 * --workers N (threads, each with its own engine on a run of sequences; default one per core, at most 2) ·
 * --report-only (render REPORT.md again from report.json's evaluation, evaluating nothing).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCorpus } from '../src/engine/analysis/precomputeDashboards';
import { Engine } from '../src/engine/engine';
import { addTallies, emptyTallies, runEvaluationPass, type EvaluationTallies } from '../src/engine/evaluation/evaluationPass';
import { bootstrap, saeFigures } from '../src/engine/evaluation/saeEvaluation';
import { runCorpusWorker } from './corpusWorker';
import { renderReport, type Evaluation, type Report } from './evaluationReport';

const USAGE = 'usage: npx tsx scripts/evaluate-bundle.ts <bundle-dir> [--sae id,id] [--max-seqs N] [--batch N] [--resamples N] [--workers N] [--report-only]';
const SEED = 1234;

interface Args {
  bundle: string;
  saeIds?: string[];
  maxSeqs?: number;
  batch: number;
  resamples: number;
  workers: number;
  reportOnly: boolean;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & Pick<Args, 'batch' | 'resamples' | 'workers'> = {
    batch: 8,
    resamples: 1000,
    workers: Math.max(1, Math.min(2, availableParallelism())),
    reportOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const count = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) fail(`${a} needs a positive integer.\n${USAGE}`);
      return v;
    };
    if (a === '--sae') args.saeIds = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--max-seqs') args.maxSeqs = count();
    else if (a === '--batch') args.batch = count();
    else if (a === '--resamples') args.resamples = count();
    else if (a === '--workers') args.workers = count();
    else if (a === '--report-only') args.reportOnly = true;
    else if (a.startsWith('--')) fail(`unknown option ${a}.\n${USAGE}`);
    else if (args.bundle === undefined) args.bundle = a;
    else fail(`one bundle at a time.\n${USAGE}`);
  }
  if (args.bundle === undefined) fail(`name the bundle folder.\n${USAGE}`);
  return args as Args;
}

/**
 * With --sae, the SAEs evaluated now replace their entries in the report's earlier evaluation of
 * the same sequences, and the others stay (in the manifest's order); anything else starts afresh.
 */
function mergeEvaluation(earlier: Evaluation | undefined, now: Evaluation, order: string[]): Evaluation {
  const comparable = earlier && earlier.sequences === now.sequences && earlier.seq_len === now.seq_len && earlier.resamples === now.resamples;
  if (!comparable) return now;
  const fresh = new Map(now.saes.map((s) => [s.id, s]));
  const kept = new Map(earlier.saes.filter((s) => !fresh.has(s.id)).map((s) => [s.id, s]));
  const saes = order.flatMap((id) => fresh.get(id) ?? kept.get(id) ?? []);
  return { ...earlier, saes, seconds: earlier.seconds + now.seconds };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const dir = resolve(args.bundle);
  if (args.reportOnly) {
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
    if (!report.evaluation) fail(`${dir}/report.json has no evaluation yet: run the evaluation first.`);
    await writeFile(join(dir, 'REPORT.md'), renderReport(report));
    console.log('wrote REPORT.md');
    return;
  }
  const engine = await Engine.load(dir, { backend: 'wasm' });
  const { manifest } = engine;
  const { corpus } = await loadCorpus(engine);
  const heldout = manifest.data!.heldout!;
  const sources = heldout.sources ?? [{ id: 'all', n_seqs: heldout.n_seqs }];
  const sourceOf = sources.flatMap((s, i) => new Array<number>(s.n_seqs).fill(i));
  const nSeqs = Math.min(corpus.nSeqs, args.maxSeqs ?? Infinity);
  const T = corpus.seqLen;
  const infos = manifest.saes.filter((s) => !args.saeIds || args.saeIds.includes(s.id));
  if (infos.length === 0) fail(`no SAE matches ${args.saeIds?.join(', ')}.`);
  const base = { saeIds: infos.map((s) => s.id), batch: args.batch, sourceOf, nSources: sources.length };

  const workers = Math.min(args.workers, Math.ceil(nSeqs / args.batch));
  console.log(`evaluating ${infos.length} SAEs on ${nSeqs} sequences × ${T} tokens in ${workers} thread(s)`);
  let done = 0;
  const progress = (n: number) => {
    const before = done;
    done += n;
    if (Math.floor(done / 80) > Math.floor(before / 80) || done === nSeqs) {
      console.log(`  ${done}/${nSeqs} sequences (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  };
  const cut = (w: number) => Math.round((nSeqs * w) / workers);
  const jobs = Array.from({ length: workers }, (_, w) => ({ ...base, seqFrom: cut(w), seqTo: cut(w + 1) }));
  const parts =
    workers === 1
      ? [await runEvaluationPass(engine, corpus, jobs[0]!, progress)]
      : await Promise.all(
          jobs.map((job) => runCorpusWorker<EvaluationTallies>(new URL('./evaluate-worker.ts', import.meta.url), { bundleDir: dir, job }, progress, 'evaluation')),
        );
  const tallies = emptyTallies(engine, base, corpus.nSeqs);
  for (const part of parts) addTallies(tallies, part);
  const clean = tallies.clean;

  const all = Array.from({ length: nSeqs }, (_, s) => s);
  const bySource = sources
    .map((src, i) => ({ id: src.id, index: i, seqs: all.filter((s) => sourceOf[s] === i) }))
    .filter((s) => s.seqs.length > 0);
  const figures = (i: number, seqs: number[], srcs: number[]) => {
    const hook = infos[i]!.hook_name;
    return saeFigures(tallies.saes[i]!, tallies.moments[hook]!, clean, tallies.zero[hook]!, seqs, srcs, args.resamples, SEED);
  };
  const evaluation: Evaluation = {
    evaluator: 'scripts/evaluate-bundle.ts (the engine on onnxruntime-web, wasm)',
    sequences: nSeqs,
    seq_len: T,
    resamples: args.resamples,
    seconds: (Date.now() - started) / 1000,
    model: {
      heldout_loss: bootstrap(all, (set) => clean.mean(set), args.resamples, SEED),
      by_source: Object.fromEntries(bySource.map((src) => [src.id, bootstrap(src.seqs, (set) => clean.mean(set), args.resamples, SEED)])),
    },
    saes: infos.map((info, i) => ({
      id: info.id,
      hook_name: info.hook_name,
      architecture: info.architecture,
      kind: info.kind,
      d_sae: info.d_sae,
      overall: figures(i, all, bySource.map((s) => s.index)),
      by_source: Object.fromEntries(bySource.map((src) => [src.id, figures(i, src.seqs, [src.index])])),
    })),
  };

  const reportPath = join(dir, 'report.json');
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
  report.evaluation = args.saeIds ? mergeEvaluation(report.evaluation, evaluation, manifest.saes.map((s) => s.id)) : evaluation;
  await writeFile(reportPath, `${JSON.stringify(report, null, 1)}\n`);
  await writeFile(join(dir, 'REPORT.md'), renderReport(report));
  console.log(`wrote report.json and REPORT.md in ${(evaluation.seconds / 60).toFixed(1)} min`);
}

await main();
