// Who is signed in and what the server accepts, for every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Meta, Session } from './types';

export interface AppContext {
  session: Session;
  meta: Meta;
  signOut: () => Promise<void>;
}

export const App = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const context = useContext(App);
  if (!context) throw new Error('useApp outside a signed-in app');
  return context;
}
