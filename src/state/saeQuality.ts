/**
 * How well each SAE reconstructs: the bundle's from its report (no model needed), the reader's own
 * measured here on the held-out text on request (the worker's `evaluateSae`), kept for the session.
 */
import { create } from 'zustand';
import type { SaeQuality } from '../dashboardData/bundleReport';
import { dashboardSourceFor } from '../dashboardData/dashboardSource';
import { errorCode } from '../errors/engineError';
import { usePromise, type Async } from '../hooks/usePromise';
import { toAppError, type AppError } from './appError';
import { useLoadStore } from './loadStore';
import { request } from './session';

/** The bundle's SAEs' figures by id (and how many held-out sequences they cover). */
export function useBundleQuality(): Async<{ sequences: number; byId: Map<string, SaeQuality> }> {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  return usePromise(async () => {
    const report = await dashboardSourceFor(bundleUrl).report();
    return { sequences: report.sequences, byId: new Map(report.saes.map((s) => [s.id, s])) };
  }, [bundleUrl]);
}

export type Measurement =
  | { status: 'running'; nSeqs: number; done: number; stop: AbortController }
  | { status: 'done'; nSeqs: number; quality: SaeQuality }
  | { status: 'failed'; nSeqs: number; error: AppError; cancelled: boolean };

interface MeasurementsState {
  /** by SAE id */
  runs: Record<string, Measurement>;
  measure(saeId: string, nSeqs: number): Promise<void>;
  cancel(saeId: string): void;
}

export const useSaeMeasurements = create<MeasurementsState>()((set, get) => ({
  runs: {},
  measure: async (saeId, nSeqs) => {
    if (get().runs[saeId]?.status === 'running') return;
    const stop = new AbortController();
    const put = (m: Measurement) => set((s) => ({ runs: { ...s.runs, [saeId]: m } }));
    const current = () => {
      const run = get().runs[saeId];
      return run?.status === 'running' && run.stop === stop;
    };
    put({ status: 'running', nSeqs, done: 0, stop });
    try {
      const figures = await request('evaluateSae', { saeId, nSeqs }, { signal: stop.signal, onProgress: (p) => current() && put({ status: 'running', nSeqs, done: p.done, stop }) });
      if (current()) put({ status: 'done', nSeqs: figures.nSeqs, quality: { ...figures, id: saeId } });
    } catch (err) {
      const cancelled = errorCode(err) === 'cancelled';
      if (current()) put({ status: 'failed', nSeqs, error: toAppError(cancelled ? 'Stopped' : `“${saeId}” could not be measured`, err), cancelled });
    }
  },
  cancel: (saeId) => {
    const run = get().runs[saeId];
    if (run?.status === 'running') run.stop.abort();
  },
}));

/** "L0 32 · FVU 0.035 · 0.1 % dead · CE recovered 99.4 %": one line for a picker or a header. */
export function qualityLine(q: SaeQuality): string {
  return `L0 ${q.l0.value.toFixed(1)} · FVU ${q.fvu.value.toFixed(3)} · ${q.deadPct.toFixed(1)} % dead · CE recovered ${q.ceRecoveredPct.value.toFixed(1)} %`;
}
