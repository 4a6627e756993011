// Booking a slot (in the appointment type's own time zone, with its free times offered), and one booking's details
// with its status marks and a change of time. The server refuses a time outside the type's hours or one that overlaps.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { wallClock, zonedInstant } from '../../../src/modules/appointment/availability';
import { ApiError, api, listAll } from '../api';
import { useApp } from '../app-context';
import { localZone, time, words, zonedText, zoneLabel, zoneName } from '../format';
import { useAsync } from '../hooks';
import { Link } from '../router';
import type { Appointment, Booking, Customer } from '../types';
import { Button } from '../ui/Button';
import { StatusBadge } from '../ui/bits';
import { CustomerPicker, type CustomerRef } from '../ui/CustomerPicker';
import { Dialog } from '../ui/Dialog';
import { Alert, SelectField, TextArea, TextField } from '../ui/Field';
import { useForm } from '../ui/form';
import { toast, toastError } from '../ui/toast';
import { When } from '../ui/When';

const MARKS: Record<string, string> = {
  completed: 'Mark completed',
  cancelled: 'Cancel booking',
  'no-show': 'Mark no-show',
  scheduled: 'Back to scheduled',
};

/** Free start times of a type on a day, as chips; choosing one fills the time field. */
function Slots({
  type,
  date,
  chosen,
  onChoose,
}: {
  type: Appointment | undefined;
  date: string;
  chosen: string;
  onChoose: (hhmm: string) => void;
}) {
  const slots = useAsync(
    () =>
      type && date
        ? api.get<{ starttime: string }[]>('/booking/slots', { appointmentid: type._id, date })
        : Promise.resolve([]),
    [type?._id, date],
  );
  if (!type || !date) return null;
  return (
    <div class="field">
      <div class="field-label">Free times on this day, {zoneName(type.timezone)}</div>
      {slots.loading && !slots.data ? (
        <div class="small muted">Looking for free times…</div>
      ) : slots.data && slots.data.length > 0 ? (
        <fieldset class="slots" aria-label="Free times">
          {slots.data.map((s) => {
            const hhmm = time(s.starttime, type.timezone);
            return (
              <button
                key={s.starttime}
                type="button"
                class="chip"
                aria-pressed={chosen === hhmm ? 'true' : 'false'}
                onClick={() => onChoose(hhmm)}
              >
                {hhmm}
              </button>
            );
          })}
        </fieldset>
      ) : (
        <div class="small muted">No free times on this day. Pick another day, or enter a time to see why.</div>
      )}
    </div>
  );
}

export function NewBookingDialog({
  typeId,
  customerId,
  onClose,
  onBooked,
}: {
  typeId?: string;
  customerId?: string;
  onClose: () => void;
  onBooked: (booking: Booking) => void;
}) {
  const types = useAsync(() => listAll<Appointment>('appointment', { status: 'active' }), []);
  const form = useForm({
    appointmentid: typeId ?? '',
    customer: null as CustomerRef | null,
    date: '',
    time: '',
    title: '',
    location: '',
    meetinglink: '',
    notes: '',
  });
  const { values, set, errors } = form;
  const [titleEdited, setTitleEdited] = useState(false);
  const type = types.data?.find((t) => t._id === values.appointmentid);
  // The defaults below fill a field only while it is empty, when the types arrive or the type changes: emptying the
  // field by hand (a cleared date while typing one, "Choose…") must not fill it again, so they read it from here.
  const rendered = useRef(values);
  rendered.current = values;

  useEffect(() => {
    if (customerId)
      api.details<Customer>('customer', customerId).then(
        (c) => set('customer', c),
        () => undefined,
      );
  }, [customerId, set]);
  useEffect(() => {
    if (!rendered.current.appointmentid && types.data?.length === 1) set('appointmentid', types.data[0]._id);
  }, [types.data, set]);
  // Today, in the type's zone, until a day is chosen; the title follows the type and customer until typed over.
  useEffect(() => {
    if (type && !rendered.current.date) set('date', wallClock(Date.now(), type.timezone).date);
  }, [type, set]);
  useEffect(() => {
    if (!titleEdited && type) set('title', `${type.title}${values.customer ? ` with ${values.customer.name}` : ''}`);
  }, [titleEdited, type, values.customer, set]);

  const end = useMemo(() => {
    if (!type || !values.date || !/^\d{2}:\d{2}$/.test(values.time)) return undefined;
    const start = zonedInstant(values.date, values.time, type.timezone);
    return { start, end: new Date(+start + type.duration * 60_000) };
  }, [type, values.date, values.time]);

  const book = () =>
    form.submit(async (v) => {
      if (!type)
        throw new ApiError(400, 'There are problems with your submission', {
          appointmentid: 'Choose an appointment type',
        });
      if (!end)
        throw new ApiError(400, 'There are problems with your submission', { starttime: 'Choose a start time' });
      const booking = await api.create<Booking>('booking', {
        title: v.title,
        type: type.category,
        appointmentid: type._id,
        customerid: v.customer?._id ?? null,
        attendee: v.customer ? { name: v.customer.name, email: v.customer.email } : null,
        starttime: end.start.toISOString(),
        endtime: end.end.toISOString(),
        location: v.location || type.location,
        meetinglink: v.meetinglink,
        notes: v.notes,
      });
      toast(`Booked ${booking.title} for ${zonedText(booking.starttime, undefined, type.timezone)}`);
      onBooked(booking);
    });

  return (
    <Dialog
      open
      title="New booking"
      onClose={onClose}
      onSubmit={book}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={form.busy}>
            Book
          </Button>
        </>
      }
    >
      {form.problem && <Alert>{form.problem}</Alert>}
      {types.data && types.data.length === 0 && (
        <Alert tone="warning">
          There is no active appointment type to book. <Link to="/appointment-types/new">Create one</Link> first.
        </Alert>
      )}
      <div class="form-grid">
        <SelectField
          label="Appointment type"
          required
          class="full"
          value={values.appointmentid}
          onValue={(v) => set('appointmentid', v)}
          error={errors.appointmentid}
          placeholder={types.data ? 'Choose…' : 'Loading…'}
          options={(types.data ?? []).map((t) => ({ value: t._id, label: `${t.title} · ${t.duration} min` }))}
        />
        <div class="full">
          <CustomerPicker
            label="Customer"
            value={values.customer}
            onChange={(c) => set('customer', c)}
            error={errors.customerid}
          />
        </div>
        <TextField
          label="Date"
          type="date"
          required
          value={values.date}
          onValue={(v) => set('date', v)}
          error={errors.date}
        />
        <TextField
          label="Start time"
          type="time"
          required
          step={300}
          value={values.time}
          onValue={(v) => set('time', v)}
          error={errors.starttime ?? errors.endtime}
          help={
            type
              ? `${zoneLabel(type.timezone)}${end ? ` · ends ${time(end.end.toISOString(), type.timezone)} (${type.duration} min)` : ''}${end && type.timezone !== localZone() ? ` · ${zonedText(end.start.toISOString(), end.end.toISOString(), localZone())} for you` : ''}`
              : undefined
          }
        />
        <div class="full">
          <Slots type={type} date={values.date} chosen={values.time} onChoose={(hhmm) => set('time', hhmm)} />
        </div>
        <TextField
          label="Title"
          class="full"
          required
          value={values.title}
          onValue={(v) => {
            setTitleEdited(true);
            set('title', v);
          }}
          error={errors.title}
        />
        {type?.category === 'video_call' && (
          <TextField
            label="Meeting link"
            class="full"
            type="url"
            value={values.meetinglink}
            onValue={(v) => set('meetinglink', v)}
            error={errors.meetinglink}
            placeholder="https://"
          />
        )}
        {type?.category === 'in_person' && (
          <TextField
            label="Location"
            class="full"
            value={values.location}
            onValue={(v) => set('location', v)}
            error={errors.location}
            placeholder={type.location ?? ''}
          />
        )}
        <TextArea
          label="Notes"
          class="full"
          rows={2}
          value={values.notes}
          onValue={(v) => set('notes', v)}
          error={errors.notes}
        />
      </div>
    </Dialog>
  );
}

export function BookingDialog({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { meta } = useApp();
  const booking = useAsync(async () => {
    const b = await api.details<Booking>('booking', id);
    const type = b.appointmentid
      ? await api.details<Appointment>('appointment', b.appointmentid).catch(() => undefined)
      : undefined;
    return { b, type };
  }, [id]);
  const [moving, setMoving] = useState<string>();
  const [rescheduling, setRescheduling] = useState(false);
  const form = useForm({ date: '', time: '' });

  const b = booking.data?.b;
  const type = booking.data?.type;
  const zone = type?.timezone;

  const mark = async (status: string) => {
    setMoving(status);
    try {
      await api.update('booking', id, { status });
      toast(`${b!.title}: ${words(status).toLowerCase()}`);
      booking.reload();
      onChanged();
    } catch (error) {
      toastError(error instanceof ApiError ? (Object.values(error.errors)[0] ?? error.message) : String(error));
    } finally {
      setMoving(undefined);
    }
  };

  const reschedule = () =>
    form.submit(async (v) => {
      const tz = zone ?? localZone();
      if (!v.date || !v.time)
        throw new ApiError(400, 'There are problems with your submission', { starttime: 'Choose a day and a time' });
      const start = zonedInstant(v.date, v.time, tz);
      const length = Date.parse(b!.endtime) - Date.parse(b!.starttime);
      await api.update('booking', id, {
        starttime: start.toISOString(),
        endtime: new Date(+start + length).toISOString(),
      });
      toast(`Moved to ${zonedText(start.toISOString(), undefined, tz)}`);
      setRescheduling(false);
      booking.reload();
      onChanged();
    });

  return (
    <Dialog
      open
      title={
        b ? (
          <span class="row wrap">
            <span>{b.title}</span>
            <StatusBadge status={b.status} />
          </span>
        ) : (
          'Booking'
        )
      }
      onClose={onClose}
      footer={
        b && (
          <>
            {meta.bookingtransitions[b.status].map((s) => (
              <Button
                key={s}
                variant={s === 'cancelled' ? 'danger' : s === 'completed' ? 'primary' : 'secondary'}
                busy={moving === s}
                disabled={Boolean(moving)}
                onClick={() => void mark(s)}
              >
                {MARKS[s]}
              </Button>
            ))}
            <div class="spacer" />
            {b.status === 'scheduled' && !rescheduling && (
              <Button
                icon="edit"
                onClick={() => {
                  form.setValues({
                    date: wallClock(Date.parse(b.starttime), zone ?? localZone()).date,
                    time: time(b.starttime, zone ?? localZone()),
                  });
                  setRescheduling(true);
                }}
              >
                Change time
              </Button>
            )}
            <Button onClick={onClose}>Close</Button>
          </>
        )
      }
    >
      {booking.error && <Alert>{booking.error.message}</Alert>}
      {!b && !booking.error && (
        <div class="loading-block">
          <span class="spinner" />
        </div>
      )}
      {b && (
        <>
          <dl class="details">
            <dt>When</dt>
            <dd>
              <When start={b.starttime} end={b.endtime} zone={zone} />
            </dd>
            <dt>Type</dt>
            <dd>
              {b.appointment ? (
                <Link to={`/appointment-types/${b.appointment._id}`}>{b.appointment.title}</Link>
              ) : (
                words(b.type)
              )}
            </dd>
            <dt>Customer</dt>
            <dd>{b.customer ? <Link to={`/customers/${b.customer._id}`}>{b.customer.name}</Link> : '—'}</dd>
            {b.attendee?.email && (
              <>
                <dt>Attendee</dt>
                <dd>
                  {b.attendee.name} · <a href={`mailto:${b.attendee.email}`}>{b.attendee.email}</a>
                </dd>
              </>
            )}
            {b.location && (
              <>
                <dt>Location</dt>
                <dd>{b.location}</dd>
              </>
            )}
            {b.meetinglink && (
              <>
                <dt>Meeting link</dt>
                <dd>
                  <a href={b.meetinglink} target="_blank" rel="noopener noreferrer">
                    {b.meetinglink}
                  </a>
                </dd>
              </>
            )}
            {b.notes && (
              <>
                <dt>Notes</dt>
                <dd class="pre">{b.notes}</dd>
              </>
            )}
            <dt>Booked</dt>
            <dd>
              {zonedText(b.createdat, undefined, localZone())} via {words(b.sourceorigin)}
            </dd>
          </dl>
          {rescheduling && (
            <form
              noValidate
              class="stack"
              onSubmit={(e) => {
                e.preventDefault();
                void reschedule();
              }}
            >
              {form.problem && <Alert>{form.problem}</Alert>}
              <div class="form-grid">
                <TextField label="New date" type="date" value={form.values.date} onValue={(v) => form.set('date', v)} />
                <TextField
                  label="New start time"
                  type="time"
                  step={300}
                  value={form.values.time}
                  onValue={(v) => form.set('time', v)}
                  error={form.errors.starttime ?? form.errors.endtime}
                  help={zoneLabel(zone ?? localZone())}
                />
                <div class="full">
                  <Slots
                    type={type}
                    date={form.values.date}
                    chosen={form.values.time}
                    onChoose={(hhmm) => form.set('time', hhmm)}
                  />
                </div>
              </div>
              <div class="row">
                <Button type="submit" variant="primary" busy={form.busy}>
                  Move booking
                </Button>
                <Button onClick={() => setRescheduling(false)}>Keep the time</Button>
              </div>
            </form>
          )}
        </>
      )}
    </Dialog>
  );
}
