// The booking page's script (served as /book/_/page.js): the month of days with free times, the chosen day's times in
// the visitor's time zone (detected, changeable), the form and the confirmation; on a manage link, cancel and move.
// Plain DOM, no dependency; it talks only to the page's own JSON endpoints. Compiled with the server, whose program
// has no DOM library (adding one would type the server's code against the browser's globals): the few DOM types this
// file uses are declared loosely here, and test/booking-page-e2e.test.ts drives it in a real browser.

// biome-ignore-all lint/suspicious/noExplicitAny: the DOM is untyped in the server's compilation
type Node = any;
type Event = any;
type HTMLElement = any;
type HTMLInputElement = any;
type HTMLSelectElement = any;
type HTMLTextAreaElement = any;
declare const document: any;

interface PageData {
  mode: 'book' | 'manage';
  base: string;
  title?: string;
  duration?: number;
  typeZone?: string;
}
interface Slot {
  starttime: string;
  endtime: string;
}
interface Managed extends Slot {
  _id: string;
  status: string;
  manageurl: string;
  title: string;
  duration: number;
  location: string | null;
  timezone: string;
  changeable: boolean;
}

const data = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as PageData;
const root = document.getElementById('app') as HTMLElement;
let zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

type Child = Node | string | null | undefined | false;
function h(tag: string, attrs: Record<string, string | boolean | ((e: Event) => void)> = {}, ...children: Child[]) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') node.addEventListener(key, value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false) node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

const dateKey = (instant: string | number, tz: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
const timeLabel = (iso: string, tz: string) =>
  new Intl.DateTimeFormat(undefined, { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
const fullLabel = (iso: string, tz: string) =>
  `${new Intl.DateTimeFormat(undefined, { timeZone: tz, dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso))} (${tz})`;
const dayLabel = (key: string) =>
  new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${key}T12:00:00Z`),
  );

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; data: any }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: any = await response.json().catch(() => ({}));
  return { status: response.status, json, data: json.data };
}

/** The month calendar and the chosen day's times; `pick` gets the chosen slot. */
class Picker {
  month: string; // YYYY-MM
  days = new Map<string, Slot[]>();
  day: string | null = null;
  loading = false;
  constructor(
    private readonly slotsUrl: string,
    private readonly pick: (slot: Slot) => void,
    private readonly redraw: () => void,
  ) {
    this.month = dateKey(Date.now(), zone).slice(0, 7);
  }

  async load() {
    const today = dateKey(Date.now(), zone);
    const [y, m] = this.month.split('-').map(Number);
    const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const first = `${this.month}-01`;
    const from = today > first ? today : first;
    const days = length - Number(from.slice(8)) + 1;
    this.loading = true;
    this.redraw();
    const { status, data } = await call(
      'GET',
      `${this.slotsUrl}?from=${from}&days=${days}&timezone=${encodeURIComponent(zone)}`,
    );
    this.days.clear();
    if (status === 200)
      for (const slot of data.slots) {
        const key = dateKey(slot.starttime, zone);
        this.days.set(key, [...(this.days.get(key) ?? []), slot]);
      }
    if (this.day && !this.days.has(this.day)) this.day = null;
    this.loading = false;
    this.redraw();
  }

  shift(months: number) {
    const [y, m] = this.month.split('-').map(Number);
    const next = new Date(Date.UTC(y, m - 1 + months, 1));
    this.month = next.toISOString().slice(0, 7);
    this.day = null;
    void this.load();
  }

  view(): Node {
    const [y, m] = this.month.split('-').map(Number);
    const monthName = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
      new Date(Date.UTC(y, m - 1, 15)),
    );
    const current = dateKey(Date.now(), zone).slice(0, 7);
    const grid = h('div', { class: 'calendar', role: 'group', 'aria-label': `Days of ${monthName}` });
    for (const dow of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])
      grid.append(h('div', { class: 'dow', 'aria-hidden': 'true' }, dow));
    const offset = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
    for (let i = 0; i < offset; i++) grid.append(h('div'));
    const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
    for (let d = 1; d <= length; d++) {
      const key = `${this.month}-${String(d).padStart(2, '0')}`;
      const free = this.days.get(key)?.length ?? 0;
      grid.append(
        h(
          'button',
          {
            type: 'button',
            'data-day': key,
            disabled: free === 0,
            'aria-pressed': String(this.day === key),
            'aria-label': `${dayLabel(key)}: ${free === 0 ? 'no free times' : `${free} free time${free === 1 ? '' : 's'}`}`,
            click: () => {
              this.day = key;
              this.redraw();
              document.getElementById('times-heading')?.focus();
            },
          },
          String(d),
        ),
      );
    }
    const times = this.day
      ? h(
          'section',
          { 'aria-labelledby': 'times-heading' },
          h('h2', { id: 'times-heading', tabindex: '-1' }, `${dayLabel(this.day)}: free times`),
          h('p', { class: 'hint' }, `Shown in ${zone}`),
          h(
            'div',
            { class: 'times' },
            ...(this.days.get(this.day) ?? []).map((slot) =>
              h(
                'button',
                { type: 'button', class: 'secondary', 'data-start': slot.starttime, click: () => this.pick(slot) },
                timeLabel(slot.starttime, zone),
              ),
            ),
          ),
        )
      : null;
    return h(
      'div',
      {},
      zonePicker(() => void this.load()),
      h(
        'section',
        { 'aria-labelledby': 'month-heading' },
        h(
          'div',
          { class: 'month-nav' },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              'aria-label': 'Previous month',
              disabled: this.month <= current,
              click: () => this.shift(-1),
            },
            '‹',
          ),
          h('h2', { id: 'month-heading' }, monthName),
          h(
            'button',
            { type: 'button', class: 'secondary', 'aria-label': 'Next month', click: () => this.shift(1) },
            '›',
          ),
        ),
        this.loading ? h('p', { class: 'hint' }, 'Loading free times…') : null,
        !this.loading && this.days.size === 0 ? h('p', { class: 'hint' }, 'No free times this month.') : null,
        grid,
      ),
      times,
    );
  }
}

function zonePicker(changed: () => void): Node {
  const zones =
    (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  if (!zones.includes(zone)) zones.unshift(zone);
  const select = h(
    'select',
    {
      id: 'zone',
      change: (e: Event) => {
        zone = (e.target as HTMLSelectElement).value;
        changed();
      },
    },
    ...zones.map((z) => h('option', { value: z, selected: z === zone }, z)),
  );
  return h('section', {}, h('label', { for: 'zone' }, 'Your time zone'), select);
}

function show(...nodes: Node[]) {
  root.replaceChildren(...nodes);
}

function field(id: string, label: string, input: HTMLElement, error?: string) {
  if (error) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${id}-error`);
  }
  return h(
    'div',
    {},
    h('label', { for: id }, label),
    input,
    error ? h('p', { class: 'error', id: `${id}-error` }, error) : null,
  );
}

function bookPage() {
  let chosen: Slot | null = null;
  let errors: Record<string, string> = {};
  let message = '';
  const values: Record<string, string> = { name: '', email: '', phone: '', notes: '' };
  const picker = new Picker(
    `${data.base}/slots`,
    (slot) => {
      chosen = slot;
      message = '';
      draw();
      document.getElementById('name')?.focus();
    },
    () => draw(),
  );

  function form(slot: Slot) {
    const input = (id: string, attrs: Record<string, string | boolean>) =>
      h('input', {
        id,
        name: id,
        value: values[id],
        input: (e: Event) => (values[id] = (e.target as HTMLInputElement).value),
        ...attrs,
      });
    const notes = h('textarea', {
      id: 'notes',
      name: 'notes',
      rows: '3',
      input: (e: Event) => (values.notes = (e.target as HTMLTextAreaElement).value),
    });
    notes.textContent = values.notes;
    return h(
      'section',
      { 'aria-labelledby': 'form-heading' },
      h('h2', { id: 'form-heading' }, 'Your details'),
      h('p', {}, `${fullLabel(slot.starttime, zone)}, ${data.duration} minutes`),
      message ? h('p', { class: 'error', role: 'alert' }, message) : null,
      h(
        'form',
        { novalidate: true, submit: (e: Event) => void submit(e, slot) },
        field('name', 'Name', input('name', { required: true, autocomplete: 'name' }), errors.name),
        field('email', 'Email', input('email', { type: 'email', required: true, autocomplete: 'email' }), errors.email),
        field('phone', 'Phone (optional)', input('phone', { type: 'tel', autocomplete: 'tel' }), errors.phone),
        field('notes', 'Notes (optional)', notes, errors.notes),
        h(
          'div',
          { class: 'hp', 'aria-hidden': 'true' },
          h('label', { for: 'honeypot' }, 'Leave this empty'),
          h('input', { id: 'honeypot', name: 'honeypot', tabindex: '-1', autocomplete: 'off' }),
        ),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit' }, 'Book'),
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              click: () => {
                chosen = null;
                draw();
              },
            },
            'Choose another time',
          ),
        ),
      ),
    );
  }

  async function submit(event: Event, slot: Slot) {
    event.preventDefault();
    const honeypot = (document.getElementById('honeypot') as HTMLInputElement).value;
    const body = {
      ...values,
      phone: values.phone || undefined,
      notes: values.notes || undefined,
      starttime: slot.starttime,
      honeypot: honeypot || undefined,
    };
    const { status, json, data: booked } = await call('POST', data.base, body);
    errors = {};
    if (status === 201) return confirmation(booked);
    message = json.error ?? 'Something went wrong';
    if (status === 400) errors = json.errors ?? {};
    if (status === 409) {
      chosen = null;
      await picker.load();
    }
    draw();
    document.querySelector('[role=alert]')?.focus();
  }

  function confirmation(booked: Slot & { manageurl: string }) {
    show(
      h(
        'section',
        { 'aria-labelledby': 'done-heading' },
        h('h2', { id: 'done-heading', tabindex: '-1' }, 'You are booked'),
        h('p', {}, `${data.title}: ${fullLabel(booked.starttime, zone)}`),
        zone !== data.typeZone ? h('p', {}, `That is ${fullLabel(booked.starttime, data.typeZone!)}`) : null,
        h(
          'div',
          { class: 'actions' },
          h(
            'a',
            { class: 'button', href: `${booked.manageurl}/booking.ics`, download: 'booking.ics' },
            'Add to calendar (.ics)',
          ),
          h('a', { class: 'button secondary', href: booked.manageurl }, 'Manage your booking'),
        ),
        h('p', { class: 'hint' }, 'Keep the manage link: it lets you cancel or move this booking.'),
      ),
    );
    document.getElementById('done-heading')?.focus();
  }

  function draw() {
    show(picker.view(), ...(chosen ? [form(chosen)] : []));
  }
  void picker.load();
}

function managePage() {
  let booking: Managed | null = null;
  let message = '';
  let moving: Picker | null = null;
  let confirmCancel = false;

  async function load() {
    const { status, json, data: found } = await call('GET', `${data.base}/booking`);
    if (status !== 200) message = json.error ?? 'Booking not found';
    booking = status === 200 ? found : null;
    draw();
  }

  async function act(path: string, body?: unknown) {
    const { status, json, data: after } = await call('POST', `${data.base}/${path}`, body);
    if (status === 200) {
      booking = after;
      moving = null;
      message = path === 'cancel' ? 'Your booking is cancelled.' : 'Your booking is moved.';
    } else message = json.error ?? 'Something went wrong';
    confirmCancel = false;
    draw();
    document.querySelector('[role=status]')?.focus();
  }

  function draw() {
    if (!booking) return show(h('p', { class: 'error', role: 'status' }, message || 'Loading…'));
    const b = booking;
    const details = h(
      'section',
      { 'aria-labelledby': 'booking-heading' },
      h('h2', { id: 'booking-heading' }, b.title),
      h('p', {}, `${b.status === 'cancelled' ? 'Cancelled: ' : ''}${fullLabel(b.starttime, zone)}`),
      zone !== b.timezone ? h('p', {}, `That is ${fullLabel(b.starttime, b.timezone)}`) : null,
      b.location ? h('p', {}, b.location) : null,
      message ? h('p', { role: 'status', tabindex: '-1' }, message) : null,
      h(
        'div',
        { class: 'actions' },
        h(
          'a',
          { class: 'button secondary', href: `${data.base}/booking.ics`, download: 'booking.ics' },
          'Add to calendar (.ics)',
        ),
        b.changeable
          ? h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                click: () => {
                  if (confirmCancel) return void act('cancel');
                  confirmCancel = true;
                  draw();
                },
              },
              confirmCancel ? 'Yes, cancel it' : 'Cancel booking',
            )
          : null,
        b.changeable && !moving
          ? h(
              'button',
              {
                type: 'button',
                click: () => {
                  moving = new Picker(
                    `${data.base}/slots`,
                    (slot) => void act('move', { starttime: slot.starttime }),
                    draw,
                  );
                  void moving.load();
                },
              },
              'Move to another time',
            )
          : null,
      ),
      !b.changeable && b.status === 'scheduled'
        ? h('p', { class: 'hint' }, 'This booking is too close to change here; contact the business.')
        : null,
    );
    show(details, ...(moving ? [moving.view()] : [zonePicker(draw)]));
  }
  void load();
}

if (data.mode === 'manage') managePage();
else if (data.mode === 'book') bookPage();
