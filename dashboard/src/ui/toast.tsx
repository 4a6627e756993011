// Toasts: short confirmations after an action, announced politely to screen readers; errors stay longer.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from './icons';

interface Toast {
  id: number;
  tone: 'success' | 'error';
  body: ComponentChildren;
}

let push: (toast: Omit<Toast, 'id'>) => void = () => {};
let next = 1;

export const toast = (body: ComponentChildren) => push({ tone: 'success', body });
export const toastError = (body: ComponentChildren) => push({ tone: 'error', body });

export function Toaster() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    push = (t) => {
      const id = next++;
      setToasts((all) => [...all.slice(-2), { ...t, id }]);
      setTimeout(() => setToasts((all) => all.filter((x) => x.id !== id)), t.tone === 'error' ? 8000 : 4500);
    };
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} class={`toast ${t.tone === 'error' ? 'error' : ''}`}>
          <Icon name={t.tone === 'error' ? 'alert' : 'check'} />
          <div>{t.body}</div>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => setToasts((all) => all.filter((x) => x.id !== t.id))}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
