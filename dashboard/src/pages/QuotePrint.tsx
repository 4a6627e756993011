// A quote as a printable document: the business, the customer, the lines and the totals; the browser prints it.
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../app-context';
import { date, words } from '../format';
import { useAsync } from '../hooks';
import { Link } from '../router';
import type { Customer, Quote } from '../types';
import { LoadError, Loading } from '../ui/bits';
import { Icon } from '../ui/icons';
import { QuoteLines } from './QuoteLines';

export function QuotePrintPage({ id }: { id: string }) {
  const { session } = useApp();
  const loaded = useAsync(async () => {
    const quote = await api.details<Quote>('quote', id);
    const customer = quote.customerid
      ? await api.details<Customer>('customer', quote.customerid).catch(() => undefined)
      : undefined;
    return { quote, customer };
  }, [id]);
  useEffect(() => {
    if (loaded.data) document.title = `${loaded.data.quote.quoteno} · ${session.business.name}`;
  }, [loaded.data, session.business.name]);

  if (loaded.error) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const { quote: q, customer: c } = loaded.data;
  return (
    <>
      <div class="print-bar">
        <Link to={`/quotes/${q._id}`} class="btn">
          <Icon name="left" />
          Back to the quote
        </Link>
        <div class="spacer" />
        <button type="button" class="btn primary" onClick={() => window.print()}>
          <Icon name="printer" />
          Print
        </button>
      </div>
      <main class="print-page">
        <header>
          <div>
            <div class="doc-title">Quote</div>
            <div class="mono">{q.quoteno}</div>
          </div>
          <div class="text-right">
            <div class="strong">{session.business.name}</div>
            <div class="muted small">Status: {words(q.status)}</div>
          </div>
        </header>
        <div class="parties">
          <div>
            <div class="label">Prepared for</div>
            {c ? (
              <>
                <div class="strong">{c.name}</div>
                {c.company && <div>{c.company}</div>}
                <div>{[c.address, c.city, c.state, c.country].filter(Boolean).join(', ')}</div>
                <div>
                  {c.email} · {c.phone}
                </div>
              </>
            ) : (
              <div class="muted">{q.customer?.name ?? 'No customer'}</div>
            )}
          </div>
          <div>
            <div class="label">Dates</div>
            <div>Issued {date(q.issuedate)}</div>
            <div>Valid until {date(q.expirydate)}</div>
          </div>
        </div>
        <h2 class="doc-subject">{q.title}</h2>
        {q.description && <p class="muted doc-description">{q.description}</p>}
        <QuoteLines quote={q} />
        {q.notes && <div class="notes">{q.notes}</div>}
      </main>
    </>
  );
}
