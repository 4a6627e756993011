// Status life cycles: which status may follow which, for the records the dashboard moves along (quotes, contracts, bookings).
import { invalid, SUBMISSION_PROBLEMS } from '../http/errors.js';

/** For each status, the statuses it may move to next. */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

/** "a draft", "an invoiced": the status as the start of a sentence's subject. */
export const aStatus = (status: string) => `${/^[aeiou]/.test(status) ? 'An' : 'A'} ${status}`;

/** 400 on `status` unless `to` may follow `from` (staying put is always allowed). */
export function checkTransition<S extends string>(
  noun: string,
  transitions: Transitions<S>,
  from: S,
  to: S | undefined,
) {
  if (to === undefined || to === from || transitions[from].includes(to)) return;
  const next = transitions[from];
  const message =
    next.length === 0
      ? `${aStatus(from)} ${noun} cannot change status`
      : `${aStatus(from)} ${noun} can only move to ${next.join(' or ')}`;
  throw invalid(SUBMISSION_PROBLEMS, { status: message });
}

/** True when `changes` alters a stored value other than the status: records locked at some statuses still move. */
export function editsBesidesStatus(current: object, changes: object): boolean {
  const stored = current as Record<string, unknown>;
  return Object.entries(changes).some(([key, value]) => key !== 'status' && stored[key] !== value);
}
