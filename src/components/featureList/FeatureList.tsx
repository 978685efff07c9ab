import { formatActivation } from '../../format/numbers';
import './featureList.css';

export interface FeatureListItem {
  index: number;
  /** the similarity or correlation shown beside it, −1…1 */
  value: number;
  label?: string;
  /** the feature never fires on the corpus */
  dead?: boolean;
}

export interface FeatureListProps {
  items: readonly FeatureListItem[];
  /** the link of a feature */
  href: (index: number) => string;
  /** what the value is, for screen readers and the tooltip: "cosine similarity" */
  valueName: string;
  /** shown when the list is empty */
  empty: string;
  testId?: string;
}

/** Features as links with their label and a value bar (neighbours, correlated features). */
export function FeatureList({ items, href, valueName, empty, testId }: FeatureListProps) {
  if (items.length === 0) return <p className="empty-note">{empty}</p>;
  return (
    <ol className="feature-links" data-testid={testId}>
      {items.map((item) => (
        <li key={item.index} className={`feature-links__item${item.dead ? ' feature-links__item--dead' : ''}`}>
          <a className="feature-links__link" href={href(item.index)} title={`Open feature ${item.index}`}>
            <span className="feature-links__index">#{item.index}</span>
            <span className="feature-links__label">{item.label ?? ''}</span>
          </a>
          <span className="feature-links__bar" title={`${valueName} ${item.value.toFixed(3)}`} aria-hidden="true">
            <span className="feature-links__fill" style={{ width: `${Math.max(0, Math.min(1, Math.abs(item.value))) * 100}%` }} />
          </span>
          <span className="feature-links__value">{formatActivation(item.value)}</span>
        </li>
      ))}
    </ol>
  );
}
