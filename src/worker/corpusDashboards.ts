/**
 * Corpus panels for an SAE without precomputed dashboards (the reader's own), computed in the
 * worker by the precompute's own code (corpusDashboards in engine/analysis) over the first sequences
 * of the bundle's held-out corpus, and kept for the session, by SAE and sequence count, so that
 * paging through the features costs nothing.
 */
import type { Corpus } from '../dashboardData/corpus';
import type { DashboardsRoot, SaeDashboardIndex } from '../dashboardData/dashboardIndex';
import type { FeatureDashboard } from '../dashboardData/featureDashboard';
import type { HeadStats } from '../dashboardData/headStats';
import { corpusDashboards, type PrecomputeProgress } from '../engine/analysis/precomputeDashboards';
import type { Engine } from '../engine/engine';
import { EngineError, errorMessage, throwIfCancelled } from '../errors/engineError';
import type { EngineTurns } from './engineTurns';
import { messagesDispatched } from './messagesDispatched';

/** What the page needs besides one feature's dashboard: the corpus covered, every feature's summary. */
export interface CorpusDashboardsInfo {
  saeId: string;
  /** sequences covered (the request, capped at the corpus's size) */
  nSeqs: number;
  root: DashboardsRoot;
  saeIndex: SaeDashboardIndex;
  /** the sequences covered, which the examples point into */
  corpus: Corpus;
  /** an attention SAE's head statistics over the same sequences; null for other SAEs */
  heads: HeadStats | null;
}

export type CorpusProgress = PrecomputeProgress;

interface Computed {
  info: CorpusDashboardsInfo;
  dashboards: FeatureDashboard[];
  moreExamples: (index: number) => FeatureDashboard['groups'];
}

export class CorpusDashboardStore {
  private readonly computed = new Map<string, Promise<Computed>>();

  constructor(private readonly turns: EngineTurns) {}

  /**
   * Computes (or recalls) SAE `saeId`'s dashboards over the corpus's first `nSeqs` sequences. The
   * model runs a batch per turn (see EngineTurns); `signal` stops the pass between batches.
   */
  async compute(engine: Engine, saeId: string, nSeqs: number, onProgress: (p: CorpusProgress) => void, signal: AbortSignal): Promise<CorpusDashboardsInfo> {
    if (!Number.isSafeInteger(nSeqs) || nSeqs < 1) throw new EngineError(`Cannot compute over ${nSeqs} sequences: ask for at least one.`, saeId);
    const key = keyOf(saeId, nSeqs);
    let entry = this.computed.get(key);
    if (!entry) {
      entry = this.run(engine, saeId, nSeqs, onProgress, signal);
      this.computed.set(key, entry);
      entry.catch(() => {
        if (this.computed.get(key) === entry) this.computed.delete(key);
      });
    }
    return (await entry).info;
  }

  /** One feature's dashboard from dashboards computed before. */
  async feature(saeId: string, nSeqs: number, index: number): Promise<FeatureDashboard> {
    return (await this.featureOf(saeId, nSeqs, index)).dashboard;
  }

  /** One feature's example groups as "show more" offers them (MORE_EXAMPLES), from the same pass. */
  async moreExamples(saeId: string, nSeqs: number, index: number): Promise<FeatureDashboard['groups']> {
    const { computed } = await this.featureOf(saeId, nSeqs, index);
    return computed.moreExamples(index);
  }

  private async featureOf(saeId: string, nSeqs: number, index: number): Promise<{ computed: Computed; dashboard: FeatureDashboard }> {
    const entry = this.computed.get(keyOf(saeId, nSeqs));
    if (!entry) throw new EngineError(`The corpus panels of "${saeId}" over ${nSeqs} sequences are not computed (or were dropped when the SAE was reloaded): compute them again.`, saeId, 'not-found');
    const computed = await entry;
    const dashboard = computed.dashboards[index];
    if (!dashboard) throw new EngineError(`Feature ${index} does not exist: SAE "${saeId}" has features 0 to ${computed.dashboards.length - 1}.`, saeId, 'not-found');
    return { computed, dashboard };
  }

  /** Forgets an SAE's dashboards (it was removed or replaced), or every SAE's (a new bundle). */
  forget(saeId?: string): void {
    for (const key of [...this.computed.keys()]) if (saeId === undefined || key.startsWith(`${saeId}\n`)) this.computed.delete(key);
  }

  private async run(engine: Engine, saeId: string, nSeqs: number, onProgress: (p: CorpusProgress) => void, signal: AbortSignal): Promise<Computed> {
    const stopIfCancelled = () => throwIfCancelled(signal, 'Computing the corpus panels');
    let endTurn = await this.turns.take();
    try {
      stopIfCancelled();
      const result = await corpusDashboards(engine, saeId, {
        maxSeqs: nSeqs,
        onProgress: async (p) => {
          onProgress(p);
          endTurn();
          await messagesDispatched();
          stopIfCancelled();
          // Assembling the dashboards no longer runs the model: it needs no turn.
          if (p.stage === 'corpus') endTurn = await this.turns.take();
          stopIfCancelled();
        },
      });
      const { root, saeIndex, corpus, dashboards, heads, moreExamples } = result;
      return { info: { saeId, nSeqs: root.corpus.usedSeqs, root, saeIndex, corpus, heads }, dashboards, moreExamples };
    } catch (err) {
      throw explainMemory(err, nSeqs);
    } finally {
      endTurn();
    }
  }
}

function keyOf(saeId: string, nSeqs: number): string {
  return `${saeId}\n${nSeqs}`;
}

/**
 * An allocation that failed becomes advice: fewer sequences need less memory. The platform's own
 * errors carry no code, so their text is all there is to recognise them by.
 */
function explainMemory(err: unknown, nSeqs: number): unknown {
  if (err instanceof EngineError) return err;
  const message = errorMessage(err);
  const outOfMemory = (err instanceof RangeError && /alloc|memory|length/i.test(message)) || /out of memory|failed to allocate|memory access out of bounds/i.test(message);
  if (!outOfMemory) return err;
  return new EngineError(`This browser ran out of memory computing the corpus panels over ${nSeqs} sequences (${message}). Try fewer sequences.`, undefined, 'out-of-memory');
}
