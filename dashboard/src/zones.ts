// The time zone of each appointment type, for showing a booking in the zone it was booked in: bookings name their
// type but not its zone. Read once per session and again when a booking names a type not yet known.
import { listAll } from './api';
import type { Appointment } from './types';

/** A booking with its appointment type's zone, when it has a type. */
export type Zoned<T> = T & { zone?: string };

let known: Promise<Map<string, string>> | undefined;
const load = () =>
  listAll<Appointment>('appointment', {}).then((types) => new Map(types.map((t) => [t._id, t.timezone])));

async function zonesFor(ids: string[]): Promise<Map<string, string>> {
  try {
    if (!known) known = load();
    const zones = await known;
    if (ids.every((id) => zones.has(id))) return zones;
    known = load();
    return await known;
  } catch {
    known = undefined;
    return new Map();
  }
}

/** `bookings`, each with its type's zone. Never fails: without the zones, times show in the viewer's. */
export async function withZones<T extends { appointmentid?: string | null }>(bookings: T[]): Promise<Zoned<T>[]> {
  const zones = await zonesFor(bookings.flatMap((b) => (b.appointmentid ? [b.appointmentid] : [])));
  return bookings.map((b) => ({ ...b, zone: b.appointmentid ? zones.get(b.appointmentid) : undefined }));
}
