// One appointment type: its details, its weekly hours in its own time zone, its booking statistics; archive or restore.
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { useApp } from '../app-context';
import { localZone, money, words, zoneLabel } from '../format';
import { useAsync } from '../hooks';
import { navigate } from '../router';
import type { Appointment, AppointmentCreate, AvailabilityWindow, Weekday } from '../types';
import { Button, ButtonLink, IconButton } from '../ui/Button';
import { Empty, LoadError, Loading, PageHeader, StatusBadge } from '../ui/bits';
import { CopyButton } from '../ui/CopyButton';
import { Alert, SelectField, TextArea, TextField } from '../ui/Field';
import { toNumber, useForm } from '../ui/form';
import { Icon } from '../ui/icons';
import { toast, toastError } from '../ui/toast';
import { currencyOptions } from './CustomerForm';

const DAY_NAMES: Record<Weekday, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};
const WORKWEEK: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

/** Every field of the server's create body as the form holds it: text (numbers too, until sent) and the weekly hours. */
type Values = Record<Exclude<keyof AppointmentCreate, 'availability'>, string> & { availability: AvailabilityWindow[] };

/** The weekly hours, a row per day: open or closed, and one or more from–to ranges. Messages come from the server. */
function WeekEditor({
  weekdays,
  value,
  onChange,
  errors,
}: {
  weekdays: readonly Weekday[];
  value: AvailabilityWindow[];
  onChange: (windows: AvailabilityWindow[]) => void;
  errors: Record<string, string>;
}) {
  const indexed = value.map((w, index) => ({ ...w, index }));
  const update = (index: number, patch: Partial<AvailabilityWindow>) =>
    onChange(value.map((w, i) => (i === index ? { ...w, ...patch } : w)));
  const remove = (index: number) => onChange(value.filter((_, i) => i !== index));
  const add = (day: Weekday) => {
    const last = indexed.filter((w) => w.day === day).at(-1);
    onChange([
      ...value,
      last
        ? { day, start: last.end, end: last.end < '17:00' ? '17:00' : '20:00' }
        : { day, start: '09:00', end: '17:00' },
    ]);
  };
  const copyToWorkweek = () => {
    const first = value.filter((w) => w.day === 'monday');
    onChange([
      ...value.filter((w) => !WORKWEEK.includes(w.day)),
      ...WORKWEEK.flatMap((day) => first.map((w) => ({ ...w, day }))),
    ]);
  };
  return (
    <div class="stack tight">
      <fieldset class="week-editor" aria-label="Weekly hours">
        {weekdays.map((day) => {
          const ranges = indexed.filter((w) => w.day === day);
          const open = ranges.length > 0;
          return (
            <div key={day} class="week-row">
              <label class="check">
                <input
                  type="checkbox"
                  checked={open}
                  onChange={(e) => (e.currentTarget.checked ? add(day) : onChange(value.filter((w) => w.day !== day)))}
                />
                {DAY_NAMES[day]}
              </label>
              <div class="ranges">
                {!open && <span class="closed">Closed</span>}
                {ranges.map((w) => {
                  const error =
                    errors[`availability.${w.index}.end`] ??
                    errors[`availability.${w.index}.start`] ??
                    errors[`availability.${w.index}`];
                  return (
                    <div key={w.index}>
                      <div class="range">
                        <input
                          type="time"
                          step={300}
                          aria-label={`${DAY_NAMES[day]} from`}
                          value={w.start}
                          onInput={(e) => update(w.index, { start: e.currentTarget.value })}
                          aria-invalid={error ? 'true' : undefined}
                        />
                        <span class="muted">to</span>
                        <input
                          type="time"
                          step={300}
                          aria-label={`${DAY_NAMES[day]} until`}
                          value={w.end}
                          onInput={(e) => update(w.index, { end: e.currentTarget.value })}
                          aria-invalid={error ? 'true' : undefined}
                        />
                        <IconButton
                          icon="close"
                          small
                          label={`Remove ${DAY_NAMES[day]} ${w.start}–${w.end}`}
                          onClick={() => remove(w.index)}
                        />
                      </div>
                      {error && (
                        <div class="field">
                          <div class="error">
                            <Icon name="alert" size={14} />
                            <span>{error}</span>
                          </div>
                        </div>
                      )}
                    </div>
                  );
                })}
                {open && (
                  <button type="button" class="btn ghost small" onClick={() => add(day)}>
                    <Icon name="plus" />
                    Add hours
                  </button>
                )}
              </div>
            </div>
          );
        })}
      </fieldset>
      <div>
        <Button small onClick={copyToWorkweek} disabled={!value.some((w) => w.day === 'monday')}>
          Copy Monday to all weekdays
        </Button>
      </div>
      {errors.availability && <div class="small danger-text">{errors.availability}</div>}
    </div>
  );
}

function fromType(t?: Appointment): Values {
  const zone = localZone();
  return {
    title: t?.title ?? '',
    description: t?.description ?? '',
    category: t?.category ?? 'video_call',
    duration: String(t?.duration ?? 30),
    bufferminutes: String(t?.bufferminutes ?? 0),
    price: t ? String(t.price) : '0',
    currency: t?.currency ?? 'KES',
    location: t?.location ?? '',
    externalurl: t?.externalurl ?? '',
    slug: t?.slug ?? '',
    minnoticeminutes: String(t?.minnoticeminutes ?? 120),
    windowdays: String(t?.windowdays ?? 60),
    timezone: t?.timezone ?? zone,
    availability: t?.availability ?? WORKWEEK.map((day) => ({ day, start: '09:00', end: '17:00' })),
    status: t?.status ?? 'active',
  };
}

export function AppointmentTypePage({ id }: { id?: string }) {
  const { meta } = useApp();
  const type = useAsync(() => (id ? api.details<Appointment>('appointment', id) : Promise.resolve(undefined)), [id]);
  if (id && type.error) {
    return type.error instanceof ApiError && type.error.status === 404 ? (
      <Empty
        icon="types"
        title="Appointment type not found"
        action={<ButtonLink to="/appointment-types">All appointment types</ButtonLink>}
      />
    ) : (
      <LoadError error={type.error} retry={type.reload} />
    );
  }
  if (id && !type.data) return <Loading />;
  return <TypeForm key={type.data?.updatedat ?? 'new'} type={type.data} meta={meta} onSaved={type.reload} />;
}

function TypeForm({
  type,
  meta,
  onSaved,
}: {
  type?: Appointment;
  meta: ReturnType<typeof useApp>['meta'];
  onSaved: () => void;
}) {
  const form = useForm<Values>(fromType(type));
  const { values, set, errors } = form;
  const [archiving, setArchiving] = useState(false);

  const save = () =>
    form.submit(async (v) => {
      const body = {
        ...v,
        duration: toNumber(v.duration),
        bufferminutes: toNumber(v.bufferminutes) ?? 0,
        price: toNumber(v.price) ?? 0,
        minnoticeminutes: toNumber(v.minnoticeminutes) ?? 120,
        windowdays: toNumber(v.windowdays) ?? 60,
        slug: v.slug || undefined,
        status: type ? undefined : 'active',
      };
      if (type) {
        await api.update('appointment', type._id, body);
        toast('Appointment type saved');
        onSaved();
      } else {
        const made = await api.create<Appointment>('appointment', body);
        toast(`${made.title} created`);
        navigate(`/appointment-types/${made._id}`, { replace: true });
      }
    });

  const setStatus = async (status: string) => {
    setArchiving(true);
    try {
      await api.update('appointment', type!._id, { status });
      toast(
        status === 'archived' ? `${type!.title} archived: it takes no new bookings` : `${type!.title} is ${status}`,
      );
      onSaved();
    } catch (error) {
      toastError((error as Error).message);
    } finally {
      setArchiving(false);
    }
  };

  const zones = meta.timezones.includes(values.timezone) ? meta.timezones : [values.timezone, ...meta.timezones];
  return (
    <>
      <PageHeader
        crumbs={{ to: '/appointment-types', label: 'Appointment types' }}
        title={
          type ? (
            <span class="row wrap">
              <span>{type.title}</span>
              <StatusBadge status={type.status} />
            </span>
          ) : (
            'New appointment type'
          )
        }
        subtitle={
          type
            ? `${words(type.category)} · ${type.duration} minutes · ${type.price > 0 ? money(type.price, type.currency) : 'free'}`
            : 'What a customer can book, and when'
        }
        actions={
          type && (
            <>
              <ButtonLink to={`/bookings?new=1&type=${type._id}`} icon="plus">
                New booking
              </ButtonLink>
              {type.status === 'archived' ? (
                <Button busy={archiving} onClick={() => void setStatus('active')}>
                  Restore
                </Button>
              ) : (
                <>
                  <Button
                    busy={archiving}
                    onClick={() => void setStatus(type.status === 'active' ? 'inactive' : 'active')}
                  >
                    {type.status === 'active' ? 'Pause bookings' : 'Resume bookings'}
                  </Button>
                  <Button variant="danger" icon="archive" busy={archiving} onClick={() => void setStatus('archived')}>
                    Archive
                  </Button>
                </>
              )}
            </>
          )
        }
      />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div class="grid main-side">
          <div class="stack">
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
                  placeholder="e.g. Discovery call"
                />
                <SelectField
                  label="Kind"
                  required
                  value={values.category}
                  onValue={(v) => set('category', v)}
                  error={errors.category}
                  options={meta.categories.map((c) => ({ value: c, label: words(c) }))}
                />
                <TextField
                  label="Duration (minutes)"
                  required
                  inputMode="numeric"
                  value={values.duration}
                  onValue={(v) => set('duration', v)}
                  error={errors.duration}
                />
                <TextField
                  label="Buffer after each booking (minutes)"
                  inputMode="numeric"
                  value={values.bufferminutes}
                  onValue={(v) => set('bufferminutes', v)}
                  error={errors.bufferminutes}
                  help="Kept free between bookings"
                />
                <div class="row top">
                  <TextField
                    label="Price"
                    inputMode="decimal"
                    value={values.price}
                    onValue={(v) => set('price', v)}
                    error={errors.price}
                    class="grow"
                    help="0 for free"
                  />
                  <SelectField
                    label="Currency"
                    value={values.currency}
                    onValue={(v) => set('currency', v)}
                    error={errors.currency}
                    options={currencyOptions(meta.currencies)}
                  />
                </div>
                <TextField
                  label="Location"
                  value={values.location}
                  onValue={(v) => set('location', v)}
                  error={errors.location}
                  help="For in-person sessions"
                />
                <TextField
                  label="Page address (slug)"
                  value={values.slug}
                  onValue={(v) => set('slug', v)}
                  error={errors.slug}
                  help="The end of the booking page's address; made from the title when empty"
                />
                <TextField
                  label="Minimum notice (minutes)"
                  type="number"
                  value={values.minnoticeminutes}
                  onValue={(v) => set('minnoticeminutes', v)}
                  error={errors.minnoticeminutes}
                  help="The booking page offers no time sooner than this"
                />
                <TextField
                  label="Booking window (days)"
                  type="number"
                  value={values.windowdays}
                  onValue={(v) => set('windowdays', v)}
                  error={errors.windowdays}
                  help="Nor any time further ahead than this"
                />
                <TextField
                  label="External booking URL"
                  class="full"
                  type="url"
                  value={values.externalurl}
                  onValue={(v) => set('externalurl', v)}
                  error={errors.externalurl}
                  placeholder="https://"
                  help="Only if customers book this elsewhere; empty uses mteja's own booking page"
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
                <h2>
                  Weekly hours <span class="muted small">{zoneLabel(values.timezone)}</span>
                </h2>
              </div>
              <div class="card-body stack">
                <SelectField
                  label="Time zone"
                  required
                  value={values.timezone}
                  onValue={(v) => set('timezone', v)}
                  error={errors.timezone}
                  options={zones}
                  help="The hours below are local to this zone; bookings outside them are refused."
                />
                <WeekEditor
                  weekdays={meta.weekdays}
                  value={values.availability}
                  onChange={(w) => set('availability', w)}
                  errors={errors}
                />
              </div>
              <div class="card-foot">
                <div class="spacer" />
                <Button type="submit" variant="primary" busy={form.busy}>
                  {type ? 'Save changes' : 'Create appointment type'}
                </Button>
              </div>
            </section>
          </div>
          {!type && (
            <section class="card" aria-label="How bookings work">
              <div class="card-head">
                <h2>How bookings work</h2>
              </div>
              <div class="card-body stack tight small">
                <p>A booking of this type must start and end inside one of its weekly windows, in its time zone.</p>
                <p>Two bookings of the type never overlap, and the buffer is kept free after each one.</p>
                <p>
                  The booking form offers the free times of a day; a time that breaks either rule is refused with the
                  reason.
                </p>
              </div>
            </section>
          )}
          {type && <PublicLink type={type} />}
          {type && (
            <section class="card" aria-label="Booking statistics">
              <div class="card-head">
                <h2>Bookings</h2>
              </div>
              <div class="card-body">
                <dl class="details">
                  <dt>Total</dt>
                  <dd>{type.stats.totalbookings}</dd>
                  <dt>Upcoming</dt>
                  <dd>{type.stats.upcoming}</dd>
                  <dt>Completed</dt>
                  <dd>{type.stats.completed}</dd>
                  <dt>Cancelled</dt>
                  <dd>{type.stats.cancelled}</dd>
                  <dt>No-shows</dt>
                  <dd>{type.stats.noshow}</dd>
                  <dt>Completion rate</dt>
                  <dd>{type.stats.completionrate}%</dd>
                </dl>
              </div>
              <div class="card-foot">
                <ButtonLink to={`/bookings?type=${type._id}`} small>
                  See its bookings
                </ButtonLink>
              </div>
            </section>
          )}
        </div>
      </form>
    </>
  );
}

/** The type's public booking page: its link with Copy, and an iframe snippet to embed it on another site. */
function PublicLink({ type }: { type: Appointment }) {
  const own = type.externalurl === null;
  const embed = `<iframe src="${type.bookingurl}" title="${type.title.replace(/"/g, '&quot;')}" style="width:100%;min-height:720px;border:0" loading="lazy"></iframe>`;
  return (
    <section class="card" aria-label="Booking page">
      <div class="card-head">
        <h2>Booking page</h2>
      </div>
      <div class="card-body stack tight small">
        {type.status !== 'active' && (
          <Alert tone="warning">The page shows "not found" while the type is {type.status}.</Alert>
        )}
        <p>
          <a href={type.bookingurl} target="_blank" rel="noreferrer" data-public-link>
            {type.bookingurl}
          </a>
        </p>
        <CopyButton text={type.bookingurl} label="Copy the booking page link" select="[data-public-link]" />
        {own && (
          <>
            <p>Embed it on your site:</p>
            <code class="embed-snippet" data-embed>
              {embed}
            </code>
            <CopyButton text={embed} label="Copy the embed snippet" select="[data-embed]" />
          </>
        )}
      </div>
    </section>
  );
}
