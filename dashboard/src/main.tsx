// The dashboard's entry: loads the session, shows sign-in without one, and routes the signed-in pages.
import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api, onSessionLost, request, setCsrfToken } from './api';
import { App } from './app-context';
import { AppointmentTypePage } from './pages/AppointmentType';
import { AppointmentTypesPage } from './pages/AppointmentTypes';
import { BookingsPage } from './pages/Bookings';
import { ContactsPage } from './pages/Contacts';
import { ContractsPage } from './pages/Contracts';
import { CredentialsPage } from './pages/Credentials';
import { CustomerPage } from './pages/Customer';
import { CustomersPage } from './pages/Customers';
import { LeadsPage } from './pages/Leads';
import { OverviewPage } from './pages/Overview';
import { QuoteEditorPage } from './pages/QuoteEditor';
import { QuotePrintPage } from './pages/QuotePrint';
import { QuotesPage } from './pages/Quotes';
import { SignIn } from './pages/SignIn';
import { WebhooksPage } from './pages/Webhooks';
import { match, navigate, useLocation } from './router';
import { Shell } from './shell';
import type { Meta, Session } from './types';
import { ButtonLink } from './ui/Button';
import { Empty, Loading } from './ui/bits';
import { Toaster } from './ui/toast';
import './styles.css';

const ROUTES: [string, (params: Record<string, string>) => preact.JSX.Element][] = [
  ['/', () => <OverviewPage />],
  ['/customers', () => <CustomersPage />],
  ['/customers/:id', (p) => <CustomerPage id={p.id} />],
  ['/leads', () => <LeadsPage />],
  ['/contacts', () => <ContactsPage />],
  ['/quotes', () => <QuotesPage />],
  ['/quotes/new', () => <QuoteEditorPage />],
  ['/quotes/:id', (p) => <QuoteEditorPage id={p.id} />],
  ['/contracts', () => <ContractsPage />],
  ['/bookings', () => <BookingsPage />],
  ['/appointment-types', () => <AppointmentTypesPage />],
  ['/appointment-types/new', () => <AppointmentTypePage />],
  ['/appointment-types/:id', (p) => <AppointmentTypePage id={p.id} />],
  ['/credentials', () => <CredentialsPage />],
  ['/webhooks', () => <WebhooksPage />],
];

function Page() {
  const { path } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `path` is the trigger, not an input: a new page starts at the top.
  useEffect(() => window.scrollTo(0, 0), [path]);
  const print = match('/quotes/:id/print', path);
  if (print) return <QuotePrintPage id={print.id} />;
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return <Shell key={pattern}>{render(params)}</Shell>;
  }
  return (
    <Shell>
      <Empty
        icon="alert"
        title="No such page"
        action={
          <ButtonLink to="/" variant="primary">
            Go to the overview
          </ButtonLink>
        }
      >
        Nothing lives at {path}.
      </Empty>
    </Shell>
  );
}

function Root() {
  const [session, setSession] = useState<Session | null>();
  const [meta, setMeta] = useState<Meta>();
  const [expired, setExpired] = useState(false);
  const [failure, setFailure] = useState<string>();

  const start = useCallback((next: Session) => {
    setCsrfToken(next.csrftoken);
    setSession(next);
    setExpired(false);
    api.get<Meta>('/meta').then(setMeta, (e: Error) => setFailure(e.message));
  }, []);

  useEffect(() => {
    onSessionLost(() => {
      setSession(null);
      setExpired(true);
    });
    api.get<Session>('/session').then(start, (error) => {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else setFailure(error.message);
    });
  }, [start]);

  useEffect(() => {
    document.title = session ? `${session.business.name} · mteja` : 'Sign in · mteja';
  }, [session]);

  if (failure)
    return (
      <Empty icon="alert" title="The dashboard could not start">
        {failure}
      </Empty>
    );
  if (session === undefined) return <Loading label="Opening the dashboard…" />;
  if (session === null) return <SignIn expired={expired} onSignedIn={start} />;
  if (!meta) return <Loading label="Opening the dashboard…" />;

  const signOut = async () => {
    await request('DELETE', '/session').catch(() => undefined);
    setSession(null);
    setExpired(false);
    navigate('/');
  };
  return (
    <App.Provider value={{ session, meta, signOut }}>
      <Page />
    </App.Provider>
  );
}

render(
  <>
    <Root />
    <Toaster />
  </>,
  document.getElementById('app')!,
);
