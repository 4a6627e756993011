// A small router over the History API: pages live under /dashboard, list state lives in the query string (so back,
// refresh and shared links keep it), and links stay inside the app.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/dashboard';
const listeners = new Set<() => void>();
let moves = 0;
const notify = () => {
  moves += 1;
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

/** True once the app has moved from one page to another (not on the first page load). */
export const hasNavigated = () => moves > 0;

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) || '/' : '/';
  return { path: path.length > 1 ? path.replace(/\/$/, '') : path, query: new URLSearchParams(window.location.search) };
}

export const href = (to: string) => (to === '/' ? `${BASE}/` : `${BASE}${to}`);

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const url = href(to);
  if (url === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

/** Re-renders on every navigation. */
export function useLocation(): Location {
  const [, tick] = useState(0);
  useEffect(() => {
    const listener = () => tick((n) => n + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return currentLocation();
}

/** `/quotes/:id` against `/quotes/abc` -> { id: 'abc' }; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

/** Changes some query parameters of the current page (empty values are removed); replaces the history entry by default. */
export function setQuery(patch: Record<string, string | number | undefined | null>, options: { push?: boolean } = {}) {
  const { path, query } = currentLocation();
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === '') query.delete(key);
    else query.set(key, String(value));
  }
  const text = query.toString();
  navigate(`${path}${text ? `?${text}` : ''}`, { replace: !options.push });
}

type AnchorProps = Omit<JSX.AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  children?: ComponentChildren;
};

export function Link({ to, children, onClick, ...props }: AnchorProps) {
  return (
    <a
      {...props}
      href={href(to)}
      onClick={(event) => {
        (onClick as ((e: MouseEvent) => void) | undefined)?.(event);
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey ||
          event.altKey
        )
          return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
