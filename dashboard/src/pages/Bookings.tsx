// Bookings: a list (upcoming, past or all; by status, type and text), each booking in its appointment type's zone, and
// a week view in the viewer's zone, which it names.
// New bookings and a booking's details open in dialogs.
import { useState } from 'preact/hooks';
import { listAll, type Page, queryString, request } from '../api';
import { useApp } from '../app-context';
import { dayLabel, localZone, time, words, zonedText } from '../format';
import { useAsync, useMedia } from '../hooks';
import { FilterChips, type ListState, SearchBox, useListState } from '../list-state';
import { setQuery } from '../router';
import type { Appointment, Booking } from '../types';
import { Button } from '../ui/Button';
import { BusyBar, Empty, LoadError, PageHeader, StatusBadge } from '../ui/bits';
import { Icon } from '../ui/icons';
import { PagedTable } from '../ui/Table';
import { When } from '../ui/When';
import { withZones, type Zoned } from '../zones';
import { BookingDialog, NewBookingDialog } from './BookingDialogs';

const HOUR_PX = 48;

/** Local midnight of the Monday of the week holding `day` (YYYY-MM-DD in the viewer's zone). */
function mondayOf(day?: string): Date {
  const d = day ? new Date(`${day}T00:00:00`) : new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return d;
}
const ymd = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const addDays = (d: Date, n: number) => {
  const out = new Date(d);
  out.setDate(out.getDate() + n);
  return out;
};
const minutesOfDay = (iso: string) => {
  const d = new Date(iso);
  return d.getHours() * 60 + d.getMinutes();
};

/** Bookings of one day side by side where they overlap: each gets a lane and the number of lanes of its cluster. */
function lanes<B extends Booking>(bookings: B[]) {
  const sorted = [...bookings].sort((a, b) => a.starttime.localeCompare(b.starttime));
  const placed: { booking: B; lane: number; of: number }[] = [];
  let cluster: typeof placed = [];
  let clusterEnd = '';
  const close = () => {
    const of = Math.max(1, ...cluster.map((p) => p.lane + 1));
    for (const p of cluster) p.of = of;
    cluster = [];
  };
  for (const booking of sorted) {
    if (cluster.length && booking.starttime >= clusterEnd) close();
    const taken = cluster.filter((p) => p.booking.endtime > booking.starttime).map((p) => p.lane);
    let lane = 0;
    while (taken.includes(lane)) lane++;
    const item = { booking, lane, of: 1 };
    cluster.push(item);
    placed.push(item);
    clusterEnd = booking.endtime > clusterEnd ? booking.endtime : clusterEnd;
  }
  close();
  return placed;
}

function Week({
  start,
  typeId,
  version,
  onOpen,
}: {
  start: Date;
  typeId: string;
  version: number;
  onOpen: (id: string) => void;
}) {
  const narrow = useMedia('(max-width: 760px)');
  const end = addDays(start, 7);
  const bookings = useAsync(
    async () =>
      withZones(
        await listAll<Booking>('booking', { from: start.toISOString(), to: end.toISOString(), appointmentid: typeId }),
      ),
    [start.getTime(), typeId, version],
  );
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const today = ymd(new Date());
  const byDay = (d: Date) => (bookings.data ?? []).filter((b) => ymd(new Date(b.starttime)) === ymd(d));

  if (bookings.error) return <LoadError error={bookings.error} retry={bookings.reload} />;
  if (narrow) {
    return (
      <div aria-busy={bookings.loading ? 'true' : 'false'}>
        <BusyBar busy={bookings.loading} />
        {days.map((d) => (
          <div key={ymd(d)} class={`agenda-day${ymd(d) === today ? ' today' : ''}`}>
            <h3>{dayLabel(d)}</h3>
            {byDay(d).length === 0 ? (
              <p class="small muted">Nothing booked</p>
            ) : (
              byDay(d)
                .sort((a, b) => a.starttime.localeCompare(b.starttime))
                .map((b) => (
                  <button key={b._id} type="button" class="agenda-item" onClick={() => onOpen(b._id)}>
                    <span class="agenda-top">
                      <span class="when">
                        {time(b.starttime)}–{time(b.endtime)}
                      </span>
                      <StatusBadge status={b.status} />
                      {b.sourceorigin === 'booking_page' && <span class="badge blue plain">Booking page</span>}
                    </span>
                    <span class="strong">{b.title}</span>
                    <span class="small muted"> · {b.appointment?.title ?? words(b.type)}</span>
                  </button>
                ))
            )}
          </div>
        ))}
      </div>
    );
  }

  const all = bookings.data ?? [];
  const first = Math.min(8, ...all.map((b) => Math.floor(minutesOfDay(b.starttime) / 60)));
  const last = Math.max(
    18,
    ...all.map((b) =>
      Math.ceil((minutesOfDay(b.starttime) + (Date.parse(b.endtime) - Date.parse(b.starttime)) / 60_000) / 60),
    ),
  );
  const hours = Array.from({ length: Math.min(24, last) - first }, (_, i) => first + i);
  return (
    <div aria-busy={bookings.loading ? 'true' : 'false'}>
      <BusyBar busy={bookings.loading} />
      <section class="week" aria-label={`Week of ${dayLabel(start)}`}>
        <div class="week-head" />
        {days.map((d) => (
          <div key={ymd(d)} class={`week-head${ymd(d) === today ? ' today' : ''}`}>
            <div class="dow">{d.toLocaleDateString(undefined, { weekday: 'short' })}</div>
            <div class="dom">{d.getDate()}</div>
          </div>
        ))}
        <div class="week-hours" aria-hidden="true">
          {hours.map((h) => (
            <div key={h} class="hour">
              {String(h).padStart(2, '0')}:00
            </div>
          ))}
        </div>
        {days.map((d) => (
          <fieldset
            key={ymd(d)}
            class={`week-day${ymd(d) === today ? ' today' : ''}`}
            style={{ height: `${hours.length * HOUR_PX}px` }}
            aria-label={dayLabel(d)}
          >
            {lanes(byDay(d)).map(({ booking: b, lane, of }) => {
              const top = ((minutesOfDay(b.starttime) - first * 60) / 60) * HOUR_PX;
              const height = Math.max(
                22,
                ((Date.parse(b.endtime) - Date.parse(b.starttime)) / 3_600_000) * HOUR_PX - 2,
              );
              return (
                <button
                  key={b._id}
                  type="button"
                  class={`slot-block ${b.status}`}
                  style={{
                    top: `${top}px`,
                    height: `${height}px`,
                    left: `calc(${(lane / of) * 100}% + 3px)`,
                    width: `calc(${100 / of}% - 6px)`,
                    right: 'auto',
                  }}
                  onClick={() => onOpen(b._id)}
                  aria-label={`${b.title}, ${zonedText(b.starttime, b.endtime, b.zone)}, ${words(b.status)}`}
                >
                  <div class="t">{b.title}</div>
                  <div>
                    {time(b.starttime)}–{time(b.endtime)}
                  </div>
                </button>
              );
            })}
          </fieldset>
        ))}
      </section>
      {!bookings.loading && all.length === 0 && <p class="small muted week-empty">Nothing booked this week.</p>}
    </div>
  );
}

/** The list view: upcoming soonest first, past or any time latest first, by status, type and text. */
function Agenda({
  list,
  status,
  typeId,
  when,
  version,
  onOpen,
  onNew,
}: {
  list: ListState;
  status: string;
  typeId: string;
  when: string;
  version: number;
  onOpen: (id: string) => void;
  onNew: () => void;
}) {
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
  const query = {
    page: list.page,
    limit: list.limit,
    search: list.search,
    status,
    appointmentid: typeId,
    from: when === 'upcoming' ? now : undefined,
    to: when === 'past' ? now : undefined,
    order: when === 'upcoming' ? 'asc' : 'desc',
  };
  const bookings = useAsync(async () => {
    const page = await request<Page<Booking>>('GET', `/booking/agenda${queryString(query)}`);
    return { ...page, data: await withZones(page.data) };
  }, [list.page, list.limit, list.search, status, typeId, when, version]);
  return (
    <PagedTable<Zoned<Booking>>
      state={bookings}
      list={list}
      caption="Bookings"
      onRowClick={(b) => onOpen(b._id)}
      empty={
        list.search || status || typeId || when !== 'upcoming' ? (
          <Empty
            icon="search"
            title="No bookings match"
            action={
              <Button
                onClick={() => list.set({ search: undefined, status: undefined, type: undefined, when: undefined })}
              >
                Clear filters
              </Button>
            }
          >
            Try another filter.
          </Empty>
        ) : (
          <Empty
            icon="bookings"
            title="Nothing booked ahead"
            action={
              <Button variant="primary" icon="plus" onClick={onNew}>
                New booking
              </Button>
            }
          >
            Book a session for a customer; it must fit the appointment type's hours.
          </Empty>
        )
      }
      columns={[
        {
          label: 'When',
          cell: (b) => (
            <button type="button" class="link-button" onClick={() => onOpen(b._id)}>
              <When start={b.starttime} end={b.endtime} zone={b.zone} />
            </button>
          ),
        },
        {
          label: 'Title',
          cell: (b) => (
            <>
              <div>{b.title}</div>
              {b.customer && <div class="secondary-text">{b.customer.name}</div>}
            </>
          ),
        },
        { label: 'Type', class: 'hide-sm', cell: (b) => b.appointment?.title ?? words(b.type) },
        { label: 'Status', cell: (b) => <StatusBadge status={b.status} /> },
        { label: 'Booked via', class: 'hide-md', cell: (b) => <span class="muted">{words(b.sourceorigin)}</span> },
      ]}
    />
  );
}

export function BookingsPage() {
  const { meta } = useApp();
  const list = useListState();
  const view = list.get('view') === 'week' ? 'week' : 'list';
  const status = list.get('status');
  const typeId = list.get('type');
  const when = list.get('when') || 'upcoming';
  const week = mondayOf(list.get('week') || undefined);
  const types = useAsync(() => listAll<Appointment>('appointment', {}), []);
  const open = list.get('open');
  const creating = list.get('new') === '1';
  const close = () => setQuery({ open: undefined, new: undefined, customer: undefined });
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);

  return (
    <>
      <PageHeader
        title="Bookings"
        subtitle="Sessions booked against your appointment types"
        actions={
          <>
            <fieldset class="segmented" aria-label="View">
              <button
                type="button"
                aria-pressed={view === 'list' ? 'true' : 'false'}
                onClick={() => setQuery({ view: undefined, week: undefined })}
              >
                <Icon name="list" />
                List
              </button>
              <button
                type="button"
                aria-pressed={view === 'week' ? 'true' : 'false'}
                onClick={() => setQuery({ view: 'week', page: undefined })}
              >
                <Icon name="bookings" />
                Week
              </button>
            </fieldset>
            <Button variant="primary" icon="plus" onClick={() => setQuery({ new: 1 })}>
              New booking
            </Button>
          </>
        }
      />
      <section class="card">
        <div class="toolbar">
          {view === 'list' ? (
            <>
              <SearchBox list={list} label="Search title or description" />
              <select
                aria-label="When"
                class="inline-select"
                value={when}
                onChange={(e) =>
                  list.set({ when: e.currentTarget.value === 'upcoming' ? undefined : e.currentTarget.value })
                }
              >
                <option value="upcoming">Upcoming</option>
                <option value="past">Past</option>
                <option value="all">Any time</option>
              </select>
            </>
          ) : (
            <div class="row wrap">
              <Button small icon="left" onClick={() => setQuery({ week: ymd(addDays(week, -7)) })}>
                Previous
              </Button>
              <Button small onClick={() => setQuery({ week: undefined })}>
                This week
              </Button>
              <Button small onClick={() => setQuery({ week: ymd(addDays(week, 7)) })}>
                Next
                <Icon name="right" />
              </Button>
              <strong aria-live="polite">
                {week.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} –{' '}
                {addDays(week, 6).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}
              </strong>
              <span class="small muted">Times in your zone, {localZone()}</span>
            </div>
          )}
          <select
            aria-label="Appointment type"
            class="inline-select"
            value={typeId}
            onChange={(e) => list.set({ type: e.currentTarget.value })}
          >
            <option value="">All appointment types</option>
            {(types.data ?? []).map((t) => (
              <option key={t._id} value={t._id}>
                {t.title}
              </option>
            ))}
          </select>
          {view === 'list' && (
            <FilterChips
              label="Status"
              value={status}
              options={meta.bookingstatuses}
              onChange={(v) => list.set({ status: v })}
            />
          )}
        </div>
        {view === 'week' ? (
          <Week start={week} typeId={typeId} version={version} onOpen={(id) => setQuery({ open: id })} />
        ) : (
          <Agenda
            list={list}
            status={status}
            typeId={typeId}
            when={when}
            version={version}
            onOpen={(id) => setQuery({ open: id })}
            onNew={() => setQuery({ new: 1 })}
          />
        )}
      </section>
      {creating && (
        <NewBookingDialog
          typeId={typeId || list.get('type') || undefined}
          customerId={list.get('customer') || undefined}
          onClose={close}
          onBooked={(b) => {
            changed();
            setQuery({
              open: undefined,
              new: undefined,
              customer: undefined,
              ...(view === 'week' ? { week: ymd(mondayOf(ymd(new Date(b.starttime)))) } : {}),
            });
          }}
        />
      )}
      {open && <BookingDialog key={open} id={open} onClose={close} onChanged={changed} />}
    </>
  );
}
