import { LINK_TEXT_LIMIT } from '../addressText';
import type { AddressTextNotice as Notice } from './usePromptAddress';

/** Says why the address does not hold the text on screen; the text itself is never touched. */
export function AddressTextNotice({ notice }: { notice: Notice | null }) {
  if (notice === null) return null;
  return (
    <p className="notice" role="status" data-testid="address-text-notice" data-kind={notice.kind}>
      {notice.kind === 'too-long' ? (
        <>
          <strong>This text is too long for a link.</strong> Compressed, it takes {notice.chars.toLocaleString('en-US')} characters; a link holds up to{' '}
          {LINK_TEXT_LIMIT.toLocaleString('en-US')}. The address keeps your other choices but not the text; the text itself stays on this page.
        </>
      ) : (
        <>
          <strong>The link’s text could not be read.</strong> {notice.problem}. The text shown is the one this browser kept.
        </>
      )}
    </p>
  );
}
