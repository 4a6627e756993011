// Body clean-up before validation: strings are trimmed, and an empty string means "not given" (null).

/** Returns the body with every string trimmed and every blank string replaced by null, at any depth. */
export function cleanBody(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if (Array.isArray(value)) return value.map(cleanBody);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = cleanBody(inner);
    return out;
  }
  return value;
}
