// Data and input hooks: a request with loading and error state, an action confirmed in a dialog, a debounced value, a
// media query.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { toast, toastError } from './ui/toast';

export interface Async<T> {
  data: T | undefined;
  error: Error | undefined;
  /** True while a request is in flight; `data` keeps the last answer meanwhile, so a reload does not flash. */
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

/** An action asked for on one item and confirmed in a dialog (ui/Dialog's Confirm): the item, and running it. */
export interface Confirmed<T> {
  /** The item the dialog asks about; undefined: the dialog is closed. */
  target: T | undefined;
  ask: (target: T) => void;
  close: () => void;
  busy: boolean;
  /** Runs `work` on the item: its answer is toasted and the dialog closed, or its error toasted and the dialog left open. */
  run: (work: (target: T) => Promise<string>) => Promise<void>;
}

export function useConfirmed<T>(): Confirmed<T> {
  const [target, setTarget] = useState<T>();
  const [busy, setBusy] = useState(false);
  const run = async (work: (target: T) => Promise<string>) => {
    if (target === undefined) return;
    setBusy(true);
    try {
      toast(await work(target));
      setTarget(undefined);
    } catch (error) {
      toastError((error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { target, ask: setTarget, close: () => setTarget(undefined), busy, run };
}

/** Runs `load` now and whenever `deps` change; an answer that arrives after a newer request started is dropped. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  const latest = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a new closure on every render, so the caller's `deps` stand for what it reads; `nonce` is bumped by reload() only to run it again.
  useEffect(() => {
    const ticket = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => ticket === latest.current && setState({ data, loading: false }),
      (error: Error) => ticket === latest.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
  }, [...deps, nonce]);
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const setData = useCallback((data: T) => setState({ data, loading: false }), []);
  return { data: state.data, error: state.error, loading: state.loading, reload, setData };
}

export function useDebounced<T>(value: T, ms = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const listener = () => setMatches(list.matches);
    list.addEventListener('change', listener);
    return () => list.removeEventListener('change', listener);
  }, [query]);
  return matches;
}
