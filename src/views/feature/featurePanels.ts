/**
 * The feature page's layout as data, in the spirit of sae_vis: each panel is one entry, which says
 * where it goes and which optional parts of the page data it needs; a page draws, in order, in its
 * two columns, the entries whose parts it has. A new panel is a new entry (and its component; a new
 * kind of data is a new optional part of FeaturePageData, named in PagePart). `?panels=logits,top`
 * (e.g. in an embed) draws only those.
 */
import type { ReactNode } from 'react';
import { hasParts, type FeaturePageData, type PageDataWith, type PagePart } from './featurePageData';
import { ActivationPanel } from './panels/ActivationPanel';
import { IntervalsPanel, TopExamplesPanel } from './panels/ExamplePanels';
import { HeadsPanel } from './panels/HeadsPanel';
import { LogitPanel } from './panels/LogitPanel';
import { CorrelatedPanel, NeighboursPanel } from './panels/RelatedPanels';
import { SteerPanel } from './panels/SteerPanel';
import { TestTextPanel } from './panels/TestTextPanel';

export interface PanelDef<N extends PagePart = PagePart> {
  id: string;
  title: string;
  /** 'side': the narrow column; 'main': the wide one */
  area: 'side' | 'main';
  /** the optional parts of the page data it draws from; a page without them leaves it out */
  needs: readonly N[];
  /** one line under the title: what the panel shows, how it was computed */
  hint: (data: PageDataWith<N>) => string;
  Component: (props: { data: PageDataWith<N> }) => ReactNode;
}

/** A panel entry: its hint and component are typed by what it `needs`, so they cannot read a part it does not name. */
function panel<N extends PagePart = never>(def: Omit<PanelDef<NoInfer<N>>, 'needs'> & { needs: readonly N[] }): PanelDef<N> {
  return def;
}

export const FEATURE_PANELS: readonly PanelDef[] = [
  panel({
    id: 'activations',
    title: 'Activation distribution',
    area: 'side',
    needs: ['corpus'],
    hint: (d) => `Non-zero activations over ${d.corpus.coverage.nTokens.toLocaleString('en-US')} corpus tokens`,
    Component: ActivationPanel,
  }),
  panel({
    id: 'logits',
    title: 'Logit effects',
    area: 'side',
    needs: [],
    hint: (d) =>
      d.sae.kind === 'attn' ? 'Decoder direction through each head’s W_O, the final LayerNorm and W_U' : 'Decoder direction through the final LayerNorm and W_U',
    Component: LogitPanel,
  }),
  panel({
    id: 'heads',
    title: 'Heads',
    area: 'side',
    needs: ['heads'],
    hint: (d) =>
      d.heads.corpus && d.heads.examples > 0
        ? 'Each head’s share of the encoder direction, and its mean share of the pre-activation at the top activations (DFA summed over source tokens)'
        : 'Each head’s share of the feature’s encoder direction',
    Component: HeadsPanel,
  }),
  panel({
    id: 'neighbours',
    title: 'Nearest features',
    area: 'side',
    needs: [],
    hint: () => 'Most similar decoder directions (cosine similarity)',
    Component: NeighboursPanel,
  }),
  panel({
    id: 'steer',
    title: 'Steer with this feature',
    area: 'side',
    needs: [],
    hint: () => 'Add it to the model and compare its text with the unsteered text',
    Component: SteerPanel,
  }),
  panel({
    id: 'correlated',
    title: 'Co-activating features',
    area: 'side',
    needs: ['corpus'],
    hint: (d) => {
      const stride = d.corpus.settings.correlationStride;
      return `Pearson correlation of activations over ${stride > 1 ? `every ${stride}th` : 'every'} corpus token`;
    },
    Component: CorrelatedPanel,
  }),
  panel({
    id: 'test',
    title: 'Test your text',
    area: 'main',
    needs: [],
    hint: () => 'Computed live in your browser by the model and this SAE',
    Component: TestTextPanel,
  }),
  panel({
    id: 'top',
    title: 'Top activations',
    area: 'main',
    needs: ['corpus'],
    hint: (d) => `Corpus sequences, ${d.corpus.settings.before} tokens before and ${d.corpus.settings.after} after each peak`,
    Component: TopExamplesPanel,
  }),
  panel({
    id: 'intervals',
    title: 'Activation intervals',
    area: 'main',
    needs: ['corpus'],
    hint: () => 'Random sequences whose peak falls in each band of the activation range',
    Component: IntervalsPanel,
  }),
];

/**
 * The panels a page draws: those whose data it has, and of those, the ones named in `?panels=` (in
 * the page's order), or all of them when it names none of them.
 */
/** The names in a `?panels=` list that are no panel at all (a typo the reader should hear of). */
export function unknownPanels(query: string | null, panels: readonly PanelDef[] = FEATURE_PANELS): string[] {
  if (!query) return [];
  const known = new Set(panels.map((p) => p.id));
  return query.split(',').map((s) => s.trim()).filter((s) => s !== '' && !known.has(s));
}

export function selectPanels(data: FeaturePageData, query: string | null, panels: readonly PanelDef[] = FEATURE_PANELS): readonly PanelDef[] {
  const drawable = panels.filter((p) => hasParts(data, p.needs));
  if (!query) return drawable;
  const wanted = new Set(query.split(',').map((s) => s.trim()).filter(Boolean));
  const chosen = drawable.filter((p) => wanted.has(p.id));
  return chosen.length > 0 ? chosen : drawable;
}
