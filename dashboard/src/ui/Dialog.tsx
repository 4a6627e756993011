// A modal on the native <dialog>: the browser traps focus and closes it on Escape; focus returns where it was.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { IconButton } from './Button';

interface DialogProps {
  open: boolean;
  title: ComponentChildren;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  size?: 'narrow' | 'wide';
  /** Wraps the body and footer in a form, so Enter submits. */
  onSubmit?: () => void;
}

export function Dialog({ open, title, onClose, children, footer, size, onSubmit }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current!;
    if (open && !dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      // The first field, not the close button, takes the focus.
      (
        dialog.querySelector(
          '.modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea, .modal-body button',
        ) as HTMLElement | null
      )?.focus();
      return () => {
        if (dialog.open) dialog.close();
        opener?.focus?.();
      };
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const body = (
    <>
      <div class="modal-body">{children}</div>
      {footer && <div class="modal-foot">{footer}</div>}
    </>
  );
  return (
    <dialog
      ref={ref}
      class={`modal${size ? ` ${size}` : ''}`}
      aria-labelledby={titleId}
      // Escape closes through onClose, like a click on the backdrop; preventing the key's default keeps the browser
      // from closing the dialog itself. A close request without a key (a back gesture) arrives as cancel.
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || event.defaultPrevented) return;
        event.preventDefault();
        onClose();
      }}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => event.target === ref.current && onClose()}
    >
      {open && (
        <>
          <div class="modal-head">
            <h2 id={titleId}>{title}</h2>
            <IconButton icon="close" label="Close" onClick={onClose} />
          </div>
          {onSubmit ? (
            <form
              noValidate
              class="modal-form"
              onSubmit={(event) => {
                event.preventDefault();
                onSubmit();
              }}
            >
              {body}
            </form>
          ) : (
            body
          )}
        </>
      )}
    </dialog>
  );
}

/** "Are you sure?" with the consequence spelled out. */
export function Confirm({
  open,
  title,
  body,
  confirm,
  danger,
  busy,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  body: ComponentChildren;
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      size="narrow"
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            class={`btn ${danger ? 'danger solid' : 'primary'}`}
            disabled={busy}
            onClick={onConfirm}
          >
            {busy && <span class="spinner" aria-hidden="true" />}
            {confirm}
          </button>
        </>
      }
    >
      <p>{body}</p>
    </Dialog>
  );
}
