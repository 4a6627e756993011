// A quote: drafted with line items (quantity × rate, discount, tax) whose totals the server computes as they are
// typed; then moved along its statuses; printable. Only a draft can be edited.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { useApp } from '../app-context';
import { date, dateInput, money, words } from '../format';
import { useAsync, useDebounced } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import type { Customer, Priced, Quote, QuoteCreate } from '../types';
import { Button, ButtonLink, IconButton } from '../ui/Button';
import { Empty, LoadError, Loading, PageHeader, StatusBadge } from '../ui/bits';
import { CustomerPicker, type CustomerRef } from '../ui/CustomerPicker';
import { Alert, SelectField, TextArea, TextField } from '../ui/Field';
import { toNumber, useForm } from '../ui/form';
import { toast, toastError } from '../ui/toast';
import { currencyOptions } from './CustomerForm';
import { QuoteLines, Totals } from './QuoteLines';

/** A line as typed: every field of the server's line item as text, but the catalogue item, which the dashboard has not. */
type Line = Record<Exclude<keyof QuoteCreate['items'][number], 'itemid'>, string> & {
  /** Names the row while it is edited (its key, kept when lines above it are removed); never sent. */
  id: number;
};

/** Every field of the server's create body as the form holds it (the status moves by its own buttons). */
type Values = Record<Exclude<keyof QuoteCreate, 'customerid' | 'items' | 'status'>, string> & {
  customer: CustomerRef | null;
  items: Line[];
};

let lastLineId = 0;
const lineId = () => ++lastLineId;
const blankLine = (): Line => ({
  id: lineId(),
  title: '',
  description: '',
  quantity: '1',
  rate: '',
  discount: '',
  taxrate: '',
});
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const itemsBody = (items: Line[]) =>
  items.map(({ id: _row, ...l }) => ({
    ...l,
    quantity: toNumber(l.quantity),
    rate: toNumber(l.rate),
    discount: toNumber(l.discount) ?? 0,
    taxrate: toNumber(l.taxrate) ?? 0,
  }));

const ACTION_TONES: Record<string, 'primary' | 'danger' | 'secondary'> = {
  sent: 'primary',
  accepted: 'primary',
  invoiced: 'primary',
  rejected: 'danger',
};

export const ACTION_LABELS: Record<string, string> = {
  sent: 'Mark as sent',
  accepted: 'Mark accepted',
  rejected: 'Mark rejected',
  expired: 'Mark expired',
  invoiced: 'Mark invoiced',
  draft: 'Back to draft',
};

function fromQuote(q: Quote): Values {
  return {
    title: q.title,
    customer: q.customer,
    currency: q.currency,
    issuedate: dateInput(q.issuedate),
    expirydate: dateInput(q.expirydate),
    description: q.description ?? '',
    notes: q.notes ?? '',
    items: q.items.map((i) => ({
      id: lineId(),
      title: i.title,
      description: i.description ?? '',
      quantity: String(i.quantity),
      rate: String(i.rate),
      discount: i.discount ? String(i.discount) : '',
      taxrate: i.taxrate ? String(i.taxrate) : '',
    })),
  };
}

function Editor({ quote, onSaved }: { quote?: Quote; onSaved: (id: string) => void }) {
  const { meta } = useApp();
  const { query } = useLocation();
  const form = useForm<Values>(
    quote
      ? fromQuote(quote)
      : {
          title: '',
          customer: null,
          currency: 'KES',
          issuedate: today(),
          expirydate: inDays(30),
          description: '',
          notes: '',
          items: [blankLine()],
        },
  );
  const { values, set, errors } = form;
  // The server's prices, with the editor lines they are for: an answer to an older request never meets newer lines.
  const [priced, setPriced] = useState<(Priced & { lines: number[] }) | undefined>(
    quote && {
      items: quote.items,
      subtotal: quote.subtotal,
      discount: quote.discount,
      tax: quote.tax,
      total: quote.total,
      lines: quote.items.map((_, i) => i),
    },
  );
  const [pricing, setPricing] = useState(false);
  // Lines with a quantity and a rate are priced; the others show a dash until they have both.
  const complete = values.items
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => typeof toNumber(l.quantity) === 'number' && typeof toNumber(l.rate) === 'number');
  const pending = useDebounced(
    JSON.stringify({
      lines: complete.map(({ i }) => i),
      items: complete.map(({ l, i }) => ({ ...itemsBody([l])[0], title: l.title || `Line ${i + 1}` })),
    }),
    250,
  );
  const amountOf = (line: number) => {
    const at = priced ? priced.lines.indexOf(line) : -1;
    return at >= 0 ? priced!.items[at]?.amount : undefined;
  };

  // A customer named in the link (from a customer's page) is filled in, with their currency (kept with what was typed
  // meanwhile).
  const customerId = query.get('customer');
  const { setValues } = form;
  useEffect(() => {
    if (quote || !customerId) return;
    api.details<Customer>('customer', customerId).then(
      (c) => setValues((current) => ({ ...current, customer: c, currency: c.currency })),
      () => undefined,
    );
  }, [quote, customerId, setValues]);

  // The server prices the lines as they are typed: the totals shown are the totals that will be saved.
  useEffect(() => {
    let current = true;
    const { lines, items } = JSON.parse(pending) as { lines: number[]; items: unknown[] };
    if (lines.length === 0) {
      setPriced(undefined);
      return;
    }
    setPricing(true);
    api
      .post<Priced>('/quote/price', { items })
      .then(
        (p) => current && setPriced({ ...p, lines }),
        (e) => current && e instanceof ApiError && e.status === 400 && setPriced(undefined),
      )
      .finally(() => current && setPricing(false));
    return () => {
      current = false;
    };
  }, [pending]);

  const setLine = (index: number, key: Exclude<keyof Line, 'id'>, value: string) => {
    const next = values.items.map((l, i) => (i === index ? { ...l, [key]: value } : l));
    set('items', next);
    form.clear();
  };

  const save = () =>
    form.submit(async (v) => {
      const { customer, ...details } = v;
      const body = {
        ...details,
        customerid: customer?._id ?? null,
        issuedate: v.issuedate || null,
        expirydate: v.expirydate || null,
        items: itemsBody(v.items),
      };
      if (quote) {
        await api.update('quote', quote._id, body);
        toast('Quote saved');
        onSaved(quote._id);
      } else {
        const made = await api.create<Quote>('quote', body);
        toast(`Quote ${made.quoteno} created`);
        onSaved(made._id);
      }
    });

  const lineError = (i: number) =>
    ['title', 'quantity', 'rate', 'discount', 'taxrate'].map((k) => errors[`items.${i}.${k}`]).filter(Boolean);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      class="stack"
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      <section class="card">
        <div class="card-head">
          <h2>Details</h2>
        </div>
        <div class="card-body form-grid">
          <TextField
            label="Title"
            class="full"
            required
            value={values.title}
            onValue={(v) => set('title', v)}
            error={errors.title}
            placeholder="e.g. Website redesign"
          />
          <CustomerPicker
            label="Customer"
            value={values.customer}
            error={errors.customerid}
            onChange={(c) => form.setValues({ ...values, customer: c, currency: c?.currency ?? values.currency })}
          />
          <SelectField
            label="Currency"
            required
            value={values.currency}
            onValue={(v) => set('currency', v)}
            error={errors.currency}
            options={currencyOptions(meta.currencies)}
          />
          <TextField
            label="Issue date"
            type="date"
            value={values.issuedate}
            onValue={(v) => set('issuedate', v)}
            error={errors.issuedate}
          />
          <TextField
            label="Valid until"
            type="date"
            value={values.expirydate}
            onValue={(v) => set('expirydate', v)}
            error={errors.expirydate}
          />
          <TextArea
            label="Description"
            class="full"
            rows={2}
            value={values.description}
            onValue={(v) => set('description', v)}
            error={errors.description}
          />
        </div>
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Line items</h2>
          {errors.items && <span class="small danger-text">{errors.items}</span>}
        </div>
        <div class="card-body stack">
          <table class="items">
            <thead>
              <tr>
                <th>Item</th>
                <th class="w-qty">Qty</th>
                <th class="w-rate">Rate</th>
                <th class="w-disc">Discount</th>
                <th class="w-tax">Tax %</th>
                <th class="w-amt text-right">Amount</th>
                <th>
                  <span class="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {values.items.map((line, i) => (
                <tr key={line.id} data-line={i}>
                  <td class="item-main">
                    <input
                      aria-label={`Item ${i + 1} title`}
                      placeholder="Item or service"
                      value={line.title}
                      onInput={(e) => setLine(i, 'title', e.currentTarget.value)}
                      aria-invalid={errors[`items.${i}.title`] ? 'true' : undefined}
                    />
                    <input
                      class="desc"
                      aria-label={`Item ${i + 1} description`}
                      placeholder="Description (optional)"
                      value={line.description}
                      onInput={(e) => setLine(i, 'description', e.currentTarget.value)}
                    />
                    {lineError(i).map((m) => (
                      <div key={m} class="line-error">
                        {m}
                      </div>
                    ))}
                  </td>
                  <td data-label="Qty">
                    <input
                      class="w-qty"
                      inputMode="decimal"
                      aria-label={`Item ${i + 1} quantity`}
                      value={line.quantity}
                      onInput={(e) => setLine(i, 'quantity', e.currentTarget.value)}
                      aria-invalid={errors[`items.${i}.quantity`] ? 'true' : undefined}
                    />
                  </td>
                  <td data-label="Rate">
                    <input
                      class="w-rate"
                      inputMode="decimal"
                      aria-label={`Item ${i + 1} rate`}
                      placeholder="0.00"
                      value={line.rate}
                      onInput={(e) => setLine(i, 'rate', e.currentTarget.value)}
                      aria-invalid={errors[`items.${i}.rate`] ? 'true' : undefined}
                    />
                  </td>
                  <td data-label="Discount">
                    <input
                      class="w-disc"
                      inputMode="decimal"
                      aria-label={`Item ${i + 1} discount`}
                      placeholder="0.00"
                      value={line.discount}
                      onInput={(e) => setLine(i, 'discount', e.currentTarget.value)}
                      aria-invalid={errors[`items.${i}.discount`] ? 'true' : undefined}
                    />
                  </td>
                  <td data-label="Tax %">
                    <input
                      class="w-tax"
                      inputMode="decimal"
                      aria-label={`Item ${i + 1} tax rate`}
                      placeholder="0"
                      value={line.taxrate}
                      onInput={(e) => setLine(i, 'taxrate', e.currentTarget.value)}
                      aria-invalid={errors[`items.${i}.taxrate`] ? 'true' : undefined}
                    />
                  </td>
                  <td class="amount" data-label="Amount">
                    {amountOf(i) === undefined ? '—' : money(amountOf(i)!, values.currency)}
                  </td>
                  <td>
                    <IconButton
                      icon="trash"
                      label={`Remove item ${i + 1}`}
                      disabled={values.items.length === 1}
                      onClick={() =>
                        set(
                          'items',
                          values.items.filter((_, j) => j !== i),
                        )
                      }
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="row wrap">
            <Button icon="plus" small onClick={() => set('items', [...values.items, blankLine()])}>
              Add line
            </Button>
            <div class="spacer" />
            <span class="small muted" aria-live="polite">
              {pricing ? 'Pricing…' : 'Totals are calculated by the server'}
            </span>
          </div>
          <Totals priced={priced} currency={values.currency} pending={pricing} />
        </div>
      </section>
      <section class="card">
        <div class="card-body">
          <TextArea
            label="Notes"
            value={values.notes}
            onValue={(v) => set('notes', v)}
            error={errors.notes}
            help="Printed at the bottom of the quote: payment terms, validity, thanks."
            rows={3}
          />
        </div>
        <div class="card-foot">
          <div class="spacer" />
          {quote && (
            <ButtonLink to={`/quotes/${quote._id}`} onClick={() => onSaved(quote._id)}>
              Discard changes
            </ButtonLink>
          )}
          <Button type="submit" variant="primary" busy={form.busy}>
            {quote ? 'Save draft' : 'Create quote'}
          </Button>
        </div>
      </section>
    </form>
  );
}

function ReadOnly({ quote }: { quote: Quote }) {
  return (
    <div class="stack">
      <section class="card">
        <div class="card-head">
          <h2>Line items</h2>
        </div>
        <div class="card-body stack">
          <QuoteLines quote={quote} />
        </div>
      </section>
      {quote.notes && (
        <section class="card">
          <div class="card-head">
            <h2>Notes</h2>
          </div>
          <div class="card-body pre">{quote.notes}</div>
        </section>
      )}
    </div>
  );
}

export function QuoteEditorPage({ id }: { id?: string }) {
  const { meta } = useApp();
  const quote = useAsync(() => (id ? api.details<Quote>('quote', id) : Promise.resolve(undefined)), [id]);
  const [moving, setMoving] = useState<string>();
  const [version, setVersion] = useState(0);

  if (!id) {
    return (
      <>
        <PageHeader
          crumbs={{ to: '/quotes', label: 'Quotes' }}
          title="New quote"
          subtitle="Saved as a draft; send it when it is ready."
        />
        <Editor onSaved={(made) => navigate(`/quotes/${made}`, { replace: true })} />
      </>
    );
  }
  if (quote.error) {
    return quote.error instanceof ApiError && quote.error.status === 404 ? (
      <Empty icon="quotes" title="Quote not found" action={<ButtonLink to="/quotes">All quotes</ButtonLink>}>
        It may belong to another business, or the link is wrong.
      </Empty>
    ) : (
      <LoadError error={quote.error} retry={quote.reload} />
    );
  }
  const q = quote.data;
  if (!q) return <Loading />;

  const moveTo = async (status: string) => {
    setMoving(status);
    try {
      await api.update('quote', q._id, { status });
      toast(`Quote ${q.quoteno} is now ${words(status).toLowerCase()}`);
      quote.reload();
      setVersion((v) => v + 1);
    } catch (error) {
      toastError(error instanceof ApiError ? (error.errors.status ?? error.message) : String(error));
    } finally {
      setMoving(undefined);
    }
  };
  const next = meta.quotetransitions[q.status];

  return (
    <>
      <PageHeader
        crumbs={{ to: '/quotes', label: 'Quotes' }}
        title={
          <span class="row wrap">
            <span>{q.title}</span>
            <StatusBadge status={q.status} />
          </span>
        }
        subtitle={
          <span class="meta-line">
            <span class="mono">{q.quoteno}</span>
            {q.customer && (
              <span>
                for <Link to={`/customers/${q.customer._id}`}>{q.customer.name}</Link>
              </span>
            )}
            <span class="strong">{money(q.total, q.currency)}</span>
            <span>issued {date(q.issuedate)}</span>
            <span>valid until {date(q.expirydate)}</span>
          </span>
        }
        actions={
          <>
            <ButtonLink to={`/quotes/${q._id}/print`} icon="printer">
              Print
            </ButtonLink>
            {next.map((s) => (
              <Button
                key={s}
                variant={ACTION_TONES[s] ?? 'secondary'}
                busy={moving === s}
                disabled={Boolean(moving)}
                onClick={() => void moveTo(s)}
              >
                {ACTION_LABELS[s]}
              </Button>
            ))}
          </>
        }
      />
      {q.status !== 'draft' && (
        <div class="mb">
          <Alert tone="info">
            {/^[aeiou]/.test(q.status) ? 'An' : 'A'} {q.status} quote is locked.{' '}
            {next.includes('draft') ? 'Move it back to draft to change it.' : 'It can no longer be changed.'}
          </Alert>
        </div>
      )}
      {q.status === 'draft' ? (
        <Editor
          key={version}
          quote={q}
          onSaved={() => {
            quote.reload();
            setVersion((v) => v + 1);
          }}
        />
      ) : (
        <ReadOnly quote={q} />
      )}
    </>
  );
}
