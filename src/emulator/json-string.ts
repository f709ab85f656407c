/**
 * JSON.stringify for one string, without the call into the serialiser when nothing needs escaping:
 * answers written out by hand (the send's) quote a dozen strings, and a dozen calls of
 * JSON.stringify cost more than serialising the whole object did. JSON.stringify escapes `"`, `\`,
 * control characters and lone surrogates; a string with none of those is quoted as it is.
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function needsJsonEscape(s: string): boolean {
  return NEEDS_ESCAPE.test(s);
}

export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}
