/**
 * REPORT.md from report.json: the pipeline's figures (corpus, model, training) and the engine
 * evaluator's (scripts/evaluate-bundle.ts), checked against the targets the pipeline's config names.
 */
import type { Interval, SaeFigures } from '../src/engine/evaluation/saeEvaluation';

export interface SaeEvaluation {
  id: string;
  hook_name: string;
  architecture: string;
  kind: string;
  d_sae: number;
  overall: SaeFigures;
  by_source: Record<string, SaeFigures>;
}

export interface Evaluation {
  evaluator: string;
  sequences: number;
  seq_len: number;
  resamples: number;
  seconds: number;
  model: { heldout_loss: Interval; by_source: Record<string, Interval> };
  saes: SaeEvaluation[];
}

/** The targets in models/train/config.py (Targets), as the pipeline writes them into report.json. */
export interface Targets {
  topk_dead_pct: number;
  topk_fvu: number;
  topk_ce_recovered_pct: number;
  attn_dead_pct: number;
  attn_fvu: number;
  attn_ce_recovered_pct: number;
  l1_fvu: number;
  l1_max_l0: number;
  jumprelu_dead_pct: number;
  jumprelu_fvu: number;
}

interface TrainedSae {
  id: string;
  train_tokens: number;
  train_seconds: number;
}

export interface Report {
  name: string;
  corpus: { id: string; name: string; documents: number; chars: number }[];
  tokens: { train: number; heldout: number };
  model: {
    n_layers: number;
    d_model: number;
    n_heads: number;
    n_ctx: number;
    vocab_size: number;
    params: number;
    train_tokens: number;
    train_seconds: number;
    train_loss: number;
    train_loss_windows: number;
    unigram_loss: number;
    imported_from?: string;
    samples: { prompt: string; text: string }[];
  };
  saes: TrainedSae[];
  targets: Targets;
  /** seconds: this run of the pipeline, and each long stage as recorded when it ran (a cached stage costs a rerun nothing) */
  build: {
    this_run_seconds: number;
    lm_train_seconds: number;
    collect_seconds: number;
    sae_train_seconds: number;
    sae_tokens_per_hook: number;
    torch: string;
    numpy: string;
    python: string;
    cpu: string;
  };
  evaluation?: Evaluation;
}

const TOPK_STYLES = new Set(['topk', 'batchtopk', 'abstopk']);

/** The targets an SAE misses, in words; [] when it meets them all (or none apply). */
export function missedTargets(sae: SaeEvaluation, t: Targets): string[] {
  const f = sae.overall;
  const out: string[] = [];
  const atMost = (what: string, value: number, limit: number, digits: number, unit = '') => {
    if (value > limit) out.push(`${what} ${value.toFixed(digits)}${unit} > ${limit}${unit}`);
  };
  const atLeast = (what: string, value: number, limit: number) => {
    if (value < limit) out.push(`${what} ${value.toFixed(1)} % < ${limit} %`);
  };
  if (sae.kind === 'attn') {
    atMost('dead', f.deadPct, t.attn_dead_pct, 2, ' %');
    atMost('FVU', f.fvu.value, t.attn_fvu, 3);
    atLeast('CE recovered', f.ceRecoveredPct.value, t.attn_ce_recovered_pct);
  } else if (TOPK_STYLES.has(sae.architecture)) {
    atMost('dead', f.deadPct, t.topk_dead_pct, 2, ' %');
    atMost('FVU', f.fvu.value, t.topk_fvu, 3);
    atLeast('CE recovered', f.ceRecoveredPct.value, t.topk_ce_recovered_pct);
  } else if (sae.architecture === 'standard') {
    atMost('FVU', f.fvu.value, t.l1_fvu, 3);
    atMost('L0', f.l0.value, t.l1_max_l0, 1);
  } else if (sae.architecture === 'jumprelu') {
    atMost('dead', f.deadPct, t.jumprelu_dead_pct, 2, ' %');
    atMost('FVU', f.fvu.value, t.jumprelu_fvu, 3);
  }
  return out;
}

const fixed = (v: number, digits: number) => v.toFixed(digits);
const withInterval = (i: Interval, digits: number) => `${fixed(i.value, digits)} [${fixed(i.lo, digits)}, ${fixed(i.hi, digits)}]`;

export function renderReport(r: Report): string {
  const lm = r.model;
  const ev = r.evaluation;
  const lines = [
    `# ${r.name} — report`,
    '',
    `Transformer: ${lm.n_layers} layers, d_model ${lm.d_model}, ${lm.n_heads} heads, context ${lm.n_ctx}, vocab ${lm.vocab_size}, ` +
      `${(lm.params / 1e6).toFixed(2)}M parameters; ${(lm.train_tokens / 1e6).toFixed(1)}M training tokens in ${(lm.train_seconds / 60).toFixed(1)} min` +
      (lm.imported_from ? ` (trained by an earlier build of this pipeline; taken from ${lm.imported_from} with --reuse-model).` : '.'),
    `Corpus: ${r.corpus.map((c) => `${c.name} (${c.documents} documents)`).join('; ')}. ` +
      `${(r.tokens.train / 1e6).toFixed(2)}M training tokens, ${(r.tokens.heldout / 1e3).toFixed(0)}k held-out tokens (whole documents).`,
    '',
  ];
  if (ev) {
    lines.push(
      `Every figure below except the train loss comes from \`${ev.evaluator}\`, run on the shipped files over all ` +
        `${ev.sequences} held-out sequences of ${ev.seq_len} tokens; brackets are 95 % bootstrap intervals over sequences ` +
        `(${ev.resamples} resamples). BOS positions are left out of every SAE statistic.`,
      '',
      '| loss (nats/token) | value |',
      '|---|---|',
      `| train (final model, ${lm.train_loss_windows} random training windows) | ${fixed(lm.train_loss, 3)} |`,
      `| held-out, all text | ${withInterval(ev.model.heldout_loss, 3)} |`,
      ...Object.entries(ev.model.by_source).map(([src, i]) => `| held-out, ${src} | ${withInterval(i, 3)} |`),
      `| held-out − train | ${(ev.model.heldout_loss.value - lm.train_loss >= 0 ? '+' : '') + fixed(ev.model.heldout_loss.value - lm.train_loss, 3)} |`,
      `| unigram baseline (held-out) | ${fixed(lm.unigram_loss, 3)} |`,
      '',
    );
  }
  lines.push('## Samples (temperature 0.8, top-40)', '');
  lines.push(...lm.samples.map((s) => `- **${s.prompt}** → ${JSON.stringify(s.text.slice(s.prompt.length))}`), '');
  if (!ev) {
    lines.push('SAE figures: run `npx tsx scripts/evaluate-bundle.ts` on this bundle.', '');
    return lines.join('\n');
  }
  const trained = new Map(r.saes.map((s) => [s.id, s]));
  lines.push(
    '## SAEs, on all held-out text',
    '',
    '| SAE | hook | arch | d_sae | L0 | FVU | dead % | dense % | CE clean | CE spliced | CE zero-abl. | CE recovered % | train tokens | train min |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const s of ev.saes) {
    const f = s.overall;
    const t = trained.get(s.id);
    lines.push(
      `| ${s.id} | \`${s.hook_name}\` | ${s.architecture} | ${s.d_sae} | ${withInterval(f.l0, 1)} | ${withInterval(f.fvu, 3)} | ` +
        `${fixed(f.deadPct, 2)} | ${fixed(f.densePct, 2)} | ${fixed(f.ceClean.value, 3)} | ${fixed(f.ceSpliced.value, 3)} | ` +
        `${fixed(f.ceZeroAblation.value, 3)} | ${withInterval(f.ceRecoveredPct, 1)} | ${t?.train_tokens ?? '—'} | ${t ? fixed(t.train_seconds / 60, 1) : '—'} |`,
    );
  }
  const sources = Object.keys(ev.model.by_source);
  lines.push('', '## Per source', '', `FVU and CE recovered % per held-out source (${sources.join(', ')}).`, '');
  lines.push(`| SAE | ${sources.map((s) => `FVU ${s} | CE rec. ${s}`).join(' | ')} |`, `|---|${sources.map(() => '---|---').join('|')}|`);
  for (const s of ev.saes) {
    const cells = sources.map((src) => {
      const f = s.by_source[src];
      return f ? `${withInterval(f.fvu, 3)} | ${withInterval(f.ceRecoveredPct, 1)}` : '— | —';
    });
    lines.push(`| ${s.id} | ${cells.join(' | ')} |`);
  }
  const t = r.targets;
  lines.push(
    '',
    '## Targets',
    '',
    `- TopK, BatchTopK and AbsTopK on the residual stream and MLP outputs: dead ≤ ${t.topk_dead_pct} %, FVU ≤ ${t.topk_fvu}, CE recovered ≥ ${t.topk_ce_recovered_pct} %.`,
    `- Attention outputs (spliced at hook_z): dead ≤ ${t.attn_dead_pct} %, FVU ≤ ${t.attn_fvu}, CE recovered ≥ ${t.attn_ce_recovered_pct} %.`,
    `- ReLU + L1: FVU ≤ ${t.l1_fvu} at L0 ≤ ${t.l1_max_l0}. JumpReLU: dead ≤ ${t.jumprelu_dead_pct} %, FVU ≤ ${t.jumprelu_fvu}.`,
    '',
  );
  const missed = ev.saes.map((s) => ({ id: s.id, missed: missedTargets(s, t) })).filter((m) => m.missed.length);
  lines.push(...(missed.length ? ['Missed:', ...missed.map((m) => `- ${m.id}: ${m.missed.join(', ')}`)] : ['Every SAE meets its targets.']), '');
  const b = r.build;
  const min = (s: number) => `${(s / 60).toFixed(1)} min`;
  lines.push(
    '## Build',
    '',
    `On ${b.cpu} (2 cores), torch ${b.torch}, numpy ${b.numpy}, Python ${b.python}: the transformer trained in ${min(b.lm_train_seconds)}` +
      `${lm.imported_from ? ' (an earlier build)' : ''}; ${(b.sae_tokens_per_hook / 1e6).toFixed(1)}M activations per hook collected in ` +
      `${min(b.collect_seconds)}; the SAEs trained in ${min(b.sae_train_seconds)} (wall time, two processes); the last run of the ` +
      `pipeline took ${min(b.this_run_seconds)}; this evaluation ${min(ev.seconds)}.`,
    '',
  );
  return lines.join('\n');
}
