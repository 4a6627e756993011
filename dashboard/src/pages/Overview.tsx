// The overview: counts, the lead pipeline, where leads come from, quote value by status, active contract value and
// the bookings ahead, exact figures the server keeps as records change (src/dashboard/overview.store.ts).
import type { ChartConfiguration } from 'chart.js';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../app-context';
import { localZone, money, number, words } from '../format';
import { useAsync } from '../hooks';
import { Link } from '../router';
import type { Overview } from '../types';
import { ButtonLink } from '../ui/Button';
import { Empty, LoadError, PageHeader, StatusBadge } from '../ui/bits';
import { ChartCanvas, PALETTE } from '../ui/Chart';
import { Icon, type IconName } from '../ui/icons';
import { When } from '../ui/When';
import { withZones } from '../zones';

const STAGE_COLOURS: Record<string, string> = {
  new: '#1f5fc9',
  contacted: '#6a45c2',
  qualified: '#d08a0a',
  converted: '#0d7a6c',
  lost: '#bf3326',
};

function Kpi({
  to,
  icon,
  label,
  value,
  hint,
}: {
  to: string;
  icon: IconName;
  label: string;
  value: number | undefined;
  hint: string;
}) {
  return (
    <Link to={to} class="card kpi">
      <div class="label">
        <Icon name={icon} size={14} />
        {label}
      </div>
      <div class="value">
        {value === undefined ? <span class="skeleton" style={{ width: '50%', height: '24px' }} /> : number(value)}
      </div>
      <div class="hint">{hint}</div>
    </Link>
  );
}

function Card({
  title,
  action,
  children,
}: {
  title: string;
  action?: preact.ComponentChildren;
  children: preact.ComponentChildren;
}) {
  return (
    <section class="card" aria-label={title}>
      <div class="card-head">
        <h2>{title}</h2>
        {action}
      </div>
      <div class="card-body">{children}</div>
    </section>
  );
}

/** Leads per stage as a centred funnel: each bar spans [-n/2, n/2]; lost leads sit apart, below the line. */
function funnel(data: Overview): ChartConfiguration<'bar'> {
  const rows = data.leadsbystatus;
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => `${words(r.status)} · ${number(r.count)}`),
      datasets: [
        {
          label: 'Leads',
          data: rows.map((r) => [-r.count / 2, r.count / 2]) as unknown as number[],
          backgroundColor: rows.map((r) => STAGE_COLOURS[r.status] ?? PALETTE[0]),
          borderRadius: 4,
          barPercentage: 0.9,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => ` ${number(rows[item.dataIndex].count)} leads` } },
      },
      scales: { x: { display: false }, y: { grid: { display: false }, border: { display: false } } },
    },
  };
}

function sources(data: Overview): ChartConfiguration<'doughnut'> {
  const top = data.leadsbysource.slice(0, 7);
  const rest = data.leadsbysource.slice(7).reduce((sum, r) => sum + r.count, 0);
  const rows = rest > 0 ? [...top, { source: 'other', count: rest }] : top;
  return {
    type: 'doughnut',
    data: {
      labels: rows.map((r) => words(r.source)),
      datasets: [{ data: rows.map((r) => r.count), backgroundColor: PALETTE, borderWidth: 2, borderColor: '#fff' }],
    },
    options: {
      cutout: '62%',
      plugins: { legend: { position: 'right', labels: { boxWidth: 10, boxHeight: 10, padding: 10 } } },
    },
  };
}

function quoteValue(data: Overview, currency: string, statuses: readonly string[]): ChartConfiguration<'bar'> {
  const rows = statuses.map((status) => data.quotevalue.find((q) => q.status === status && q.currency === currency));
  return {
    type: 'bar',
    data: {
      labels: statuses.map(words),
      datasets: [
        {
          label: `Value (${currency})`,
          data: rows.map((r) => r?.value ?? 0),
          backgroundColor: statuses.map(
            (s) =>
              ({
                draft: '#9aa9ae',
                sent: '#1f5fc9',
                accepted: '#0d7a6c',
                rejected: '#bf3326',
                expired: '#d08a0a',
                invoiced: '#2f9e8f',
              })[s] ?? PALETTE[0],
          ),
          borderRadius: 4,
        },
      ],
    },
    options: {
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item) =>
              ` ${money(item.parsed.y as number, currency)} · ${rows[item.dataIndex]?.count ?? 0} quotes`,
          },
        },
      },
      scales: {
        y: { ticks: { callback: (v) => money(Number(v), currency, { compact: true }) }, border: { display: false } },
        x: { grid: { display: false } },
      },
    },
  };
}

function ahead(data: Overview): ChartConfiguration<'bar'> {
  const days = data.bookingsahead;
  return {
    type: 'bar',
    data: {
      labels: days.map((d) =>
        new Date(`${d.date}T12:00:00Z`).toLocaleDateString(undefined, {
          weekday: 'short',
          day: 'numeric',
          timeZone: 'UTC',
        }),
      ),
      datasets: [{ label: 'Bookings', data: days.map((d) => d.count), backgroundColor: '#0d7a6c', borderRadius: 4 }],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: {
        y: { ticks: { precision: 0 }, beginAtZero: true, border: { display: false } },
        x: { grid: { display: false } },
      },
    },
  };
}

export function OverviewPage() {
  const { session, meta } = useApp();
  const zone = localZone();
  const overview = useAsync(async () => {
    const found = await api.get<Overview>('/overview', { timezone: meta.timezones.includes(zone) ? zone : 'UTC' });
    return { ...found, upcoming: await withZones(found.upcoming) };
  }, []);
  const data = overview.data;
  const currencies = data
    ? [...new Set(data.quotevalue.map((q) => q.currency))].sort((a, b) => sum(data, b) - sum(data, a))
    : [];
  const [currency, setCurrency] = useState<string>();
  const shown = currency && currencies.includes(currency) ? currency : currencies[0];
  const leads = data?.leadsbystatus.reduce((s, r) => s + r.count, 0) ?? 0;

  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={`${session.business.name} today`}
        actions={
          <ButtonLink to="/quotes/new" icon="plus" variant="primary">
            New quote
          </ButtonLink>
        }
      />
      {overview.error && !data ? (
        <LoadError error={overview.error} retry={overview.reload} />
      ) : (
        <>
          <div class="kpis">
            <Kpi
              to="/customers"
              icon="customers"
              label="Customers"
              value={data?.counts.customers}
              hint="All customers"
            />
            <Kpi
              to="/leads"
              icon="leads"
              label="Open leads"
              value={data?.counts.openleads}
              hint="Not converted or lost"
            />
            <Kpi
              to="/contacts"
              icon="contacts"
              label="Contacts"
              value={data?.counts.contacts}
              hint="In the directory"
            />
            <Kpi
              to="/quotes?status=sent"
              icon="quotes"
              label="Open quotes"
              value={data?.counts.openquotes}
              hint="Draft or sent"
            />
            <Kpi
              to="/contracts?status=active"
              icon="contracts"
              label="Active contracts"
              value={data?.counts.activecontracts}
              hint="Running now"
            />
            <Kpi
              to="/bookings?view=week"
              icon="bookings"
              label="Bookings ahead"
              value={data?.counts.upcomingbookings}
              hint="Scheduled ahead"
            />
          </div>
          <div class="grid two">
            <Card
              title="Lead pipeline"
              action={
                <Link to="/leads" class="small">
                  Open board
                </Link>
              }
            >
              {!data ? (
                <div class="chart" />
              ) : leads === 0 ? (
                <Empty icon="leads" title="No leads yet">
                  Leads created here or through the API appear in the pipeline.
                </Empty>
              ) : (
                <ChartCanvas
                  config={funnel(data)}
                  summary={`Leads by stage: ${data.leadsbystatus.map((r) => `${words(r.status)} ${r.count}`).join(', ')}`}
                />
              )}
            </Card>
            <Card title="Leads by source">
              {!data ? (
                <div class="chart" />
              ) : data.leadsbysource.length === 0 ? (
                <Empty icon="leads" title="No sources yet" />
              ) : (
                <ChartCanvas
                  config={sources(data)}
                  summary={`Leads by source: ${data.leadsbysource.map((r) => `${words(r.source)} ${r.count}`).join(', ')}`}
                />
              )}
            </Card>
            <Card
              title="Quote value by status"
              action={
                currencies.length > 1 && (
                  <select
                    aria-label="Currency"
                    value={shown}
                    onChange={(e) => setCurrency(e.currentTarget.value)}
                    class="inline-select"
                  >
                    {currencies.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                )
              }
            >
              {!data ? (
                <div class="chart" />
              ) : !shown ? (
                <Empty
                  icon="quotes"
                  title="No quotes yet"
                  action={
                    <ButtonLink to="/quotes/new" icon="plus">
                      New quote
                    </ButtonLink>
                  }
                />
              ) : (
                <ChartCanvas
                  config={quoteValue(data, shown, meta.quotestatuses)}
                  summary={`Quote value in ${shown}: ${meta.quotestatuses.map((s) => `${words(s)} ${money(data.quotevalue.find((q) => q.status === s && q.currency === shown)?.value ?? 0, shown)}`).join(', ')}`}
                />
              )}
            </Card>
            <Card
              title="Active contract value"
              action={
                <Link to="/contracts?status=active" class="small">
                  View contracts
                </Link>
              }
            >
              {!data ? (
                <div class="chart short" />
              ) : data.activecontractvalue.length === 0 ? (
                <Empty icon="contracts" title="No active contracts">
                  Contracts marked active count here.
                </Empty>
              ) : (
                <div class="money-list">
                  {data.activecontractvalue.map((m) => (
                    <div key={m.currency}>
                      <div class="amount">{money(m.value, m.currency)}</div>
                      <div class="small muted">
                        {m.count} active contract{m.count === 1 ? '' : 's'} in {m.currency}
                      </div>
                    </div>
                  ))}
                </div>
              )}
            </Card>
            <Card
              title="Bookings in the next 14 days"
              action={
                <Link to="/bookings?view=week" class="small">
                  Week view
                </Link>
              }
            >
              {!data ? (
                <div class="chart short" />
              ) : (
                <ChartCanvas
                  short
                  config={ahead(data)}
                  summary={`Bookings per day: ${data.bookingsahead.map((d) => `${d.date} ${d.count}`).join(', ')}`}
                />
              )}
            </Card>
            <Card
              title="Upcoming bookings"
              action={
                <Link to="/bookings" class="small">
                  All bookings
                </Link>
              }
            >
              {!data ? (
                <div class="chart short" />
              ) : data.upcoming.length === 0 ? (
                <Empty icon="bookings" title="Nothing scheduled">
                  New bookings appear here.
                </Empty>
              ) : (
                <ul class="plain-list">
                  {data.upcoming.map((b) => (
                    <li key={b._id} class="row">
                      <div class="small nowrap upcoming-when">
                        <strong>
                          <When start={b.starttime} zone={b.zone} />
                        </strong>
                      </div>
                      <div class="grow">
                        <div class="strong">{b.title}</div>
                        <div class="small muted">
                          {b.appointment?.title ?? words(b.type)}
                          {b.customer ? ` · ${b.customer.name}` : ''}
                        </div>
                      </div>
                      <StatusBadge status={b.status} />
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </div>
        </>
      )}
    </>
  );
}

const sum = (data: Overview, currency: string) =>
  data.quotevalue.filter((q) => q.currency === currency).reduce((s, q) => s + q.count, 0);
