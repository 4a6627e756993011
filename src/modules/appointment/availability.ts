// Weekly availability in an IANA time zone: wall-clock conversions and window checks. Pure (no server imports),
// so the dashboard's booking form computes times exactly as the server checks them.

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface AvailabilityWindow {
  day: Weekday;
  /** HH:MM, local to the appointment type's time zone. */
  start: string;
  end: string;
}

/** The wall clock somewhere: a calendar date, its weekday, and minutes since local midnight. */
export interface WallClock {
  date: string;
  day: Weekday;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function parts(instant: number, timeZone: string) {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const timeOf = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The weekday of a calendar date (YYYY-MM-DD), the same in every zone. */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number);
  return WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7];
}

export function wallClock(instant: Date | number, timeZone: string): WallClock {
  const p = parts(+instant, timeZone);
  const date = `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  return { date, day: weekdayOf(date), minutes: p.hour * 60 + p.minute };
}

/** How far the zone's clock is ahead of UTC at an instant, in ms. */
function offset(instant: number, timeZone: string) {
  const p = parts(instant, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant a local date and HH:MM name in a zone (a time skipped by a DST jump lands just after it). */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const asUtc = Date.UTC(y, m - 1, d) + minutesOf(time) * 60_000;
  const first = asUtc - offset(asUtc, timeZone);
  const second = asUtc - offset(first, timeZone);
  return new Date(second);
}

/** The windows open on a weekday, earliest first. */
export function windowsOn(availability: readonly AvailabilityWindow[], day: Weekday) {
  return availability.filter((w) => w.day === day).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
}

/** True when [start, end) lies inside one window, on one local day. */
export function fitsAvailability(
  availability: readonly AvailabilityWindow[],
  start: Date,
  end: Date,
  timeZone: string,
): boolean {
  const from = wallClock(start, timeZone);
  const to = wallClock(end, timeZone);
  // An end at local midnight closes the day it started on.
  const endMinutes = to.date === from.date ? to.minutes : to.minutes === 0 && +end - +start <= 86_400_000 ? 1440 : -1;
  if (endMinutes < 0) return false;
  return windowsOn(availability, from.day).some(
    (w) => minutesOf(w.start) <= from.minutes && endMinutes <= minutesOf(w.end),
  );
}

/** "Tuesday 09:00–12:00, 13:00–17:00", or "no hours on Saturday". */
export function describeDay(availability: readonly AvailabilityWindow[], day: Weekday): string {
  const label = day.charAt(0).toUpperCase() + day.slice(1);
  const windows = windowsOn(availability, day);
  return windows.length === 0
    ? `no hours on ${label}`
    : `${label} ${windows.map((w) => `${w.start}–${w.end}`).join(', ')}`;
}
