// Identifiers: real MongoDB ObjectIDs (time + random + counter), so ids sort by creation time.
import { ObjectId } from 'bson';

export function newId(): string {
  return new ObjectId().toHexString();
}

/** The current time as the contract writes it: ISO 8601 UTC with milliseconds. */
export function now(): string {
  return new Date().toISOString();
}

/** An ISO 8601 date or date-time from input, as a stored UTC timestamp (null stays null). */
export function toTimestamp(value: string | null | undefined): string | null {
  return value == null ? null : new Date(value).toISOString();
}
