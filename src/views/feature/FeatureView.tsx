import { toAppError } from '../../state/appError';
import { useIsUserSae } from '../../state/userSaes';
import type { RouteViewProps } from '../matchRoute';
import { FeatureError, FeaturePage, FeatureSkeleton } from './FeatureLayout';
import { useBundledFeaturePage } from './useBundledFeaturePage';
import { useLiveFeaturePage } from './useLiveFeaturePage';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/**
 * `#/feature/<saeId>/<index>`: one feature's page. A bundled SAE's comes from its precomputed
 * dashboards; the reader's own SAE, which has none, is computed in the worker. Either way the page
 * is the same header and panels, drawn from the same page data.
 */
export function FeatureView({ params, query }: RouteViewProps) {
  const saeId = params.saeId ?? '';
  const rawIndex = params.index ?? '';
  const user = useIsUserSae(saeId);
  useDocumentTitle(`Feature ${rawIndex}`, saeId);
  if (!/^\d+$/.test(rawIndex)) {
    return (
      <FeatureError
        error={toAppError('This is not a feature address', new Error(`“${rawIndex}” is not a feature index: a feature page's address ends in a number, e.g. #/feature/${saeId}/0.`))}
        saeId={saeId}
      />
    );
  }
  if (user === null) return <FeatureSkeleton />;
  const Page = user ? LiveFeaturePage : BundledFeaturePage;
  return <Page saeId={saeId} index={Number(rawIndex)} query={query} />;
}

interface FeatureAddress {
  saeId: string;
  index: number;
  query: URLSearchParams;
}

function BundledFeaturePage({ saeId, index, query }: FeatureAddress) {
  return <FeaturePage state={useBundledFeaturePage(saeId, index)} saeId={saeId} query={query} />;
}

function LiveFeaturePage({ saeId, index, query }: FeatureAddress) {
  return <FeaturePage state={useLiveFeaturePage(saeId, index)} saeId={saeId} query={query} />;
}
