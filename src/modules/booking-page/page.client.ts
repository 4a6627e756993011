// The booking page's script (served as /book/_/page.client.js): the form and the confirmation on a type's page; on a
// manage link, the booking with cancel and move. Plain DOM, no dependency; it talks only to the page's own JSON
// endpoints. Compiled with the server, whose program has no DOM library (adding one would type the server's code
// against the browser's globals): the few DOM types used are declared loosely, and test/booking-page-e2e.test.ts
// drives it in a real browser.

// biome-ignore-all lint/suspicious/noExplicitAny: the DOM is untyped in the server's compilation

import type { Managed } from './booking-page.schema.js';
import { call, fullLabel, h, Picker, type Slot, visitor, zonePicker } from './calendar.client.js';

type Node = any;
type Event = any;
type HTMLElement = any;
type HTMLInputElement = any;
type HTMLTextAreaElement = any;
declare const document: any;

interface PageData {
  mode: 'book' | 'manage';
  base: string;
  title?: string;
  duration?: number;
  typeZone?: string;
}
const data = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as PageData;
const root = document.getElementById('app') as HTMLElement;

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
      h('p', {}, `${fullLabel(slot.starttime, visitor.zone)}, ${data.duration} minutes`),
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
        h('p', {}, `${data.title}: ${fullLabel(booked.starttime, visitor.zone)}`),
        visitor.zone !== data.typeZone ? h('p', {}, `That is ${fullLabel(booked.starttime, data.typeZone!)}`) : null,
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
      h('p', {}, `${b.status === 'cancelled' ? 'Cancelled: ' : ''}${fullLabel(b.starttime, visitor.zone)}`),
      visitor.zone !== b.timezone ? h('p', {}, `That is ${fullLabel(b.starttime, b.timezone)}`) : null,
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
