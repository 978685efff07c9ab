/**
 * The prompt screen's state: the text (kept in localStorage so nothing typed is lost, or its
 * beginning when it is over the quota: ./promptStorage.ts), the chosen
 * SAE, how the strip is coloured, the selected token, and the latest computed activations. What was
 * kept is read back when the app starts (startStores), not when this module is imported.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { LoadProgress } from '../engine/types';
import type { PromptActivations } from '../worker/protocol';
import type { AppError } from './appError';
import { promptStorage } from './promptStorage';

export const DEFAULT_PROMPT =
  'Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, I thought I would sail about a little and see the watery part of the world.';

export interface PromptState {
  text: string;
  /** null until the bundle's SAEs are known */
  saeId: string | null;
  /** colour the strip by this feature; null colours each token by its strongest feature */
  colorFeature: number | null;
  /** index into the result's tokens (0 is BOS), or null */
  selectedToken: number | null;
  /** the feature split by head on the selected token, or null; another token or SAE lets it go */
  attributedFeature: number | null;
  result: PromptActivations | null;
  /** a newer text or SAE is being computed; `result` still shows the previous one */
  computing: boolean;
  /** while computing: the SAE's files still downloading on its first use (each file's latest event) */
  downloads: LoadProgress[];
  error: AppError | null;

  setText(text: string): void;
  setSaeId(saeId: string): void;
  setColorFeature(feature: number | null): void;
  selectToken(index: number | null): void;
  attribute(feature: number | null): void;
  computeStarted(): void;
  downloading(p: LoadProgress): void;
  computed(result: PromptActivations): void;
  computeFailed(error: AppError): void;
  /** the engine went away before answering: nothing is computing any more, the shown result stays */
  computeAbandoned(): void;
  clearResult(): void;
}

export const usePromptStore = create<PromptState>()(
  persist(
    (set) => ({
      text: DEFAULT_PROMPT,
      saeId: null,
      colorFeature: null,
      selectedToken: null,
      attributedFeature: null,
      result: null,
      computing: false,
      downloads: [],
      error: null,

      setText: (text) => set({ text }),
      setSaeId: (saeId) =>
        set((s) => (s.saeId === saeId ? {} : { saeId, colorFeature: null, attributedFeature: null, error: null })),
      setColorFeature: (colorFeature) => set({ colorFeature }),
      selectToken: (selectedToken) => set((s) => (s.selectedToken === selectedToken ? {} : { selectedToken, attributedFeature: null })),
      attribute: (attributedFeature) => set({ attributedFeature }),
      computeStarted: () => set({ computing: true, downloads: [] }),
      downloading: (p) =>
        set((s) => {
          if (!s.computing) return {};
          const others = s.downloads.filter((d) => d.file !== p.file);
          return { downloads: p.status === 'done' || p.status === 'cached' ? others : [...others, p] };
        }),
      computed: (result) =>
        set((s) => ({
          result,
          computing: false,
          downloads: [],
          error: null,
          selectedToken:
            s.selectedToken !== null && s.selectedToken < result.nTokens ? s.selectedToken : null,
          colorFeature:
            s.colorFeature !== null && s.colorFeature < result.dSae ? s.colorFeature : null,
        })),
      computeFailed: (error) => set({ computing: false, downloads: [], error, result: null, selectedToken: null }),
      computeAbandoned: () => set({ computing: false, downloads: [] }),
      clearResult: () => set({ result: null, computing: false, downloads: [], error: null, selectedToken: null }),
    }),
    {
      name: 'sae-explorer:prompt',
      version: 1,
      // never throws: over the quota only the text's beginning is kept, and the reader is told (promptStorage)
      storage: promptStorage(() => localStorage),
      partialize: (s) => ({ text: s.text, saeId: s.saeId, colorFeature: s.colorFeature }),
      skipHydration: true,
    },
  ),
);
