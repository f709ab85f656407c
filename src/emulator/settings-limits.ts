/**
 * Bounds on the emulator's settings, shared by the control API (`POST /_emulator/settings`) and
 * the `card emulator` flags that set the same values, so both refuse the same things.
 */

/** A token lives from 1 s to a year: past that, expiry times leave what a Date can show. */
export const MAX_TOKEN_TTL_SECONDS = 365 * 24 * 3600;
/** Requests per second or per minute a rate limit may allow. */
export const MAX_RATE = 1_000_000;
/** Default bound on what all CardKit entities hold together (their cards' JSON, uuids); past it the oldest go. */
export const DEFAULT_CARDKIT_BYTES = 64 * 1024 * 1024;
/** Default bound on what may wait unsent to one inbox page's event stream; past it the stream is cut. */
export const DEFAULT_INBOX_STREAM_BYTES = 1024 * 1024;
