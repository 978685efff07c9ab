import { useCallback, useEffect, useId, useRef, useState, type ComponentType, type ReactNode } from 'react';

export interface DialogButtonProps {
  label: ReactNode;
  /** the button's class; a small ghost button without one */
  buttonClassName?: string;
  /** the dialog's heading */
  title: string;
  buttonTestId: string;
  dialogTestId: string;
  /** the dialog's own class, beside `app-dialog` (its width, say); `<className>__body` is its body's */
  className: string;
  /** called each time the dialog opens */
  onOpen?: () => void;
  /** lets something else open the dialog (a problem the reader must see): given the opener, returns how to stop */
  openWhen?: (open: () => void) => () => void;
  /** what the dialog holds under its heading, rendered only while it is open */
  Contents: ComponentType<{ onClose: () => void }>;
}

/** A small header button that opens a modal dialog (focus held inside; Escape or Close closes it). */
export function DialogButton({ label, buttonClassName = 'button button--ghost button--small', title, buttonTestId, dialogTestId, className, onOpen, openWhen, Contents }: DialogButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const show = useCallback(() => {
    setOpen(true);
    if (!dialog.current?.open) dialog.current?.showModal();
    onOpen?.();
  }, [onOpen]);
  const close = useCallback(() => dialog.current?.close(), []);
  useEffect(() => openWhen?.(show), [openWhen, show]);
  return (
    <>
      <button type="button" className={buttonClassName} data-testid={buttonTestId} onClick={show}>
        {label}
      </button>
      <dialog ref={dialog} className={`app-dialog ${className}`} aria-labelledby={titleId} onClose={() => setOpen(false)} data-testid={dialogTestId}>
        {open && (
          <div className={`app-dialog__body ${className}__body`}>
            <header className="app-dialog__header">
              <h2 id={titleId}>{title}</h2>
              <button type="button" className="link-button" onClick={close} aria-label="Close">
                Close
              </button>
            </header>
            <Contents onClose={close} />
          </div>
        )}
      </dialog>
    </>
  );
}
