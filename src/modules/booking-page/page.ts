// The booking page's HTML, rendered on the server: the type's facts, and a data block the page script
// (page.client.ts) reads to draw the calendar, times and form. No third-party asset; nothing inline runs.
import { readFileSync } from 'node:fs';
import type { AppointmentTable } from '../../db/schema.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** JSON inside <script type="application/json">: never closes the element. */
const dataBlock = (data: unknown) =>
  `<script type="application/json" id="page-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;

function layout(title: string, body: string) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/book/_/page.css">
</head>
<body>
<main>
${body}
</main>
<script type="module" src="/book/_/page.client.js"></script>
</body>
</html>
`;
}

const money = (price: number, currency: string) =>
  price === 0 ? 'Free' : new Intl.NumberFormat('en', { style: 'currency', currency }).format(price);

/** The page of an active type: its facts, then the calendar, times and form the script fills in. */
export function bookingPageHtml(businessName: string, type: AppointmentTable, base: string) {
  const facts = [
    `${type.duration} minutes`,
    money(type.price, type.currency),
    ...(type.location ? [type.location] : []),
  ];
  return layout(
    `${type.title} · ${businessName}`,
    `<header>
<p class="business">${escapeHtml(businessName)}</p>
<h1>${escapeHtml(type.title)}</h1>
<ul class="facts">${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>
${type.description ? `<p class="description">${escapeHtml(type.description)}</p>` : ''}
</header>
<div id="app" aria-live="polite"><noscript>This page needs JavaScript to show the free times.</noscript></div>
${dataBlock({ mode: 'book', base, title: type.title, duration: type.duration, typeZone: type.timezone })}`,
  );
}

/** A manage link's page: the script loads the booking through the token's JSON and offers cancel and move. */
export function managePageHtml(token: string) {
  return layout(
    'Your booking',
    `<header><h1>Your booking</h1></header>
<div id="app" aria-live="polite"><noscript>This page needs JavaScript.</noscript></div>
${dataBlock({ mode: 'manage', base: `/book/_/manage/${token}` })}`,
  );
}

export function notFoundHtml() {
  return layout(
    'Page not found',
    `<header><h1>This booking page does not exist</h1></header>
<p>The link may be mistyped, or the business no longer takes bookings for it.</p>`,
  );
}

/** The page's two script modules (compiled by tsc beside this file), read once, served under /book/_/ by name. */
const read = (name: string) =>
  readFileSync(new URL(name, import.meta.url), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '');
export const pageScripts: Record<string, string> = {
  'page.client.js': read('./page.client.js'),
  'calendar.client.js': read('./calendar.client.js'),
};
export { PAGE_CSS as pageStyles } from './page.css.js';
