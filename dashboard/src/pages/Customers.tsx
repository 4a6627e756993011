// Customers: search, type and status filters, pages; a new customer opens in a dialog and then on its own page.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { createdAt, words } from '../format';
import { useAsync } from '../hooks';
import { FilterChips, SearchBox, useListState } from '../list-state';
import { Link, navigate } from '../router';
import type { Customer } from '../types';
import { Button } from '../ui/Button';
import { Empty, PageHeader } from '../ui/bits';
import { PagedTable } from '../ui/Table';
import { toast } from '../ui/toast';
import { CustomerForm } from './CustomerForm';

export function CustomersPage() {
  const list = useListState();
  const type = list.get('type');
  const status = list.get('status') || 'active';
  const customers = useAsync(
    () =>
      api.list<Customer>('customer', {
        page: list.page,
        limit: list.limit,
        search: list.search,
        type,
        active: status === 'all' ? undefined : status === 'active',
      }),
    [list.page, list.limit, list.search, type, status],
  );
  const [creating, setCreating] = useState(false);
  const filtered = Boolean(list.search || type || status !== 'active');

  return (
    <>
      <PageHeader
        title="Customers"
        subtitle="Everyone you sell to"
        actions={
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
            New customer
          </Button>
        }
      />
      <section class="card">
        <div class="toolbar">
          <SearchBox list={list} label="Search name, email or phone" />
          <FilterChips
            label="Customer type"
            value={type}
            options={['individual', 'business']}
            onChange={(v) => list.set({ type: v })}
          />
          <div class="spacer" />
          <label class="row small muted">
            Show
            <select
              value={status}
              onChange={(e) =>
                list.set({ status: e.currentTarget.value === 'active' ? undefined : e.currentTarget.value })
              }
              class="inline-select"
            >
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
              <option value="all">All</option>
            </select>
          </label>
        </div>
        <PagedTable<Customer>
          state={customers}
          list={list}
          caption="Customers"
          rowHref={(c) => `/customers/${c._id}`}
          empty={
            filtered ? (
              <Empty
                icon="search"
                title="No customers match"
                action={
                  <Button onClick={() => list.set({ search: undefined, type: undefined, status: undefined })}>
                    Clear filters
                  </Button>
                }
              >
                Try another search or filter.
              </Empty>
            ) : (
              <Empty
                icon="customers"
                title="No customers yet"
                action={
                  <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
                    New customer
                  </Button>
                }
              >
                Add your first customer, or create them through the API.
              </Empty>
            )
          }
          columns={[
            {
              label: 'Name',
              class: 'col-name',
              cell: (c) => (
                <>
                  <Link to={`/customers/${c._id}`} class="primary-text">
                    {c.name}
                  </Link>
                  {c.company && <div class="secondary-text">{c.company}</div>}
                  <div class="secondary-text show-sm">{c.email}</div>
                </>
              ),
            },
            {
              label: 'Email',
              cell: (c) => (
                <span class="truncate" title={c.email}>
                  {c.email}
                </span>
              ),
              class: 'hide-sm col-fill',
            },
            { label: 'Phone', cell: (c) => <span class="nowrap">{c.phone}</span>, class: 'hide-sm' },
            {
              label: 'Country',
              cell: (c) => (
                <>
                  {c.country}
                  <div class="secondary-text" title="Currency">
                    {c.currency}
                  </div>
                </>
              ),
              class: 'hide-md',
            },
            { label: 'Type', cell: (c) => <span class="badge plain">{words(c.type)}</span>, class: 'hide-sm' },
            {
              label: 'Added',
              cell: (c) => <span class="nowrap muted">{createdAt(c.createdat)}</span>,
              class: 'hide-sm',
            },
          ]}
        />
      </section>
      {creating && (
        <CustomerForm
          onClose={() => setCreating(false)}
          onSaved={(customer) => {
            setCreating(false);
            toast(`Customer ${customer!.name} created`);
            navigate(`/customers/${customer!._id}`);
          }}
        />
      )}
    </>
  );
}
