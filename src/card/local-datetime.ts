/** The platform's `<local_datetime>` takes milliseconds a Date can hold; beyond that the client shows the tag as text. */
export const MAX_DATETIME_MS = 8.64e15;

/** A `<local_datetime>` millisecond value the client formats, or why not. */
export function datetimeMillis(value: string | undefined): { ms: number | null; ok: boolean } {
  if (value === undefined) return { ms: null, ok: true };
  const ms = Number(value);
  if (value.trim() === '' || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATETIME_MS) return { ms: null, ok: false };
  return { ms, ok: true };
}
