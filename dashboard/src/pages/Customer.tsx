// One customer: their details, edit and (de)activate, and their quotes, contracts and bookings.
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { createdAt, date, money, words } from '../format';
import { useAsync } from '../hooks';
import { Link, setQuery, useLocation } from '../router';
import type { Booking, Contract, Customer, Quote } from '../types';
import { Button, ButtonLink } from '../ui/Button';
import { Empty, LoadError, Loading, PageHeader, StatusBadge } from '../ui/bits';
import { type Column, DataTable, Pager } from '../ui/Table';
import { toast, toastError } from '../ui/toast';
import { When } from '../ui/When';
import { withZones, type Zoned } from '../zones';
import { CustomerForm } from './CustomerForm';

const TABS = [
  { key: 'quotes', label: 'Quotes' },
  { key: 'contracts', label: 'Contracts' },
  { key: 'bookings', label: 'Bookings' },
] as const;

function Related({ customer, tab }: { customer: Customer; tab: (typeof TABS)[number]['key'] }) {
  const [page, setPage] = useState(1);
  const resource = tab.slice(0, -1);
  const rows = useAsync(async () => {
    const found = await api.list<Quote | Contract | Booking>(resource, { customerid: customer._id, page, limit: 10 });
    return resource === 'booking' ? { ...found, data: await withZones(found.data as Booking[]) } : found;
  }, [resource, customer._id, page]);
  if (rows.error) return <LoadError error={rows.error} retry={rows.reload} />;
  const empty = {
    quotes: (
      <Empty
        icon="quotes"
        title="No quotes yet"
        action={
          <ButtonLink to={`/quotes/new?customer=${customer._id}`} icon="plus" variant="primary">
            New quote
          </ButtonLink>
        }
      >
        Quotes for {customer.name} appear here.
      </Empty>
    ),
    contracts: (
      <Empty
        icon="contracts"
        title="No contracts yet"
        action={
          <ButtonLink to={`/contracts?new=1&customer=${customer._id}`} icon="plus">
            New contract
          </ButtonLink>
        }
      >
        Contracts with {customer.name} appear here.
      </Empty>
    ),
    bookings: (
      <Empty
        icon="bookings"
        title="No bookings yet"
        action={
          <ButtonLink to={`/bookings?new=1&customer=${customer._id}`} icon="plus">
            New booking
          </ButtonLink>
        }
      >
        Bookings with {customer.name} appear here.
      </Empty>
    ),
  }[tab];
  const columns = {
    quotes: [
      {
        label: 'Number',
        cell: (q: Quote) => (
          <Link to={`/quotes/${q._id}`} class="primary-text mono">
            {q.quoteno}
          </Link>
        ),
      },
      { label: 'Title', cell: (q: Quote) => q.title },
      { label: 'Status', cell: (q: Quote) => <StatusBadge status={q.status} /> },
      { label: 'Total', class: 'num', cell: (q: Quote) => money(q.total, q.currency) },
      { label: 'Issued', class: 'hide-sm', cell: (q: Quote) => date(q.issuedate) },
    ],
    contracts: [
      {
        label: 'Number',
        cell: (c: Contract) => (
          <Link to={`/contracts?open=${c._id}`} class="primary-text mono">
            {c.contractno}
          </Link>
        ),
      },
      { label: 'Title', cell: (c: Contract) => c.title },
      { label: 'Status', cell: (c: Contract) => <StatusBadge status={c.status} /> },
      { label: 'Value', class: 'num', cell: (c: Contract) => money(c.value, c.currency) },
      { label: 'Ends', class: 'hide-sm', cell: (c: Contract) => date(c.enddate) },
    ],
    bookings: [
      {
        label: 'When',
        cell: (b: Zoned<Booking>) => (
          <Link to={`/bookings?open=${b._id}`} class="primary-text">
            <When start={b.starttime} end={b.endtime} zone={b.zone} />
          </Link>
        ),
      },
      { label: 'Title', cell: (b: Booking) => b.title },
      { label: 'Type', class: 'hide-sm', cell: (b: Booking) => b.appointment?.title ?? words(b.type) },
      { label: 'Status', cell: (b: Booking) => <StatusBadge status={b.status} /> },
    ],
  }[tab] as Column<Quote | Contract | Booking>[];
  return (
    <>
      <DataTable
        caption={`${customer.name}'s ${tab}`}
        loading={rows.loading}
        rows={rows.data?.data}
        columns={columns}
        empty={empty}
        skeletonRows={3}
      />
      {rows.data && <Pager {...rows.data.pagination} page={page} limit={10} onPage={setPage} />}
    </>
  );
}

export function CustomerPage({ id }: { id: string }) {
  const customer = useAsync(() => api.details<Customer>('customer', id), [id]);
  const { query } = useLocation();
  const tab = (TABS.find((t) => t.key === query.get('tab')) ?? TABS[0]).key;
  const [editing, setEditing] = useState(false);
  const [toggling, setToggling] = useState(false);

  if (customer.error) {
    return customer.error instanceof ApiError && customer.error.status === 404 ? (
      <Empty
        icon="customers"
        title="Customer not found"
        action={<ButtonLink to="/customers">All customers</ButtonLink>}
      >
        It may belong to another business, or the link is wrong.
      </Empty>
    ) : (
      <LoadError error={customer.error} retry={customer.reload} />
    );
  }
  const c = customer.data;
  if (!c) return <Loading />;

  const toggleActive = async () => {
    setToggling(true);
    try {
      await api.update('customer', c._id, { active: !c.active });
      toast(c.active ? `${c.name} deactivated` : `${c.name} reactivated`);
      customer.reload();
    } catch (error) {
      toastError((error as Error).message);
    } finally {
      setToggling(false);
    }
  };

  return (
    <>
      <PageHeader
        crumbs={{ to: '/customers', label: 'Customers' }}
        title={c.name}
        subtitle={
          <span class="row wrap">
            <span class="badge plain">{words(c.type)}</span>
            {!c.active && <span class="badge amber">Inactive</span>}
            {c.company && <span>{c.company}</span>}
            <span class="muted small">
              Added {createdAt(c.createdat)} via {words(c.sourceorigin)}
            </span>
          </span>
        }
        actions={
          <>
            <Button icon="edit" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button busy={toggling} onClick={toggleActive}>
              {c.active ? 'Deactivate' : 'Reactivate'}
            </Button>
            <ButtonLink to={`/quotes/new?customer=${c._id}`} icon="plus" variant="primary">
              New quote
            </ButtonLink>
          </>
        }
      />
      <div class="grid main-side">
        <section class="card" aria-label="Records">
          <div class="card-head">
            <div class="segmented" role="tablist" aria-label="Records of this customer">
              {TABS.map((t) => (
                <button
                  key={t.key}
                  type="button"
                  role="tab"
                  aria-selected={tab === t.key ? 'true' : 'false'}
                  onClick={() => setQuery({ tab: t.key === 'quotes' ? undefined : t.key })}
                >
                  {t.label}
                </button>
              ))}
            </div>
          </div>
          <div role="tabpanel">
            <Related key={tab} customer={c} tab={tab} />
          </div>
        </section>
        <section class="card" aria-label="Details">
          <div class="card-head">
            <h2>Details</h2>
          </div>
          <div class="card-body">
            <dl class="details">
              <dt>Email</dt>
              <dd>
                <a href={`mailto:${c.email}`}>{c.email}</a>
              </dd>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${c.phone}`}>{c.phone}</a>
              </dd>
              <dt>Country</dt>
              <dd>{c.country}</dd>
              <dt>Currency</dt>
              <dd>{c.currency}</dd>
              <dt>Address</dt>
              <dd>{[c.address, c.city, c.state].filter(Boolean).join(', ') || '—'}</dd>
              <dt>Website</dt>
              <dd>
                {c.website ? (
                  <a href={c.website} target="_blank" rel="noopener noreferrer">
                    {c.website}
                  </a>
                ) : (
                  '—'
                )}
              </dd>
              <dt>ID</dt>
              <dd class="mono small">{c._id}</dd>
            </dl>
          </div>
        </section>
      </div>
      {editing && (
        <CustomerForm
          customer={c}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            toast('Customer saved');
            customer.reload();
          }}
        />
      )}
    </>
  );
}
