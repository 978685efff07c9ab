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
 * Options: --sae id[,id…] (default: all) · --max-seqs N (default: every held-out sequence) ·
 * --batch N (sequences per model run, default 8) · --resamples N (bootstrap, default 1000).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readCorpus, sequence } from '../src/dashboardData/corpus';
import { Engine } from '../src/engine/engine';
import { CrossEntropy, HookMoments, saeFigures, SaeTally, bootstrap } from '../src/engine/evaluation/saeEvaluation';
import { ablationDelta, spliceDelta } from '../src/engine/evaluation/splice';
import { deltaPointFor } from '../src/engine/model/deltaPoint';
import { SaeCodec } from '../src/engine/sae/saeCodec';
import { renderReport, type Evaluation, type Report } from './evaluationReport';

const USAGE = 'usage: npx tsx scripts/evaluate-bundle.ts <bundle-dir> [--sae id,id] [--max-seqs N] [--batch N] [--resamples N]';
const SEED = 1234;

interface Args {
  bundle: string;
  saeIds?: string[];
  maxSeqs?: number;
  batch: number;
  resamples: number;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & Pick<Args, 'batch' | 'resamples'> = { batch: 8, resamples: 1000 };
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
    else if (a.startsWith('--')) fail(`unknown option ${a}.\n${USAGE}`);
    else if (args.bundle === undefined) args.bundle = a;
    else fail(`one bundle at a time.\n${USAGE}`);
  }
  if (args.bundle === undefined) fail(`name the bundle folder.\n${USAGE}`);
  return args as Args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const dir = resolve(args.bundle);
  const engine = await Engine.load(dir, { backend: 'wasm' });
  const { manifest } = engine;
  const { model } = manifest;
  const heldout = manifest.data?.heldout ?? fail(`${dir}/manifest.json names no held-out corpus (data.heldout).`);
  const corpus = readCorpus(await engine.bundle.bytes(heldout.path), { nSeqs: heldout.n_seqs, seqLen: heldout.seq_len, dVocab: model.d_vocab }, heldout.path);
  const sources = heldout.sources ?? [{ id: 'all', n_seqs: heldout.n_seqs }];
  const sourceOf = sources.flatMap((s, i) => new Array<number>(s.n_seqs).fill(i));
  const nSeqs = Math.min(corpus.nSeqs, args.maxSeqs ?? Infinity);
  const T = corpus.seqLen;

  const infos = manifest.saes.filter((s) => !args.saeIds || args.saeIds.includes(s.id));
  if (infos.length === 0) fail(`no SAE matches ${args.saeIds?.join(', ')}.`);
  const hooks = [...new Set(infos.map((s) => s.hook_name))];
  const points = new Map(hooks.map((h) => [h, deltaPointFor(h, model.steer_inputs) ?? fail(`the model cannot splice at ${h}.`)]));
  const codecs = await Promise.all(infos.map(async (s) => SaeCodec.create(await engine.sae(s.id))));
  const width = model.d_model; // every SAE hook is d_model wide (hook_z flattened over heads)

  const clean = new CrossEntropy(nSeqs);
  const zero = new Map(hooks.map((h) => [h, new CrossEntropy(nSeqs)]));
  const moments = new Map(hooks.map((h) => [h, new HookMoments(nSeqs, width)]));
  const tallies = infos.map((s) => new SaeTally(nSeqs, s.d_sae, sources.length));

  console.log(`evaluating ${infos.length} SAEs on ${nSeqs} sequences × ${T} tokens (${hooks.length} hooks)`);
  for (let first = 0; first < nSeqs; first += args.batch) {
    const seqIdx = Array.from({ length: Math.min(args.batch, nSeqs - first) }, (_, i) => first + i);
    const ids = seqIdx.map((s) => sequence(corpus, s));
    const B = ids.length;
    const out = await engine.model.runBatch(ids, hooks);
    const addCe = (ce: CrossEntropy, logits: Float32Array) =>
      seqIdx.forEach((s, b) => ce.add(s, logits.subarray(b * T * model.d_vocab, (b + 1) * T * model.d_vocab), ids[b]!, model.d_vocab));
    addCe(clean, out.logits.data as Float32Array);
    const runWith = async (hook: string, delta: Float32Array) =>
      (await engine.model.runBatch(ids, [], { [points.get(hook)!]: delta })).logits.data as Float32Array;
    for (const hook of hooks) {
      const acts = out.hooks[hook]!.data as Float32Array;
      seqIdx.forEach((s, b) => moments.get(hook)!.add(s, acts.subarray(b * T * width, (b + 1) * T * width), T));
      addCe(zero.get(hook)!, await runWith(hook, ablationDelta(acts, T, width)));
    }
    for (const [i, info] of infos.entries()) {
      const acts = out.hooks[info.hook_name]!.data as Float32Array;
      const feats = await codecs[i]!.encode(acts, B * T);
      const recon = await codecs[i]!.decode(feats, B * T, acts);
      seqIdx.forEach((s, b) =>
        tallies[i]!.add(
          s,
          sourceOf[s]!,
          feats.subarray(b * T * info.d_sae, (b + 1) * T * info.d_sae),
          acts.subarray(b * T * width, (b + 1) * T * width),
          recon.subarray(b * T * width, (b + 1) * T * width),
          T,
          width,
        ),
      );
      addCe(tallies[i]!.ceSpliced, await runWith(info.hook_name, spliceDelta(acts, recon, T, width)));
    }
    const done = first + B;
    if (done % (args.batch * 20) === 0 || done === nSeqs) {
      console.log(`  ${done}/${nSeqs} sequences (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }

  const all = Array.from({ length: nSeqs }, (_, s) => s);
  const bySource = sources
    .map((src, i) => ({ id: src.id, index: i, seqs: all.filter((s) => sourceOf[s] === i) }))
    .filter((s) => s.seqs.length > 0);
  const figures = (i: number, seqs: number[], srcs: number[]) =>
    saeFigures(tallies[i]!, moments.get(infos[i]!.hook_name)!, clean, zero.get(infos[i]!.hook_name)!, seqs, srcs, args.resamples, SEED);
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
  await Promise.all(codecs.map((c) => c.release()));

  const reportPath = join(dir, 'report.json');
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
  report.evaluation = evaluation;
  await writeFile(reportPath, `${JSON.stringify(report, null, 1)}\n`);
  await writeFile(join(dir, 'REPORT.md'), renderReport(report));
  console.log(`wrote report.json and REPORT.md in ${(evaluation.seconds / 60).toFixed(1)} min`);
}

await main();
