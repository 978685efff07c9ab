import type { AppError } from '../state/appError';

export interface ErrorCardProps {
  /** what failed, where, and why */
  error: AppError;
  /** when given, a button offers to try again */
  onRetry?: () => void;
  /** @default "Try again" */
  retryLabel?: string;
  /** a hint under the message, e.g. what still works */
  hint?: string;
  /** another way out, beside the retry button (e.g. “Use wasm instead”) */
  alternative?: { label: string; onClick: () => void };
}

/** A problem the reader should know about; the rest of the page keeps working around it. */
export function ErrorCard({ error, onRetry, retryLabel = 'Try again', hint, alternative }: ErrorCardProps) {
  return (
    <section className="error-card" role="alert" data-testid="error-card">
      <div className="error-card__icon" aria-hidden="true">
        !
      </div>
      <div className="error-card__body">
        <h2 className="error-card__title">{error.title}</h2>
        {error.source !== undefined && (
          <p className="error-card__source">
            <span className="muted">Source</span> <code>{error.source}</code>
          </p>
        )}
        <p className="error-card__message">{error.message}</p>
        {hint !== undefined && <p className="error-card__hint">{hint}</p>}
        {(onRetry || alternative) && (
          <div className="error-card__actions">
            {onRetry && (
              <button type="button" className="button" onClick={onRetry}>
                {retryLabel}
              </button>
            )}
            {alternative && (
              <button type="button" className="button" onClick={alternative.onClick}>
                {alternative.label}
              </button>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
