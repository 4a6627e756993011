// Quotes: filter by status, search by title or number; each opens in the quote editor.
import { api } from '../api';
import { useApp } from '../app-context';
import { date, money } from '../format';
import { useAsync } from '../hooks';
import { FilterChips, SearchBox, useListState } from '../list-state';
import { Link } from '../router';
import type { Quote } from '../types';
import { Button, ButtonLink } from '../ui/Button';
import { Empty, PageHeader, StatusBadge } from '../ui/bits';
import { PagedTable } from '../ui/Table';

export function QuotesPage() {
  const { meta } = useApp();
  const list = useListState();
  const status = list.get('status');
  const quotes = useAsync(
    () => api.list<Quote>('quote', { page: list.page, limit: list.limit, search: list.search, status }),
    [list.page, list.limit, list.search, status],
  );
  return (
    <>
      <PageHeader
        title="Quotes"
        subtitle="Proposals with line items, priced by the server"
        actions={
          <ButtonLink to="/quotes/new" variant="primary" icon="plus">
            New quote
          </ButtonLink>
        }
      />
      <section class="card">
        <div class="toolbar">
          <SearchBox list={list} label="Search title, number or description" />
          <FilterChips
            label="Status"
            value={status}
            options={meta.quotestatuses}
            onChange={(v) => list.set({ status: v })}
          />
        </div>
        <PagedTable<Quote>
          state={quotes}
          list={list}
          caption="Quotes"
          rowHref={(q) => `/quotes/${q._id}`}
          empty={
            list.search || status ? (
              <Empty
                icon="search"
                title="No quotes match"
                action={
                  <Button onClick={() => list.set({ search: undefined, status: undefined })}>Clear filters</Button>
                }
              >
                Try another search or status.
              </Empty>
            ) : (
              <Empty
                icon="quotes"
                title="No quotes yet"
                action={
                  <ButtonLink to="/quotes/new" variant="primary" icon="plus">
                    New quote
                  </ButtonLink>
                }
              >
                Build a quote from line items; the server works out the totals.
              </Empty>
            )
          }
          columns={[
            {
              label: 'Number',
              cell: (q) => (
                <Link to={`/quotes/${q._id}`} class="primary-text mono nowrap">
                  {q.quoteno}
                </Link>
              ),
            },
            {
              label: 'Title',
              cell: (q) => (
                <>
                  <div>{q.title}</div>
                  {q.customer && <div class="secondary-text">{q.customer.name}</div>}
                </>
              ),
            },
            { label: 'Status', cell: (q) => <StatusBadge status={q.status} /> },
            {
              label: 'Total',
              class: 'num',
              cell: (q) => <span class="nowrap strong">{money(q.total, q.currency)}</span>,
            },
            { label: 'Issued', class: 'hide-sm', cell: (q) => <span class="nowrap">{date(q.issuedate)}</span> },
            { label: 'Expires', class: 'hide-md', cell: (q) => <span class="nowrap">{date(q.expirydate)}</span> },
          ]}
        />
      </section>
    </>
  );
}
