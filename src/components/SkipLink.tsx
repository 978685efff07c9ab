/**
 * "Skip to content": the page's first tab stop, so that a keyboard reader need not walk the header on
 * every view. The address's hash is the app's route, so the link moves the focus itself instead of
 * following `#id` (which would navigate to a view that does not exist).
 */
export function SkipLink({ target }: { target: string }) {
  return (
    <a
      className="skip-link"
      href={`#${target}`}
      data-testid="skip-link"
      onClick={(e) => {
        e.preventDefault();
        const el = document.getElementById(target);
        el?.focus();
        el?.scrollIntoView();
      }}
    >
      Skip to content
    </a>
  );
}
