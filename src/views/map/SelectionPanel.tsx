import type { ResolvedLabel } from '../../state/labels';
import { featureHref } from '../matchRoute';
import { SELECTION_LINK_CHARS } from './latentSelection';

/** How many selected latents are listed; the rest are counted. */
const LISTED = 200;

/** The latents inside the box the reader drew on the map, each a link to its dashboard. */
export function SelectionPanel({
  saeId,
  selection,
  linked,
  labels,
  onClear,
}: {
  saeId: string;
  selection: number[];
  /** whether the page's address holds the selection (one too large for a link does not) */
  linked: boolean;
  labels: ResolvedLabel[] | null;
  onClear(): void;
}) {
  return (
    <section className="panel map-selection" data-testid="map-selection">
      <h2 className="panel__title">Selected latents</h2>
      {selection.length === 0 ? (
        <p className="muted">Shift-drag a box on the map to list the latents inside it.</p>
      ) : (
        <>
          <p className="muted">
            {selection.length} selected{' '}
            <button type="button" className="button button--ghost button--small" onClick={onClear}>
              Clear
            </button>
          </p>
          <ol className="map-selection__list">
            {selection.slice(0, LISTED).map((i) => (
              <li key={i}>
                <a href={featureHref(saeId, i)}>#{i}</a> <span className="muted">{labels?.[i]?.text ?? ''}</span>
              </li>
            ))}
          </ol>
          {selection.length > LISTED && <p className="muted">…and {selection.length - LISTED} more.</p>}
          {!linked && (
            <p className="notice" role="status" data-testid="selection-unlinked">
              Too many latents for a link (it holds up to {SELECTION_LINK_CHARS.toLocaleString('en-US')} characters of them): the address leaves this selection out.
            </p>
          )}
        </>
      )}
    </section>
  );
}
