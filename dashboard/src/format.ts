// How values read on screen: money in its own currency, dates in the viewer's locale, times with their zone, enum
// values as words.

const locale = navigator.language || 'en';
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(value: number | null | undefined, currency: string, options: { compact?: boolean } = {}): string {
  if (value === null || value === undefined) return '—';
  const key = `${currency}|${options.compact ? 'c' : ''}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay: 'code',
        ...(options.compact
          ? { notation: 'compact', maximumFractionDigits: 1 }
          : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      });
    } catch {
      format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

export const number = (value: number) => new Intl.NumberFormat(locale).format(value);
export const compact = (value: number) =>
  new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);

const dateFormat = new Intl.DateTimeFormat(locale, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
/** A calendar date (quote, contract dates are stored as midnight UTC): shown as that same date everywhere. */
export const date = (iso: string | null | undefined) => (iso ? dateFormat.format(new Date(iso)) : '—');

/** YYYY-MM-DD of a stored calendar date, for `<input type=date>`. */
export const dateInput = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '');

const formats = new Map<string, Intl.DateTimeFormat>();
function formatIn(timeZone: string | undefined, options: Intl.DateTimeFormatOptions) {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, f);
  }
  return f;
}

/** An instant in the viewer's zone (or `timeZone`): "Tue 14 Jan, 10:30". */
export const dateTime = (iso: string, timeZone?: string) =>
  formatIn(timeZone, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
export const time = (iso: string, timeZone?: string) =>
  formatIn(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
export const dayLabel = (iso: string | Date, timeZone?: string) =>
  formatIn(timeZone, { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(iso));
export const createdAt = (iso: string) =>
  formatIn(undefined, { day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(iso));

/** `video_call` -> "Video call", `no-show` -> "No-show". */
const ACRONYMS: Record<string, string> = { nda: 'NDA', sla: 'SLA', api: 'API' };

export function words(value: string | null | undefined): string {
  if (!value) return '—';
  if (ACRONYMS[value]) return ACRONYMS[value];
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('');

/** The browser's IANA time zone. */
export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** A zone as people say it: `Africa/Nairobi` -> "Nairobi time", `UTC` -> "UTC". */
export function zoneName(zone: string): string {
  if (!zone.includes('/')) return zone;
  return `${zone.slice(zone.lastIndexOf('/') + 1).replace(/_/g, ' ')} time`;
}

/** A zone in full for a form's help: "Nairobi time (Africa/Nairobi)", "UTC". */
export const zoneLabel = (zone: string) => (zone.includes('/') ? `${zoneName(zone)} (${zone})` : zone);

/**
 * A time that says its zone: "Mon 8 Dec, 09:00–10:00 Nairobi time", then the viewer's own in brackets when their zone
 * is another ("(Mon 8 Dec, 01:00–02:00 New York time)"). `zone` is where the time was chosen, e.g. an appointment
 * type's; without one it is the viewer's.
 */
export function zonedTimes(start: string, end: string | undefined, zone = localZone()) {
  const here = localZone();
  const at = (tz: string) => `${dateTime(start, tz)}${end ? `–${time(end, tz)}` : ''} ${zoneName(tz)}`;
  return { main: at(zone), local: zone === here ? undefined : at(here) };
}
export function zonedText(start: string, end: string | undefined, zone?: string): string {
  const { main, local } = zonedTimes(start, end, zone);
  return local ? `${main} (${local})` : main;
}
