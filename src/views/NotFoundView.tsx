import { useDocumentTitle } from '../hooks/useDocumentTitle';

/** An address no view knows: say which, and lead back home. */
export function NotFoundView({ hash }: { hash: string }) {
  useDocumentTitle('Not found');
  return (
    <section className="panel not-found" data-testid="not-found">
      <h2>Nothing here yet</h2>
      <p>
        No view answers the address <code>{hash || '#/'}</code>.
      </p>
      <p>
        <a href="#/">Back to the prompt</a>
      </p>
    </section>
  );
}
