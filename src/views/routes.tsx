/**
 * The app's screens and their addresses. To add a screen, add an entry: `path` uses `:name`
 * segments, which reach the view as `params` (e.g. `/feature/:saeId/:index`).
 */
import type { ComponentType } from 'react';
import type { SaeInfo } from '../engine/engine';
import { AttentionView } from './attention/AttentionView';
import { FeatureView } from './feature/FeatureView';
import { FeatureIndexView } from './featureIndex/FeatureIndexView';
import { JointMapView } from './map/JointMapView';
import { MapView } from './map/MapView';
import { TokenMapView } from './map/TokenMapView';
import { HeadView } from './heads/HeadView';
import { HeadsView } from './heads/HeadsView';
import type { RouteViewProps } from './matchRoute';
import { PromptView } from './prompt/PromptView';
import { SaesView } from './saes/SaesView';
import { SteerView } from './steer/SteerView';

export interface RouteDef {
  path: string;
  view: ComponentType<RouteViewProps>;
  /** shown in the header's navigation when given */
  navLabel?: string;
  /** where the header's link goes, given the SAE on screen (the view's, else the prompt's); `#<path>` when not given */
  navHref?: (sae: SaeInfo | undefined) => string;
}

export const ROUTES: readonly RouteDef[] = [
  { path: '/', view: PromptView, navLabel: 'Prompt' },
  { path: '/features', view: FeatureIndexView, navLabel: 'Features', navHref: (sae) => (sae ? `#/features/${encodeURIComponent(sae.id)}` : '#/features') },
  { path: '/features/:saeId', view: FeatureIndexView },
  { path: '/feature/:saeId/:index', view: FeatureView },
  { path: '/saes', view: SaesView, navLabel: 'SAEs' },
  { path: '/heads', view: HeadsView, navLabel: 'Heads' },
  { path: '/head/:layer/:head', view: HeadView },
  { path: '/attention', view: AttentionView, navLabel: 'Attention' },
  { path: '/map', view: MapView, navLabel: 'Map', navHref: (sae) => (sae ? `#/map/${encodeURIComponent(sae.id)}` : '#/map') },
  { path: '/map/:saeId', view: MapView },
  { path: '/joint-map', view: JointMapView },
  { path: '/token-map/:saeId', view: TokenMapView },
  { path: '/steer', view: SteerView, navLabel: 'Steer' },
];
