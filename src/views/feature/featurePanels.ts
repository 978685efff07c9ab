/**
 * The feature page's layout as data, in the spirit of sae_vis: each panel is one entry, and a
 * page draws the entries it is given, in order, in its two columns. A new panel is a new entry;
 * `?panels=logits,top` (e.g. in an embed) draws only those.
 */
import type { ComponentType } from 'react';
import type { FeaturePageData } from './featurePageData';
import { ActivationPanel } from './panels/ActivationPanel';
import { IntervalsPanel, TopExamplesPanel } from './panels/ExamplePanels';
import { LogitPanel } from './panels/LogitPanel';
import { CorrelatedPanel, NeighboursPanel } from './panels/RelatedPanels';
import { TestTextPanel } from './panels/TestTextPanel';

export interface PanelDef {
  id: string;
  title: string;
  /** one line under the title: what the panel shows, how it was computed */
  hint: (data: FeaturePageData) => string;
  /** 'side': the narrow column; 'main': the wide one */
  area: 'side' | 'main';
  Component: ComponentType<{ data: FeaturePageData }>;
}

export const FEATURE_PANELS: readonly PanelDef[] = [
  {
    id: 'activations',
    title: 'Activation distribution',
    hint: (d) => `Non-zero activations over ${d.root.corpus.nTokens.toLocaleString('en-US')} held-out tokens`,
    area: 'side',
    Component: ActivationPanel,
  },
  {
    id: 'logits',
    title: 'Logit effects',
    hint: (d) =>
      d.saeIndex.sae.kind === 'attn'
        ? 'Decoder direction through each head’s W_O, the final LayerNorm and W_U'
        : 'Decoder direction through the final LayerNorm and W_U',
    area: 'side',
    Component: LogitPanel,
  },
  {
    id: 'neighbours',
    title: 'Nearest features',
    hint: () => 'Most similar decoder directions (cosine similarity)',
    area: 'side',
    Component: NeighboursPanel,
  },
  {
    id: 'correlated',
    title: 'Co-activating features',
    hint: (d) =>
      `Pearson correlation of activations over ${d.saeIndex.settings.correlationStride > 1 ? `every ${d.saeIndex.settings.correlationStride}th` : 'every'} corpus token`,
    area: 'side',
    Component: CorrelatedPanel,
  },
  {
    id: 'test',
    title: 'Test your text',
    hint: () => 'Computed live in your browser by the model and this SAE',
    area: 'main',
    Component: TestTextPanel,
  },
  {
    id: 'top',
    title: 'Top activations',
    hint: (d) => `Held-out corpus, ${d.saeIndex.settings.before} tokens before and ${d.saeIndex.settings.after} after each peak`,
    area: 'main',
    Component: TopExamplesPanel,
  },
  {
    id: 'intervals',
    title: 'Activation intervals',
    hint: () => 'Random sequences whose peak falls in each band of the activation range',
    area: 'main',
    Component: IntervalsPanel,
  },
];

/** The panels named in `?panels=` (in the page's order), or all of them. */
export function selectPanels(query: string | null, panels: readonly PanelDef[] = FEATURE_PANELS): readonly PanelDef[] {
  if (!query) return panels;
  const wanted = new Set(query.split(',').map((s) => s.trim()).filter(Boolean));
  const chosen = panels.filter((p) => wanted.has(p.id));
  return chosen.length > 0 ? chosen : panels;
}
