// The booking page's calendar (served as /book/_/calendar.client.js, imported by page.client.js): the month of days
// with free times and the chosen day's times in the visitor's zone, detected and changeable; the DOM and JSON
// helpers both pages use. The DOM is untyped in the server's compilation (see page.client.ts).

// biome-ignore-all lint/suspicious/noExplicitAny: the DOM is untyped in the server's compilation
type Node = any;
type Event = any;
type HTMLSelectElement = any;
declare const document: any;

export interface Slot {
  starttime: string;
  endtime: string;
}

/** The visitor's time zone: detected, changed by the picker. */
export const visitor = { zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' };

type Child = Node | string | null | undefined | false;
export function h(
  tag: string,
  attrs: Record<string, string | boolean | ((e: Event) => void)> = {},
  ...children: Child[]
) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') node.addEventListener(key, value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false) node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export const dateKey = (instant: string | number, tz: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
export const timeLabel = (iso: string, tz: string) =>
  new Intl.DateTimeFormat(undefined, { timeZone: tz, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
export const fullLabel = (iso: string, tz: string) =>
  `${new Intl.DateTimeFormat(undefined, { timeZone: tz, dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso))} (${tz})`;
export const dayLabel = (key: string) =>
  new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(
    new Date(`${key}T12:00:00Z`),
  );

export async function call(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: any; data: any }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: any = await response.json().catch(() => ({}));
  return { status: response.status, json, data: json.data };
}

/** The month calendar and the chosen day's times; `pick` gets the chosen slot. */
export class Picker {
  month: string; // YYYY-MM
  days = new Map<string, Slot[]>();
  day: string | null = null;
  loading = false;
  constructor(
    private readonly slotsUrl: string,
    private readonly pick: (slot: Slot) => void,
    private readonly redraw: () => void,
  ) {
    this.month = dateKey(Date.now(), visitor.zone).slice(0, 7);
  }

  async load() {
    const today = dateKey(Date.now(), visitor.zone);
    const [y, m] = this.month.split('-').map(Number);
    const length = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const first = `${this.month}-01`;
    const from = today > first ? today : first;
    const days = length - Number(from.slice(8)) + 1;
    this.loading = true;
    this.redraw();
    const { status, data } = await call(
      'GET',
      `${this.slotsUrl}?from=${from}&days=${days}&timezone=${encodeURIComponent(visitor.zone)}`,
    );
    this.days.clear();
    if (status === 200)
      for (const slot of data.slots) {
        const key = dateKey(slot.starttime, visitor.zone);
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
    const current = dateKey(Date.now(), visitor.zone).slice(0, 7);
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
          h('p', { class: 'hint' }, `Shown in ${visitor.zone}`),
          h(
            'div',
            { class: 'times' },
            ...(this.days.get(this.day) ?? []).map((slot) =>
              h(
                'button',
                { type: 'button', class: 'secondary', 'data-start': slot.starttime, click: () => this.pick(slot) },
                timeLabel(slot.starttime, visitor.zone),
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

export function zonePicker(changed: () => void): Node {
  const zones =
    (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  if (!zones.includes(visitor.zone)) zones.unshift(visitor.zone);
  const select = h(
    'select',
    {
      id: 'zone',
      change: (e: Event) => {
        visitor.zone = (e.target as HTMLSelectElement).value;
        changed();
      },
    },
    ...zones.map((z) => h('option', { value: z, selected: z === visitor.zone }, z)),
  );
  return h('section', {}, h('label', { for: 'zone' }, 'Your time zone'), select);
}
